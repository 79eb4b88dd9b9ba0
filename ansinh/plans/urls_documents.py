"""URLs of the plans app (documents); included by ansinh/plans/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
