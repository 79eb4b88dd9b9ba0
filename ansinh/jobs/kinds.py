"""The kinds of background job: each app declares its own in its `jobs.py` with `register`.

A kind says how to run a job (`run(job, progress) -> Outcome`) and who may see or retry it
(`authorize(user, job, change)`, built on the app's access helpers: it raises Http404 or
PermissionDenied as they do).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ansinh.accounts.models import User

    from .models import Job


class Progress(Protocol):
    """What a job's code reports while it runs (throttled by the runner: call it as often as you like)."""

    def __call__(self, done: int, total: int | None = None) -> None: ...

    def say(self, message: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """How a job ended well: a sentence for the user, figures, and where to look at the result."""

    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    result_url: str = ""
    result_file: str = ""  # relative to settings.JOBS_DIR
    done: int | None = None


class JobError(Exception):
    """A failure whose message is meant for the user (already in their language); `problems` are
    shown below it (an import's rows and fields)."""

    def __init__(self, message: str, problems: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[Job, Progress], Outcome]
    authorize: Callable[[User, Job, bool], None]
    # Reload the page that polls when the job is done (its tables show the result).
    reload_on_success: bool = False


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"Job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Unknown job kind {name!r}: is its app's jobs.py imported?") from None
