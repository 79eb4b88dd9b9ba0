"""Seed 001's first quarter of 2020 as registry records (issue 13, "what shows it works"): the
example files in `examples/labour/` and their loading.

`python -m ansinh.labour.examples` writes the files (no database: communes from the official map
data); the same content always gives the same bytes. `load(province=…)` imports them into a demo
map through each registry's own importer, after the register of people they name:

- `households.xlsx` — the register (the households import format): one household per person,
  7.645 people in the 41 communes of Vĩnh Long (86) that kept the code of a legacy Trà Vinh (84)
  commune, with the sex, ethnicity and birth dates that give seed 001's parts (nữ 3.899, dân tộc
  2.142, thanh niên 4.969 — 16–30 on the day of the placement or departure);
- `placements.csv` — 7.453 placements (7.645 jobs with the 192 departures);
- `departures.csv` — 192 departures (Đài Loan 61, Nhật Bản 128, Hàn Quốc 3), each making its placement;
- `counselling.csv` — 11.913 lượt (11.142 on unemployment benefit);
- `enrolments.csv` — 2.650 people trained (trung cấp 419, sơ cấp 210, dưới 03 tháng 2.021: the
  seed's "2.031" cannot be, its parts would add up to 2.660 > 2.650; the figure counted from records
  must add up);
- `unemployment.csv` — 1.506 dossiers decided in the quarter by Law 38/2013 (60 % of the average
  salary; 3 months for 24 months contributed, 4 for 48): 1.442 × 3 × 3.000.000 + 63 × 4 × 3.000.000
  + 1 × 4 × 3.250.000 = 13.747.000.000 đồng (13.747 triệu), under the cap (5 × 3.070.000, region IV,
  Decree 90/2019);
- `foreign_workers.csv` — 1.186 workers with a permit valid on 31/03/2020 (1.011 Chinese).

The two job fairs of the quarter are sessions (no import: recorded on the sessions page), made by
`load`; the training providers named by the enrolments likewise (the page «Cơ sở đào tạo»).

The records carry communes of the CURRENT map: the report reads them for a plan of the current
province (86) for 2020 (`load` makes one: the seed's targets), not through the legacy plan of
Trà Vinh (84), whose declared figures stay what they are (see README, "How labour figures are
counted").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "labour"
PEOPLE = 7645
PLACEMENTS = 7453
DEPARTURES = {"Đài Loan": 61, "Nhật Bản": 128, "Hàn Quốc": 3}
FEMALE, MINORITY, YOUTH = 3899, 2142, 4969
COUNSELLING, ON_BENEFIT = 11913, 11142
LEVELS = {"Trung cấp": 419, "Sơ cấp": 210, "Đào tạo dưới 03 tháng": 2021}
DOSSIERS = 1506
FOREIGN = {"Trung Quốc": 1011, "Hàn Quốc": 100, "Nhật Bản": 40, "Đài Loan (Trung Quốc)": 35}
PROVIDERS = ["Trường Cao đẳng nghề Trà Vinh", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Trà Cú"]
JOB_FAIRS = [(dt.date(2020, 1, 10), "Phiên giao dịch việc làm tháng 01/2020"),
             (dt.date(2020, 2, 14), "Phiên giao dịch việc làm tháng 02/2020")]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
KHMER_SURNAMES = ["Thạch", "Kim", "Sơn", "Lâm", "Danh"]
MIDDLE = {"male": ["Văn", "Minh", "Quốc", "Hữu"], "female": ["Thị", "Ngọc", "Thu", "Kim"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Hải", "Khang", "Long", "Nam", "Phúc", "Tài", "Sol", "Tha"],
         "female": ["Anh", "Bích", "Chi", "Dung", "Hoa", "Lan", "Mai", "Ngân", "Phương", "Thảo", "Sa Phol", "Vy"]}
FILES = ["households.xlsx", "placements.csv", "departures.csv", "counselling.csv", "enrolments.csv",
         "unemployment.csv", "foreign_workers.csv"]


def communes() -> list[str]:
    """The communes of Vĩnh Long (86) that kept the code of a commune of legacy Trà Vinh (84)."""
    from ansinh.geo.loader import official_rows

    rows = list(official_rows())
    districts = {r.code for r in rows if r.edition == "legacy" and r.parent == ("legacy", "84")}
    legacy = {r.code for r in rows if r.edition == "legacy" and r.parent and r.parent[1] in districts}
    return sorted(r.code for r in rows if r.edition == "current" and r.parent == ("current", "86") and r.code in legacy)


def _spread(i: int, step: int, n: int = PEOPLE) -> int:
    """A permutation of 0..n-1 (step prime to n), so the parts fall on different people."""
    return (i * step) % n


def person(i: int) -> dict[str, Any]:
    """The i-th person: sex, ethnicity and birth date chosen for seed 001's parts."""
    sex = "female" if i < FEMALE else "male"
    khmer = _spread(i, 7919) < MINORITY
    youth = _spread(i, 7877) < YOUTH
    year = 1993 + i % 7 if youth else 1970 + i % 15  # 20–27 or 35–50 in the first quarter of 2020
    birth = dt.date(year, 1 + i % 12, 1 + i % 28)
    surname = (KHMER_SURNAMES if khmer else SURNAMES)[i % 5 if khmer else i % 10]
    name = f"{surname} {MIDDLE[sex][i // 7 % 4]} {GIVEN[sex][i // 11 % 12]}"
    century = (0 if year < 2000 else 2) + (1 if sex == "female" else 0)
    citizen_id = f"084{century}{year % 100:02d}{i:06d}"
    return {"index": i, "sex": sex, "khmer": khmer, "youth": youth, "birth": birth, "name": name,
            "citizen_id": citizen_id}


