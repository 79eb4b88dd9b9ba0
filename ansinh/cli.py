"""The `ansinh` console script: everything `manage.py` does, plus this project's commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "runserver":
        from ansinh.settings import require_production_secrets

        require_production_secrets()
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
