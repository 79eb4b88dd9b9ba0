"""Review rounds, their figures and the poverty standards: /households/rounds/…, /households/standards/"""

from django.urls import path

from . import views_rounds as views

urlpatterns = [
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/open/", views.round_open, name="round-open"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/step/", views.round_step, name="round-step"),
    path("rounds/<int:pk>/run/", views.round_run, name="round-run"),
    path("rounds/<int:pk>/decide/", views.round_decide, name="round-decide"),
    path("rounds/<int:pk>/figures/", views.round_figures, name="round-figures"),
    path("figures/", views.figures_latest, name="figures-latest"),
    path("figures/country/", views.figures_country, name="figures-country"),
    path("rounds/<int:pk>/figures.xlsx", views.round_figures_xlsx, name="round-figures-xlsx"),
    path("standards/", views.standard_list, name="standard-list"),
]
