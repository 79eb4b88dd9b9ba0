from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    """The register of households and people (members, events, living conditions)."""

    name = "ansinh.households"
    verbose_name = _("Households")
