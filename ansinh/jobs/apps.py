from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "ansinh.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Each app declares its kinds of job in its own `jobs.py` (as the admin finds `admin.py`):
        # the web process and the worker both know every kind before a job runs.
        autodiscover_modules("jobs")
