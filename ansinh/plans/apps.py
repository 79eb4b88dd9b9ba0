from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ansinh.plans"
    verbose_name = _("Plans, targets and periodic reports")
