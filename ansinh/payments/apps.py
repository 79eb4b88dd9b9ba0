from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "ansinh.payments"
    verbose_name = _("Payrolls and one-off packages")

    def ready(self) -> None:
        # The packages' job kind and counted indicators (each part of the app keeps its own modules).
        from . import indicators_packages, jobs_packages  # noqa: F401

        indicators_packages.register()
