"""The payments app's kinds of background job (found by `jobs`' autodiscovery): each part of the
app keeps its own module."""

from . import jobs_packages, jobs_payroll, jobs_settle  # noqa: F401
