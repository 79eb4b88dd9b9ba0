from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "ansinh.care"
    verbose_name = _("Care, children and inspections")

    def ready(self) -> None:
        # The counted indicators of each area (plans.counted.PROVIDERS), one module per area; the
        # kinds of background job are found by the jobs app's autodiscovery (care/jobs*.py).
        from . import indicators

        indicators.register()
