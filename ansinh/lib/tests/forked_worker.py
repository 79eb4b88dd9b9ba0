"""`lib.forked.in_parts` in a process of its own, on a database file (ANSINH_DATABASE_URL: SQLite's
in-memory database cannot be shared with a child): `python -m ansinh.lib.tests.forked_worker CASE`
prints JSON — the results, this process's id, and what it reads from the database after the parts
(each part reads it too, through a connection of its own)."""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()
    from django.db import connection

    from ansinh.lib import forked

    case = sys.argv[1]
    parent = os.getpid()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS parts_seen (n integer)")
        cursor.execute("DELETE FROM parts_seen")
        cursor.execute("INSERT INTO parts_seen (n) VALUES (1), (2), (3)")

    def work(part: int) -> list[int]:
        child = os.getpid() != parent
        if child and case == "fails" and part == 2:
            raise RuntimeError("a part that fails in its child")
        if child and case == "dies" and part == 1:
            os._exit(3)
        if child and case == "hangs" and part == 1:
            time.sleep(60)
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(n) FROM parts_seen")
            seen = cursor.fetchone()[0]
        return [part, part * part, os.getpid(), seen]

    results = forked.in_parts(work, [0, 1, 2], send=lambda r: tuple(r), receive=list,
                              timeout=2.0 if case == "hangs" else 3600.0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM parts_seen")
        after = cursor.fetchone()[0]
    print(json.dumps({"results": results, "pid": parent, "can_fork": forked.can_fork(), "after": after}))


if __name__ == "__main__":
    main()
