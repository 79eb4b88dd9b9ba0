"""URLs of the plans app (reporting); included by ansinh/plans/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
