"""The pages of the abroad registry (a lane of issue 13 fills it)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
