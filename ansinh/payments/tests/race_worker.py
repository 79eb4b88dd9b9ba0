"""One side of the concurrency test on SQLite: a separate process computing a commune's payroll
in the database file given by ANSINH_DATABASE_URL, started at a given moment.
    python -m ansinh.payments.tests.race_worker START_EPOCH COMMUNE_ID YYYY-MM-DD FIELD USER_ID"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()
    from ansinh.accounts.audit import Actor
    from ansinh.accounts.models import User
    from ansinh.geo.models import Unit
    from ansinh.payments import payroll

    start, commune_id, month, field, user_id = sys.argv[1:6]
    commune = Unit.objects.get(pk=int(commune_id))
    user = User.objects.get(pk=int(user_id))
    time.sleep(max(0.0, float(start) - time.time()))
    result = payroll.compute(commune=commune, month=dt.date.fromisoformat(month), field=field, actor=Actor(user=user))
    print(result.pk, result.lines_count)


if __name__ == "__main__":
    main()
