"""The household registry (the list, a household's page and the forms that change it) and its
Excel import: /households/…"""

from django.urls import path

from .views import io, registry

urlpatterns = [
    path("", registry.household_list, name="household-list"),
    path("new", registry.household_create, name="household-create"),
    path("lookup", registry.household_lookup, name="household-lookup"),
    path("<int:pk>/", registry.household_detail, name="household-detail"),
    path("<int:pk>/edit", registry.household_edit, name="household-edit"),
    path("<int:pk>/members/new", registry.member_add, name="member-add"),
    path("<int:pk>/conditions", registry.conditions_record, name="conditions-record"),
    path("<int:pk>/split", registry.household_split, name="household-split"),
    path("<int:pk>/merge", registry.household_merge, name="household-merge"),
    path("members/<int:pk>/edit", registry.member_edit, name="member-edit"),
    path("members/<int:pk>/died", registry.member_died, name="member-died"),
    path("members/<int:pk>/move", registry.member_move, name="member-move"),
    path("import/", io.household_import_view, name="household-import"),
    path("import/template.xlsx", io.household_template, name="household-template"),
]
