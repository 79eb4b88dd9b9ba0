"""Processing times of the work-permit procedures for foreign workers, as dated data (frozen here:
this migration does not import the app's code). Administrators change them on the page of the
law's rows (audited `labour.law.save`).

- Decree 152/2020/NĐ-CP (in force 15 Feb 2021), as amended by Decree 70/2023/NĐ-CP (18 Sep 2023):
  first issue 5 working days (Art. 11), re-issue 3 (Art. 14), extension 5 (Art. 16, 18),
  confirmation of exemption 5 (Art. 8); until 6 Aug 2025.
- Decree 219/2025/NĐ-CP (in force 7 Aug 2025, replacing both): issue 10 working days (refusal
  within 3), re-issue 3, extension 10, confirmation of exemption 5 (refusal within 3), as the
  provinces publish them (Bắc Ninh QĐ 1513/QĐ-UBND of 22 Nov 2025, after QĐ 886/QĐ-BNV); the
  decree's own text was not read, so these rows are marked provisional until confirmed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

D152 = "Nghị định 152/2020/NĐ-CP"
D152_BASIS = "Nghị định 152/2020/NĐ-CP, sửa đổi bởi Nghị định 70/2023/NĐ-CP"
D219 = "Nghị định 219/2025/NĐ-CP"
D219_BASIS = ("Nghị định 219/2025/NĐ-CP; thời hạn theo QĐ 886/QĐ-BNV (công bố tại QĐ 1513/QĐ-UBND tỉnh Bắc Ninh "
              "ngày 22/11/2025)")

# kind, decree, valid_from, valid_to, working days, refusal working days, legal basis, provisional
ROWS = [
    ("issue", D152, "2021-02-15", "2025-08-06", 5, None, f"{D152_BASIS}, Điều 11", False),
    ("reissue", D152, "2021-02-15", "2025-08-06", 3, None, f"{D152_BASIS}, Điều 14", False),
    ("extend", D152, "2021-02-15", "2025-08-06", 5, None, f"{D152_BASIS}, Điều 16, 18", False),
    ("exemption", D152, "2021-02-15", "2025-08-06", 5, None, f"{D152_BASIS}, Điều 8", False),
    ("issue", D219, "2025-08-07", None, 10, 3, D219_BASIS, True),
    ("reissue", D219, "2025-08-07", None, 3, None, D219_BASIS, True),
    ("extend", D219, "2025-08-07", None, 10, None, D219_BASIS, True),
    ("exemption", D219, "2025-08-07", None, 5, 3, D219_BASIS, True),
]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def forwards(apps: Any, schema_editor: Any) -> None:
    PermitRule = apps.get_model("labour", "PermitRule")
    for kind, decree, start, end, days, refusal, basis, provisional in ROWS:
        PermitRule.objects.update_or_create(
            kind=kind, valid_from=_date(start),
            defaults={"decree": decree, "valid_to": _date(end), "working_days": days,
                      "refusal_working_days": refusal, "legal_basis": basis, "provisional": provisional})


def backwards(apps: Any, schema_editor: Any) -> None:
    PermitRule = apps.get_model("labour", "PermitRule")
    for kind, _decree, start, *_rest in ROWS:
        PermitRule.objects.filter(kind=kind, valid_from=_date(start)).delete()


class Migration(migrations.Migration):

    dependencies = [("labour", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
