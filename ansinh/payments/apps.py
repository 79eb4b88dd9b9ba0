from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "ansinh.payments"
    verbose_name = _("Payrolls and one-off packages")

    def ready(self) -> None:
        # The counted indicators of payrolls and packages (plans.counted.PROVIDERS); the kinds of
        # background job are found by the jobs app's autodiscovery (payments/jobs.py).
        from . import indicators, indicators_packages

        indicators.register()
        indicators_packages.register()
