from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "ansinh.benefits"
    verbose_name = _("People served and their entitlements")

    def ready(self) -> None:
        # A death recorded in the register stops the person's entitlements and proposes the death
        # benefits, in the same transaction (the register does not import this app).
        from ansinh.households.services import DEATH_HOOKS

        from .services import on_member_died

        if on_member_died not in DEATH_HOOKS:
            DEATH_HOOKS.append(on_member_died)

        # The counted indicators of the people served (plans.counted.PROVIDERS).
        from .indicators import register

        register()

        # Benefit dossiers on the procedures' due lists and on-time rates (procedures.others).
        from . import deadlines

        deadlines.register()
