"""The pages of the unemployment registry (issue 13, lane ui)."""

from django.urls import URLPattern, path

from . import views_unemployment as v

urlpatterns: list[URLPattern] = [
    path("", v.unemployment_list, name="unemployment-list"),
    path("due/", v.unemployment_due, name="unemployment-due"),
    path("new/", v.unemployment_new, name="unemployment-new"),
    path("<int:pk>/", v.unemployment_detail, name="unemployment-detail"),
    path("<int:pk>/decide/", v.unemployment_decide_view, name="unemployment-decide"),
    path("<int:pk>/report/", v.unemployment_report_view, name="unemployment-report"),
    path("<int:pk>/stop/", v.unemployment_stop_view, name="unemployment-stop"),
    path("import/", v.unemployment_import, name="unemployment-import"),
    path("import/template/", v.unemployment_import_template, name="unemployment-import-template"),
    path("calculator/", v.unemployment_calculator, name="unemployment-calculator"),
    path("law/", v.unemployment_law, name="unemployment-law"),
    path("law/<str:table>/new/", v.unemployment_law_edit, name="unemployment-law-new"),
    path("law/<str:table>/<int:pk>/", v.unemployment_law_edit, name="unemployment-law-edit"),
]
