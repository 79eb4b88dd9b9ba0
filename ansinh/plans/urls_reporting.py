"""URLs of the plans app (reporting); included by ansinh/plans/urls.py."""

from django.urls import URLPattern, path

from . import views_dashboard, views_reporting

urlpatterns: list[URLPattern] = [
    path("<int:pk>/submissions", views_reporting.submission_list, name="submission-list"),
    path("<int:pk>/submissions/open", views_reporting.submission_open, name="submission-open"),
    path("submissions/<int:pk>/", views_reporting.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/submit", views_reporting.submission_submit, name="submission-submit"),
    path("submissions/<int:pk>/return", views_reporting.submission_return, name="submission-return"),
    path("submissions/<int:pk>/approve", views_reporting.submission_approve, name="submission-approve"),
    path("<int:pk>/results", views_reporting.plan_results, name="plan-results"),
    path("dashboard", views_dashboard.dashboard, name="dashboard"),
]
