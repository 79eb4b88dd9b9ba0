"""URLs of the review queue of possible duplicates (mounted at /duplicates/)."""

from django.urls import URLPattern, URLResolver, path

from . import views_review

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_review.duplicate_list, name="duplicate-list"),
    path("<int:pk>/", views_review.duplicate_detail, name="duplicate-detail"),
    path("<int:pk>/decide/", views_review.duplicate_decide, name="duplicate-decide"),
    path("runs/", views_review.dedup_run_list, name="dedup-run-list"),
    path("runs/start/", views_review.dedup_run_start, name="dedup-run-start"),
]
