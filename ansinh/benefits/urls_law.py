"""The law's pages (mounted at /benefits/law/)."""

from django.urls import path

from . import views_law

urlpatterns = [
    path("", views_law.benefit_rules, name="benefit-rules"),
    path("base/new", views_law.benefit_base_create, name="benefit-base-create"),
    path("rules/new", views_law.benefit_rule_create, name="benefit-rule-create"),
    path("rules/<int:pk>/edit", views_law.benefit_rule_edit, name="benefit-rule-edit"),
    path("top-ups/new", views_law.benefit_topup_create, name="benefit-topup-create"),
]
