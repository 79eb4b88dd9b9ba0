from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    """Poverty standards, the classification engine, review rounds, their figures and the file
    assessment. Reads the household register (`ansinh.households`); the register does not
    depend on it except where a household's page shows its poverty status."""

    name = "ansinh.poverty"
    verbose_name = _("Poverty review")
