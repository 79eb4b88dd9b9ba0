"""A running job's live progress and heartbeat, beside the database.

The work of a job often runs inside one long transaction (a round's classification is all or
nothing): rows it writes are invisible to the web until it commits, and on SQLite nothing else may
write meanwhile. So the worker writes how far it is, and that it is alive, to a small file under
settings.JOBS_DIR (which the web server and the worker share), replaced atomically; the database
row keeps the status, and the outcome once the job ends.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings


def _path(job_id: int) -> Path:
    return Path(settings.JOBS_DIR) / "live" / f"{int(job_id)}.json"


def write(job_id: int, state: dict[str, Any]) -> None:
    path = _path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{job_id}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(job_id: int) -> dict[str, Any] | None:
    try:
        with open(_path(job_id), encoding="utf-8") as source:
            found = json.load(source)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def remove(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)