def _day(i: int, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=i % days)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    return out.getvalue().encode("utf-8")


def _who(p: dict[str, Any]) -> list[Any]:
    return [p["name"], p["birth"], p["citizen_id"]]


def households_xlsx(people: Sequence[dict[str, Any]], codes: Sequence[str]) -> bytes:
    from ansinh.households.importer import SHEET_HOUSEHOLDS, SHEET_MEMBERS
    from ansinh.lib.spreadsheets import Writer

    workbook = Writer()
    workbook.book.set_properties({"created": dt.datetime(2020, 3, 31, 8), "author": "ansinh"})  # same bytes each time
    date = workbook.format(num_format="dd/mm/yyyy")
    homes = workbook.sheet(SHEET_HOUSEHOLDS)
    homes.append(["Mã hộ", "Mã xã", "Mã xã cũ", "Địa chỉ", "Dân tộc chủ hộ"])
    for p in people:
        code = codes[p["index"] % len(codes)]
        homes.append([f"LD20-{p['index']:05d}", code, code, f"Hộ số {p['index'] + 1}",
                      "Khmer" if p["khmer"] else "Kinh"])
    members = workbook.sheet(SHEET_MEMBERS)
    members.append(["Mã hộ", "Họ và tên", "Số định danh cá nhân", "Giới tính", "Ngày sinh", "Quan hệ với chủ hộ",
                    "Dân tộc", "Việc làm"])
    for p in people:
        members.append([f"LD20-{p['index']:05d}", p["name"], p["citizen_id"], "Nữ" if p["sex"] == "female" else "Nam",
                        (p["birth"], date), "Chủ hộ", "Khmer" if p["khmer"] else "Kinh",
                        "Làm công, có hợp đồng lao động"])
    return workbook.save()


