from django.urls import path

from . import views

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("<int:pk>/", views.unit_detail, name="unit-detail"),
    path("<int:pk>/hamlets/new", views.hamlet_create, name="hamlet-create"),
    path("<int:pk>/edit", views.hamlet_edit, name="hamlet-edit"),
]
