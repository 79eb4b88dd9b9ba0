from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "ansinh.payments"
    verbose_name = _("Payrolls and one-off packages")

    def ready(self) -> None:
        # The counted indicators of payrolls and packages (plans.counted.PROVIDERS): each part of
        # the app registers its own provider module when it is there.
        import importlib
        import importlib.util

        for name in ("indicators", "indicators_packages"):
            if importlib.util.find_spec(f"ansinh.payments.{name}") is not None:
                importlib.import_module(f"ansinh.payments.{name}").register()
