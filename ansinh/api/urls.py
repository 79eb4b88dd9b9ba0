from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(api_version="1"), name="api-schema"),
    path("me", views.Me.as_view(), name="api-me"),
    path("units/", views.UnitList.as_view(), name="api-units"),
    path("units/<int:pk>", views.UnitDetail.as_view(), name="api-unit"),
    path("audit/", views.AuditList.as_view(), name="api-audit"),
]
