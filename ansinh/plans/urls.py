"""URLs of the plans app (plans); included by ansinh/plans/urls.py."""

from django.urls import URLPattern, path

from . import views_plans as views

urlpatterns: list[URLPattern] = [
    path("", views.plan_list, name="plan-list"),
    path("new", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit", views.plan_edit, name="plan-edit"),
    path("<int:pk>/targets", views.plan_targets, name="plan-targets"),
    path("targets/<int:pk>/revise", views.target_revise, name="target-revise"),
    path("<int:pk>/tasks/new", views.task_create, name="task-create"),
    path("tasks/<int:pk>/edit", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/note", views.task_note, name="task-note"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/edit", views.agency_edit, name="agency-edit"),
]
