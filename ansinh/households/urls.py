"""The household registry: the list, a household's page and the forms that change it."""

from django.urls import path

from . import views_registry as views

urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new", views.household_create, name="household-create"),
    path("lookup", views.household_lookup, name="household-lookup"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit", views.household_edit, name="household-edit"),
    path("<int:pk>/members/new", views.member_add, name="member-add"),
    path("<int:pk>/conditions", views.conditions_record, name="conditions-record"),
    path("<int:pk>/split", views.household_split, name="household-split"),
    path("<int:pk>/merge", views.household_merge, name="household-merge"),
    path("members/<int:pk>/edit", views.member_edit, name="member-edit"),
    path("members/<int:pk>/died", views.member_died, name="member-died"),
    path("members/<int:pk>/move", views.member_move, name="member-move"),
]
