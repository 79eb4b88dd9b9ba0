"""URLs of the plans app (plans); included by ansinh/plans/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
