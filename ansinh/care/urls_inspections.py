"""Pages of the inspectorate (`/care/inspections/…`); URL names start with "inspection"."""

from django.urls import path

from . import views_inspections as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("inspections/<int:pk>/follow-ups/new/", views.inspection_follow_up_add, name="inspection-follow-up-add"),
    path("inspections/follow-ups/", views.follow_up_list, name="inspection-follow-up-list"),
    path("inspections/follow-ups/<int:pk>/done/", views.inspection_follow_up_done, name="inspection-follow-up-done"),
    path("inspections/plans/", views.plan_list, name="inspection-plan-list"),
    path("inspections/receptions/", views.reception_list, name="inspection-reception-list"),
    path("inspections/receptions/new/", views.reception_create, name="inspection-reception-create"),
    path("inspections/receptions/import/", views.reception_import, name="inspection-reception-import"),
    path("inspections/receptions/import/template.xlsx", views.reception_import_template,
         name="inspection-reception-import-template"),
    path("inspections/letters/", views.petition_list, name="inspection-petition-list"),
    path("inspections/letters/new/", views.petition_create, name="inspection-petition-create"),
    path("inspections/letters/<int:pk>/", views.petition_detail, name="inspection-petition-detail"),
    path("inspections/letters/<int:pk>/<str:step>/", views.petition_step, name="inspection-petition-step"),
]
