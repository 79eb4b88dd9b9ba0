"""The care app's kinds of background job, one module per area (`jobs_<area>.py`), found here by
the jobs app's autodiscovery (`autodiscover_modules("jobs")` imports this module)."""

from .lanes import parts

parts("jobs")
