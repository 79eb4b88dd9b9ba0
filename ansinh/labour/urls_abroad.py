"""The pages of workers abroad, employers, foreign workers and work permits."""

from django.urls import URLPattern, path

from . import views_abroad as v

urlpatterns: list[URLPattern] = [
    path("abroad/", v.departure_list, name="departure-list"),
    path("abroad/new/", v.departure_new, name="departure-new"),
    path("abroad/<int:pk>/", v.departure_detail, name="departure-detail"),
    path("abroad/import/", v.departure_import, name="departure-import"),
    path("abroad/template.xlsx", v.departure_template, name="departure-template"),
    path("employers/", v.employer_list, name="employer-list"),
    path("employers/<int:pk>/", v.employer_detail, name="employer-detail"),
    path("foreign-workers/", v.foreign_worker_list, name="foreign-worker-list"),
    path("foreign-workers/new/", v.foreign_worker_new, name="foreign-worker-new"),
    path("foreign-workers/<int:pk>/", v.foreign_worker_detail, name="foreign-worker-detail"),
    path("foreign-workers/import/", v.foreign_worker_import, name="foreign-worker-import"),
    path("foreign-workers/template.xlsx", v.foreign_worker_template, name="foreign-worker-template"),
    path("foreign-workers/report/", v.foreign_report, name="foreign-report"),
    path("work-permits/expiring/", v.permit_expiring, name="permit-expiring"),
    path("work-permits/rules/", v.permit_rules, name="permit-rules"),
    path("work-permits/rules/<int:pk>/", v.permit_rule_edit, name="permit-rule-edit"),
]
