"""URLs of the plans app (io): plans and periodic forms as Excel; included by ansinh/plans/urls.py."""

from django.urls import URLPattern, path

from . import views_io

urlpatterns: list[URLPattern] = [
    path("import", views_io.plan_import_view, name="plan-import"),
    path("template.xlsx", views_io.plan_template, name="plan-template"),
    path("submissions/import", views_io.submission_import_view, name="submission-import"),
    path("<int:pk>/form.xlsx", views_io.submission_template, name="submission-template"),
]
