"""The pages of the labour registries: each registry keeps its own URL module."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="placement-list"), name="labour-home"),
    path("", include("ansinh.labour.urls_placements")),
    path("training/", include("ansinh.labour.urls_training")),
    path("", include("ansinh.labour.urls_abroad")),
    path("unemployment/", include("ansinh.labour.urls_unemployment")),
]
