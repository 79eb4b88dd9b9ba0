from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "ansinh.labour"
    verbose_name = _("Labour and employment")

    def ready(self) -> None:
        # The counted labour indicators (plans.counted.PROVIDERS), one module per registry; the
        # kinds of background job are found by the jobs app's autodiscovery (labour/jobs.py).
        from . import indicators

        indicators.register()
        # Unemployment dossiers and work permits on the procedures' due lists and on-time rates.
        from . import deadlines

        deadlines.register()
