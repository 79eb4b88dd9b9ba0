from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "ansinh.procedures"
    verbose_name = _("Administrative procedures")

    def ready(self) -> None:
        # The counted indicators of dossiers (plans.counted.PROVIDERS); the import job kind is
        # found by the jobs app's autodiscovery (procedures/jobs.py).
        from . import indicators

        indicators.register()
