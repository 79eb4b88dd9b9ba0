"""The pages of job placements, counselling and counselling sessions / job fairs (/labour/…)."""

from django.urls import URLPattern, path

from . import views_counselling as sessions
from . import views_placements as views

urlpatterns: list[URLPattern] = [
    path("placements/", views.placement_list, name="placement-list"),
    path("placements/new", views.placement_new, name="placement-new"),
    path("placements/<int:pk>/", views.placement_detail, name="placement-detail"),
    path("placements/<int:pk>/edit", views.placement_edit, name="placement-edit"),
    path("placements/<int:pk>/delete", views.placement_remove, name="placement-delete"),
    path("placements/import/", views.placement_import, name="placement-import"),
    path("placements/import/template.xlsx", views.placement_template, name="placement-template"),
    path("counselling/", views.counselling_list, name="counselling-list"),
    path("counselling/new", views.counselling_new, name="counselling-new"),
    path("counselling/import/", views.counselling_import, name="counselling-import"),
    path("counselling/import/template.xlsx", views.counselling_template, name="counselling-template"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/new", sessions.session_new, name="session-new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit", sessions.session_edit, name="session-edit"),
]
