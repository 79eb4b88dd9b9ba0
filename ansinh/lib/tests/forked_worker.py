"""`lib.forked.in_parts` in a process of its own (the test runner runs threads, where it does not
fork): `python -m ansinh.lib.tests.forked_worker CASE` prints JSON — the results, and this
process's id. The database is a file (ANSINH_DATABASE_URL): the in-memory one cannot be shared."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()
    from ansinh.lib import forked

    case = sys.argv[1]
    parent = os.getpid()

    def work(part: int) -> list[int]:
        if os.getpid() != parent and case == "fails" and part == 2:
            raise RuntimeError("a part that fails in its child")
        if os.getpid() != parent and case == "dies" and part == 1:
            os._exit(3)
        return [part, part * part, os.getpid()]

    results = forked.in_parts(work, [0, 1, 2], send=lambda r: tuple(r), receive=list)
    print(json.dumps({"results": results, "pid": parent, "can_fork": forked.can_fork()}))


if __name__ == "__main__":
    main()
