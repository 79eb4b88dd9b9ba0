"""Households, the poverty review and its figures: /households/…"""

from django.urls import include, path

urlpatterns = [
    path("", include("ansinh.households.urls_registry")),
    path("", include("ansinh.households.urls_rounds")),
    path("", include("ansinh.households.urls_io")),
]
