"""The pages of payrolls, lists, results and packages: each part keeps its own URL module."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="payroll-list"), name="payments-home"),
    path("", include("ansinh.payments.urls_payroll")),
    path("", include("ansinh.payments.urls_settle")),
    path("packages/", include("ansinh.payments.urls_packages")),
]
