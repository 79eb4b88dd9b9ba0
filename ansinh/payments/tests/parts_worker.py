"""One province run of the month in a process of its own, its planning in PARTS parts (1: in one
go), on the database file given by ANSINH_DATABASE_URL; prints JSON — the lines written, whether
the run was planned again in one go, and the processes that planned a part (this one and
forked children).
    python -m ansinh.payments.tests.parts_worker PARTS PROVINCE_ID YYYY-MM-DD CHILDREN_FILE"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()
    from ansinh.accounts.audit import Actor
    from ansinh.geo.models import Unit
    from ansinh.payments import payroll as engine
    from ansinh.payments.models import PayrollLine

    parts, province, month, children = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    engine.PART_MAX, engine.PART_MIN_COMMUNES, engine.PART_MIN_ENTITLEMENTS = parts, 1, 1
    engine.forked.cores = lambda: parts  # type: ignore[assignment]  # whatever this machine has
    in_part, plan_jobs = engine._plan_in_part, engine._plan_jobs
    whole: list[int] = []

    def part(*args: Any) -> Any:  # here for the first part, in a child for the others
        with open(children, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return in_part(*args)

    def plan(*args: Any, **kwargs: Any) -> Any:
        if len(args) + len(kwargs) == 4:  # no `only`: the whole run in one go
            whole.append(1)
        return plan_jobs(*args, **kwargs)

    engine._plan_in_part, engine._plan_jobs = part, plan  # type: ignore[assignment]
    result = engine.run_unit(unit=Unit.objects.get(pk=province), month=dt.date.fromisoformat(month),
                             actor=Actor(user=None))
    lines = sorted(PayrollLine.objects.filter(payroll__month=dt.date.fromisoformat(month)).values_list(
        "person_id", "scheme", "for_month", "kind", "amount", "basis__rule", "basis__legal_basis", "commune_id",
        "hamlet_id", "entitlement_id", "channel", "account_number", "provisional", "carried_from_id",
        "payroll__commune_id", "payroll__field", "payroll__sequence", "payroll__lines_count",
        "payroll__people_count", "payroll__total", "payroll__recovery_total"))
    print(json.dumps({"lines": [[str(v) for v in line] for line in lines], "whole": len(whole), "pid": os.getpid(),
                      "count": result.lines, "people": result.people, "total": result.total}))


if __name__ == "__main__":
    main()
