from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import households, views

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(api_version="1"), name="api-schema"),
    path("me", views.Me.as_view(), name="api-me"),
    path("units/", views.UnitList.as_view(), name="api-units"),
    path("units/<int:pk>", views.UnitDetail.as_view(), name="api-unit"),
    path("audit/", views.AuditList.as_view(), name="api-audit"),
    path("households/", households.HouseholdList.as_view(), name="api-households"),
    path("households/<int:pk>", households.HouseholdDetail.as_view(), name="api-household"),
    path("rounds/", households.RoundList.as_view(), name="api-rounds"),
    path("rounds/<int:pk>", households.RoundDetail.as_view(), name="api-round"),
    path("rounds/<int:pk>/assessments/", households.RoundAssessmentList.as_view(), name="api-round-assessments"),
    path("rounds/<int:pk>/figures/", households.RoundFigures.as_view(), name="api-round-figures"),
]
