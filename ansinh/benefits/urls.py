"""The pages of people served: each part of the app keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("ansinh.benefits.urls_pages")),
    path("law/", include("ansinh.benefits.urls_law")),
    path("", include("ansinh.benefits.urls_registry")),
    path("", include("ansinh.benefits.urls_checks")),
]