def build() -> dict[str, bytes]:
    """The example files, by name."""
    people = [person(i) for i in range(PEOPLE)]
    q1 = dt.date(2020, 1, 2)
    placements = [[*_who(people[i]), _day(i, q1, 88),
                   ["Doanh nghiệp", "Trung tâm DVVL", "Vay vốn", "Việc làm công"][i % 4],
                   f"Công ty TNHH May Trà Vinh {i % 9 + 1}" if i % 4 == 0 else "", "", "Có" if i % 3 == 0 else "", ""]
                  for i in range(PLACEMENTS)]
    departures = []
    i = PLACEMENTS
    for country, n in DEPARTURES.items():
        for k in range(n):
            departures.append([*_who(people[i]), country, "Doanh nghiệp dịch vụ", "Công ty CP Xuất khẩu lao động Cửu Long",
                               "Công nhân sản xuất", 36, _day(k, dt.date(2020, 1, 6), 80), "", "", ""])
            i += 1
    counselling = [[*_who(people[r % PEOPLE]), _day(r, q1, 40) if r < PEOPLE else _day(r, dt.date(2020, 2, 12), 45),
                    "Việc làm", "Có" if r < ON_BENEFIT else "", "", ""] for r in range(COUNSELLING)]
    enrolments = []
    r = 0
    for level, n in LEVELS.items():
        for k in range(n):
            start = dt.date(2020, 1, 6) + dt.timedelta(days=7 * (k % 12))
            enrolments.append([*_who(people[r]), PROVIDERS[0] if level != "Đào tạo dưới 03 tháng" else PROVIDERS[1],
                               "May công nghiệp" if k % 2 else "Kỹ thuật nông nghiệp", level,
                               "phi nông nghiệp" if k % 2 else "nông nghiệp", "", start, start, "", "", ""])
            r += 1
    unemployment = []
    for k in range(DOSSIERS):
        p = people[2650 + k]
        ended = dt.date(2020, 1, 2) + dt.timedelta(days=k % 20)
        filed = ended + dt.timedelta(days=7)
        decided = filed + dt.timedelta(days=14)
        months, salary = (24, 5_000_000) if k < 1442 else (48, 5_000_000) if k < 1505 else (48, 5_416_667)
        unemployment.append([*_who(p), filed, f"Công ty TNHH Giày da Trà Vinh {k % 7 + 1}", "IV",
                             "Không xác định thời hạn", ended, months, salary, "Không", decided,
                             f"{k + 1:04d}/QĐ-SLĐTBXH"])
    foreign = []
    k = 0
    for country, n in FOREIGN.items():
        for _ in range(n):
            received = dt.date(2019, 3, 1) + dt.timedelta(days=k % 300)
            granted = received + dt.timedelta(days=5)
            foreign.append([f"WORKER {k + 1:04d}", f"E{k + 1:07d}", country, "Nam" if k % 5 else "Nữ",
                            dt.date(1975 + k % 20, 1 + k % 12, 1 + k % 28),
                            f"Công ty TNHH Năng lượng Duyên Hải {k % 5 + 1}", f"21{k % 5 + 1:08d}",
                            "Lao động kỹ thuật" if k % 4 else "Chuyên gia", "Kỹ sư", "Duyên Hải", "Cấp giấy phép",
                            received, granted, f"{k + 1:04d}/GPLĐ", granted, granted + dt.timedelta(days=700)])
            k += 1
    return {
        "households.xlsx": households_xlsx(people, communes()),
        "placements.csv": _csv(["Họ và tên", "Ngày sinh", "Số CCCD", "Ngày giải quyết việc làm", "Hình thức",
                                "Người sử dụng lao động", "Mã số thuế", "Việc làm tăng thêm", "Ghi chú"], placements),
        "departures.csv": _csv(["Họ và tên", "Ngày sinh", "Số CCCD", "Nước đến", "Hình thức đưa đi",
                                "Doanh nghiệp đưa đi", "Công việc", "Thời hạn hợp đồng (tháng)", "Ngày xuất cảnh",
                                "Ngày về nước", "Tình trạng", "Mã số lao động"], departures),
        "counselling.csv": _csv(["Họ và tên", "Ngày sinh", "Số CCCD", "Ngày tư vấn", "Nội dung tư vấn",
                                 "Đang hưởng trợ cấp thất nghiệp", "Phiên", "Ghi chú"], counselling),
        "enrolments.csv": _csv(["Họ và tên", "Ngày sinh", "Số CCCD", "Cơ sở đào tạo", "Nghề đào tạo", "Trình độ",
                                "Lĩnh vực", "Nguồn kinh phí", "Ngày khai giảng", "Ngày nhập học", "Tình trạng",
                                "Ngày tốt nghiệp", "Số văn bằng, chứng chỉ"], enrolments),
        "unemployment.csv": _csv(["Họ và tên", "Ngày sinh", "Số CCCD", "Ngày nộp hồ sơ", "Đơn vị làm việc cuối cùng",
                                  "Vùng", "Loại hợp đồng", "Ngày chấm dứt hợp đồng", "Số tháng đóng",
                                  "Tiền lương bình quân", "Lương theo chế độ Nhà nước", "Ngày quyết định",
                                  "Số quyết định"], unemployment),
        "foreign_workers.csv": _csv(["Họ và tên", "Số hộ chiếu", "Quốc tịch", "Giới tính", "Ngày sinh",
                                     "Người sử dụng lao động", "Mã số thuế", "Vị trí công việc", "Chức danh",
                                     "Nơi làm việc", "Loại thủ tục", "Ngày tiếp nhận", "Ngày cấp", "Số giấy phép",
                                     "Hiệu lực từ", "Hiệu lực đến"], foreign),
    }


