"""Excel in and out (mounted under /households/)."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("import/", views_io.household_import_view, name="household-import"),
    path("import/template.xlsx", views_io.household_template, name="household-template"),
    path("rounds/<int:round_id>/list.xlsx", views_io.round_list_xlsx, name="round-list-xlsx"),
]
