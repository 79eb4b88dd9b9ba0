from django.urls import path

from . import views

urlpatterns = [
    path("", views.dossier_list, name="procedure-dossier-list"),
    path("receive/", views.dossier_receive, name="procedure-dossier-receive"),
    path("import/", views.dossier_import, name="procedure-dossier-import"),
    path("rates/", views.rates, name="procedure-rates"),
    path("catalogue/", views.procedure_list, name="procedure-list"),
    path("catalogue/new/", views.procedure_edit, name="procedure-create"),
    path("catalogue/<int:pk>/", views.procedure_edit, name="procedure-edit"),
    path("handover-rules/<int:pk>/", views.handover_rule_edit, name="procedure-handover-rule-edit"),
    path("<int:pk>/", views.dossier_detail, name="procedure-dossier-detail"),
    path("<int:pk>/apology.docx", views.apology_slip, name="procedure-apology-slip"),
    path("<int:pk>/<slug:step>/", views.dossier_step, name="procedure-dossier-step"),
]
