from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "ansinh.benefits"
    verbose_name = _("People served and their entitlements")
