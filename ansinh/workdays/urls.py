from django.urls import path

from . import views

urlpatterns = [
    path("", views.calendar_year, name="calendar-year"),
    path("new", views.calendar_day_create, name="calendar-day-create"),
    path("<int:pk>/edit", views.calendar_day_edit, name="calendar-day-edit"),
    path("<int:pk>/delete", views.calendar_day_delete, name="calendar-day-delete"),
]
