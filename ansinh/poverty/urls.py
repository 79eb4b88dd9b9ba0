"""Review rounds, their figures and lists, and the poverty standards: /households/rounds/…,
/households/figures/…, /households/standards/ (mounted under /households/ beside the register)."""

from django.urls import path

from .views import io, rounds

urlpatterns = [
    path("rounds/", rounds.round_list, name="round-list"),
    path("rounds/open/", rounds.round_open, name="round-open"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round-detail"),
    path("rounds/<int:pk>/step/", rounds.round_step, name="round-step"),
    path("rounds/<int:pk>/run/", rounds.round_run, name="round-run"),
    path("rounds/<int:pk>/decide/", rounds.round_decide, name="round-decide"),
    path("rounds/<int:pk>/figures/", rounds.round_figures, name="round-figures"),
    path("figures/", rounds.figures_latest, name="figures-latest"),
    path("figures/country/", rounds.figures_country, name="figures-country"),
    path("rounds/<int:pk>/figures.xlsx", rounds.round_figures_xlsx, name="round-figures-xlsx"),
    path("standards/", rounds.standard_list, name="standard-list"),
    path("rounds/<int:round_id>/list.xlsx", io.round_list_xlsx, name="round-list-xlsx"),
]
