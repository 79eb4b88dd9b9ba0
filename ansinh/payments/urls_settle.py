"""URLs of the settle lane of the payments app: signed lists, the paying agent's results,
suspension proposals."""

from django.urls import URLPattern, URLResolver, path

from . import views_settle as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("payrolls/<int:pk>/export/", views.payroll_export, name="payroll-export"),
    path("payrolls/<int:pk>/results/", views.payment_results_upload, name="payment-results-upload"),
    path("results/template/", views.payment_results_template, name="payment-results-template"),
    path("packages/<int:pk>/export/", views.package_export, name="package-export"),
    path("packages/<int:pk>/results/", views.package_results_upload, name="package-results-upload"),
    path("suspensions/", views.suspension_list, name="suspension-list"),
    path("suspensions/<int:pk>/decide/", views.suspension_decide, name="suspension-decide"),
]