def write(directory: Path = EXAMPLES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in build().items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    for path in write(Path(args[0]) if args else EXAMPLES_DIR):
        print(path)


Write = Callable[[str], None]

# Processing times of Decree 11/2016/NĐ-CP (in force before Decree 152/2020, to 14 Feb 2021), which
# the permit rules shipped by the abroad registry do not cover yet: the 2019 permits of the example
# need them. Marked provisional; the registry's own data should carry them (told to the integrator).
D11 = "Nghị định 11/2016/NĐ-CP"
PERMIT_RULES_2016 = [("issue", 7, "Điều 12"), ("reissue", 3, "Điều 14"), ("exemption", 3, "Điều 8")]


PERMIT_CODES_2016 = {"issue": ("DP.LDNN.CAPGP", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam"),
                     "reissue": ("DP.LDNN.CAPLAI", "Cấp lại giấy phép lao động"),
                     "exemption": ("DP.LDNN.MIEN", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao "
                                                   "động")}


def _permit_rules_2016() -> None:
    """The decree's rows and their versions in the catalogue of procedures, which sets every
    dossier's deadline (`ansinh.procedures.deadlines`)."""
    from ansinh.procedures.models import Procedure, ProcedureLevel

    from .models import PermitRule

    for kind, days, article in PERMIT_RULES_2016:
        basis = f"{D11}, {article}"
        PermitRule.objects.get_or_create(
            kind=kind, valid_from=dt.date(2016, 4, 1),
            defaults={"decree": D11, "valid_to": dt.date(2021, 2, 14), "legal_basis": basis, "provisional": True})
        code, name = PERMIT_CODES_2016[kind]
        Procedure.objects.get_or_create(
            code=code, valid_from=dt.date(2016, 4, 1),
            defaults={"name": name, "field": "labour", "receiving_level": ProcedureLevel.PROVINCE,
                      "deciding_level": ProcedureLevel.PROVINCE, "days": days, "legal_basis": basis,
                      "valid_to": dt.date(2021, 2, 14), "provisional": True, "used_for": f"permit_{kind}"})


def load(*, province: Any, directory: Path = EXAMPLES_DIR, write: Write = print) -> dict[str, int]:
    """Imports the example files into `province` (Vĩnh Long, 86, on a demo map): the register, the
    training providers and the two job fairs, then each registry's file through its own importer
    (all or nothing; ImportProblems raised as they are). Returns the records made, by file."""
    from ansinh.accounts.audit import Actor
    from ansinh.geo.models import Edition, Level, Unit
    from ansinh.households.importer import household_import

    from .counselling import session_save
    from .counselling_import import import_counselling
    from .import_abroad import import_departures, import_foreign_workers
    from .models import CounsellingSession, ProviderKind, SessionKind, TrainingProvider
    from .placements_import import import_placements
    from .training import training_provider_save
    from .training_import import import_enrolments
    from .unemployment_import import import_unemployment

    actor = Actor.system()
    made: dict[str, int] = {}
    _permit_rules_2016()
    result = household_import(actor=actor, data=directory / "households.xlsx", name="households.xlsx")
    made["households.xlsx"] = int(getattr(result, "members", 0) or getattr(result, "created", 0) or 0)
    town = Unit.objects.get(edition=Edition.CURRENT, level=Level.COMMUNE, code="29461", path__startswith=province.path)
    for name in PROVIDERS:
        if not TrainingProvider.objects.filter(name=name).exists():
            training_provider_save(actor=actor, name=name, kind=ProviderKind.PUBLIC, unit=town)
    for held_on, title in JOB_FAIRS:
        if not CounsellingSession.objects.filter(unit=province, held_on=held_on, title=title).exists():
            session_save(actor=actor, kind=SessionKind.JOB_FAIR, unit=province, held_on=held_on, title=title,
                         organiser="Trung tâm Dịch vụ việc làm", attendance=1500, employers=30, vacancies=2000)
    importers: list[tuple[str, Callable[..., Any]]] = [
        ("enrolments.csv", import_enrolments), ("departures.csv", import_departures),
        ("unemployment.csv", import_unemployment), ("placements.csv", import_placements),
        ("counselling.csv", import_counselling), ("foreign_workers.csv", import_foreign_workers)]
    for name, importer in importers:
        done = importer(actor=actor, data=(directory / name).read_bytes(), filename=name, province=province)
        made[name] = done.created
        write(f"{name}: {done.created}")
    return made


if __name__ == "__main__":
    main()
