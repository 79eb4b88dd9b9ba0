"""Dossiers (hồ sơ tăng, giảm) and death-benefit proposals (helper REGISTRY's pages)."""

from django.urls import URLPattern, path

from . import views_registry as views

urlpatterns: list[URLPattern] = [
    path("dossiers/", views.dossier_list, name="benefit-dossier-list"),
    path("dossiers/new", views.dossier_create, name="benefit-dossier-create"),
    path("dossiers/<int:pk>", views.dossier_detail, name="benefit-dossier-detail"),
    path("dossiers/<int:pk>/check", views.dossier_check, name="benefit-dossier-check"),
    path("dossiers/<int:pk>/decide", views.dossier_decide, name="benefit-dossier-decide"),
    path("dossiers/<int:pk>/refuse", views.dossier_refuse, name="benefit-dossier-refuse"),
    path("proposals/", views.proposal_list, name="benefit-proposal-list"),
    path("proposals/<int:pk>/confirm", views.proposal_confirm, name="benefit-proposal-confirm"),
    path("proposals/<int:pk>/dismiss", views.proposal_dismiss, name="benefit-proposal-dismiss"),
]
