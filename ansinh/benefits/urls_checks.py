"""Pages of who should and who should not be paid, and the figures of people served (helper CHECKS)."""

from django.urls import path

from . import views_checks

urlpatterns = [
    path("checks/eligible-unpaid/", views_checks.eligible_unpaid, name="benefit-eligible-unpaid"),
    path("checks/paid-ineligible/", views_checks.paid_ineligible, name="benefit-paid-ineligible"),
    path("figures/", views_checks.figures, name="benefit-figures"),
]
