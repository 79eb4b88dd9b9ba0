"""Who may see a background job, and retry it: the rule of the record it works on.

Each kind's `authorize(user, job, change)` asks its app's access helpers (a round's job: the
round's `get_round_for_user`); outside that scope a job answers 404, like its record.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ansinh.accounts.access import get_scope

from .kinds import get_kind
from .models import Job


def get_job_for_user(user: Any, pk: int, *, change: bool = False) -> Job:
    """The job, if the user may see its record (else 404) and, with change=True, retry it (else 403)."""
    get_scope(user)  # anonymous: 403
    job = Job.objects.select_related("unit", "started_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    try:
        kind = get_kind(job.kind)
    except LookupError:
        raise Http404 from None
    kind.authorize(user, job, change)
    return job
