"""The pages of the care app: each area keeps its own URL module (`urls_<area>.py`)."""

from django.urls import include, path

from .lanes import parts

urlpatterns = [path("", include(module)) for module in parts("urls")]
