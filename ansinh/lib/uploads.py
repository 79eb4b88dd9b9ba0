"""The bytes of an import's file, whatever it came as: a path (the CLI), an uploaded file (the
pages, the API) or bytes (tests, jobs), within the upload limit (`ANSINH_UPLOAD_MAX_BYTES`). Shared
by the imports that read a file themselves before parsing it (payments' results, the procedures'
portal export), so that none reads another app's private helper."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_noop

from ansinh.lib.spreadsheets import LimitError, Source
from ansinh.lib.tabular import ImportProblems, Problem, message, upload_max_bytes
from ansinh.lib.vietnamese import format_number


def _too_large() -> LimitError:
    return LimitError(str(message(gettext_noop("the file is larger than %(size)s MB"),
                                  size=format_number(upload_max_bytes() // (1024 * 1024)))))


def read_source(source: Source) -> tuple[bytes, str]:
    """The file's bytes and its name ("" for bytes). A missing path is a problem of the import
    (`ImportProblems`); a file over the limit raises `LimitError`, read no further than the limit."""
    if isinstance(source, bytes):
        return source, ""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ImportProblems([Problem("", 0, "", message(gettext_noop("The file %(name)s does not exist."),
                                                             name=str(source)))])
        if path.stat().st_size > upload_max_bytes():
            raise _too_large()
        return path.read_bytes(), path.name
    data = source.read(upload_max_bytes() + 1)
    if len(data) > upload_max_bytes():
        raise _too_large()
    return data, Path(str(getattr(source, "name", "") or "")).name


__all__ = ["Source", "read_source"]
