"""URLs of the packages lane of the payments app (mounted at /payments/packages/)."""

from django.urls import URLPattern, URLResolver, path

from . import views_packages as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.package_list, name="package-list"),
    path("new", views.package_create, name="package-create"),
    path("<int:pk>/", views.package_detail, name="package-detail"),
]
