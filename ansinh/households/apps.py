from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "ansinh.households"
    verbose_name = _("Households and poverty review")
