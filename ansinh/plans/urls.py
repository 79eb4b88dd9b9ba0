"""Plans, targets, periodic reports and their documents: /plans/…"""

from django.urls import URLPattern, path

from .views import dashboard, documents, io, plans, reporting

urlpatterns: list[URLPattern] = [
    path("", plans.plan_list, name="plan-list"),
    path("new", plans.plan_create, name="plan-create"),
    path("<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("<int:pk>/edit", plans.plan_edit, name="plan-edit"),
    path("<int:pk>/targets", plans.plan_targets, name="plan-targets"),
    path("targets/<int:pk>/revise", plans.target_revise, name="target-revise"),
    path("<int:pk>/tasks/new", plans.task_create, name="task-create"),
    path("tasks/<int:pk>/edit", plans.task_edit, name="task-edit"),
    path("tasks/<int:pk>/note", plans.task_note, name="task-note"),
    path("indicators/", plans.indicator_list, name="indicator-list"),
    path("agencies/", plans.agency_list, name="agency-list"),
    path("agencies/<int:pk>/edit", plans.agency_edit, name="agency-edit"),
    # Plans and periodic forms as Excel
    path("import", io.plan_import_view, name="plan-import"),
    path("template.xlsx", io.plan_template, name="plan-template"),
    path("submissions/import", io.submission_import_view, name="submission-import"),
    path("<int:pk>/form.xlsx", io.submission_template, name="submission-template"),
    # Documents
    path("<int:pk>/document.docx", documents.plan_document, name="plan-document"),
    path("<int:pk>/appendix.xlsx", documents.plan_appendix, name="plan-appendix"),
    path("<int:pk>/report.docx", documents.report_document, name="report-document"),
    path("<int:pk>/report.xlsx", documents.report_xlsx, name="report-xlsx"),
    path("<int:pk>/report-text", documents.report_text, name="report-text"),
    path("<int:pk>/report-package", documents.report_package, name="report-package"),
    path("indicators/<int:pk>/sentence", documents.indicator_sentence, name="indicator-sentence"),
    # Periodic reports and results
    path("<int:pk>/submissions", reporting.submission_list, name="submission-list"),
    path("<int:pk>/submissions/open", reporting.submission_open, name="submission-open"),
    path("submissions/<int:pk>/", reporting.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/submit", reporting.submission_submit, name="submission-submit"),
    path("submissions/<int:pk>/return", reporting.submission_return, name="submission-return"),
    path("submissions/<int:pk>/approve", reporting.submission_approve, name="submission-approve"),
    path("<int:pk>/results", reporting.plan_results, name="plan-results"),
    path("dashboard", dashboard.dashboard, name="dashboard"),
]
