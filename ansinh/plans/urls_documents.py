"""URLs of the plans app (documents); included by ansinh/plans/urls.py."""

from django.urls import URLPattern, path

from . import views_documents as views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/document.docx", views.plan_document, name="plan-document"),
    path("<int:pk>/appendix.xlsx", views.plan_appendix, name="plan-appendix"),
    path("<int:pk>/report.docx", views.report_document, name="report-document"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report-xlsx"),
    path("<int:pk>/report-text", views.report_text, name="report-text"),
    path("<int:pk>/report-package", views.report_package, name="report-package"),
    path("indicators/<int:pk>/sentence", views.indicator_sentence, name="indicator-sentence"),
]
