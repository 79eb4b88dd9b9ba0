"""The people-served pages an officer uses every day (mounted at /benefits/): the start page, the
entitlements with their filters, a person's months, the forms, the martyrs and the import."""

from django.urls import URLPattern, path

from . import views_pages as views

urlpatterns: list[URLPattern] = [
    path("", views.benefits_home, name="benefits-home"),
    path("entitlements/", views.entitlement_list, name="entitlement-list"),
    path("entitlements/new", views.entitlement_create, name="entitlement-create"),
    path("entitlements/<int:pk>/", views.entitlement_detail, name="entitlement-detail"),
    path("entitlements/<int:pk>/edit", views.entitlement_edit, name="entitlement-edit"),
    path("entitlements/<int:pk>/stop", views.entitlement_stop, name="entitlement-stop"),
    path("people/<int:pk>/", views.benefit_person, name="benefit-person"),
    path("martyrs/", views.martyr_list, name="martyr-list"),
    path("martyrs/new", views.martyr_create, name="martyr-create"),
    path("import/", views.benefit_import, name="benefit-import"),
    path("import/template.xlsx", views.benefit_import_template, name="benefit-import-template"),
]
