"""URLs of the payroll lane of the payments app (mounted at /payments/)."""

from django.urls import URLPattern, URLResolver, path

from . import views_payroll as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("payrolls/", views.payroll_list, name="payroll-list"),
    path("payrolls/run", views.payroll_run, name="payroll-run"),
    path("payrolls/<int:pk>/", views.payroll_detail, name="payroll-detail"),
    path("payrolls/<int:pk>/approve", views.payroll_approve, name="payroll-approve"),
    path("payrolls/<int:pk>/send", views.payroll_send, name="payroll-send"),
    path("payrolls/<int:pk>/follow-up", views.payroll_follow_up, name="payroll-follow-up"),
    path("people/<int:pk>/payment-method", views.payment_method_edit, name="payment-method-edit"),
]
