"""The pages of possible duplicates."""

from django.urls import include, path

urlpatterns = [
    path("", include("ansinh.dedup.urls_review")),
]
