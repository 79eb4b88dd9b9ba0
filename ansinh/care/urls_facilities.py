"""Pages of care facilities and drug rehabilitation (under /care/facilities/)."""

from django.urls import path

from . import views_facilities as views

urlpatterns = [
    path("facilities/", views.facility_list, name="facilities-list"),
    path("facilities/new", views.facility_new, name="facilities-new"),
    path("facilities/occupancy", views.occupancy, name="facilities-occupancy"),
    path("facilities/categories", views.category_list, name="facilities-categories"),
    path("facilities/residents/", views.resident_list, name="facilities-resident-list"),
    path("facilities/residents/<int:pk>", views.resident_detail, name="facilities-resident-detail"),
    path("facilities/residents/<int:pk>/discharge", views.resident_discharge, name="facilities-resident-discharge"),
    path("facilities/residents/<int:pk>/stage", views.resident_stage, name="facilities-resident-stage"),
    path("facilities/<int:pk>", views.facility_detail, name="facilities-detail"),
    path("facilities/<int:pk>/edit", views.facility_edit, name="facilities-edit"),
    path("facilities/<int:pk>/admit", views.resident_admit, name="facilities-admit"),
    path("facilities/<int:pk>/import", views.resident_import, name="facilities-import"),
]
