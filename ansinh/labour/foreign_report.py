"""The reports on foreign workers of Decree 152/2020/NĐ-CP Art. 6 (kept by Decree 219/2025 [S]),
generated from the registry:

- the employer's 6-monthly and yearly report (Form 07/PLI), due before 5 Jul and 5 Jan;
- the province's report to the ministry (Form 08/PLI), due before 15 Jul and 15 Jan.

Data cut-off (Art. 6; Decree 09/2019/NĐ-CP Art. 12): 15 Dec of the year before to 14 Jun for
the six months, to 14 Dec for the year. The figures:
- workers employed: a granted work permit or confirmation of exemption valid on the cut-off's
  last day, by position and nationality;
- procedures in the period: permits and confirmations granted (by decision date) in the
  cut-off, by kind; refusals.

The forms' columns follow the figures the registry holds; the forms' own wording is not in the
digest [U], so the files say "theo Mẫu số 07/PLI, 08/PLI" and list each figure by name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ansinh.geo.models import Unit
from ansinh.lib.spreadsheets import Writer
from ansinh.lib.vietnamese import format_number
from ansinh.plans.periods import Period

from .countries import country_name
from .models import Employer, ForeignWorker, PermitKind, PermitState, Position, WorkPermit

POSITIONS = [Position.MANAGER, Position.EXECUTIVE, Position.EXPERT, Position.TECHNICAL]
POSITION_VI: dict[str, str] = {Position.MANAGER: "Nhà quản lý", Position.EXECUTIVE: "Giám đốc điều hành",
               Position.EXPERT: "Chuyên gia", Position.TECHNICAL: "Lao động kỹ thuật"}
KINDS = [PermitKind.ISSUE, PermitKind.REISSUE, PermitKind.EXTEND, PermitKind.EXEMPTION]
KIND_VI: dict[str, str] = {PermitKind.ISSUE: "Cấp mới", PermitKind.REISSUE: "Cấp lại", PermitKind.EXTEND: "Gia hạn",
           PermitKind.EXEMPTION: "Xác nhận không thuộc diện cấp"}


def report_period(year: int, half: bool) -> tuple[Period, dt.date, dt.date]:
    """The period (H1 or the year) and its cut-off days."""
    period = Period(year, "half", 1) if half else Period(year, "year", 1)
    start, end = period.cutoff
    return period, start, end


@dataclass
class EmployerFigures:
    employer: Employer
    workers: int = 0
    by_position: Counter[str] = field(default_factory=Counter)
    female: int = 0
    granted: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    people: list[tuple[ForeignWorker, WorkPermit]] = field(default_factory=list)

    @property
    def granted_total(self) -> int:
        return sum(self.granted.values())


@dataclass
class Report:
    start: dt.date
    end: dt.date
    employers: list[EmployerFigures]
    by_nationality: Counter[str]

    @property
    def workers(self) -> int:
        return sum(e.workers for e in self.employers)

    def granted(self, kind: str) -> int:
        return sum(e.granted[kind] for e in self.employers)

    def position(self, position: str) -> int:
        return sum(e.by_position[position] for e in self.employers)


def build(workers: QuerySet[ForeignWorker], start: dt.date, end: dt.date) -> Report:
    """The figures of the workers in `workers` (already scoped), four queries."""
    workers = workers.select_related("employer")
    valid = (WorkPermit.objects.filter(worker__in=workers, state=PermitState.GRANTED, valid_from__lte=end,
                                       valid_to__gte=end).order_by("worker_id", "-valid_to"))
    current: dict[int, WorkPermit] = {}
    for permit in valid:
        current.setdefault(permit.worker_id, permit)
    by_employer: dict[int, EmployerFigures] = {}
    nationality: Counter[str] = Counter()
    for worker in workers.filter(pk__in=list(current)).order_by("employer__name", "search_name"):
        figures = by_employer.setdefault(worker.employer_id, EmployerFigures(worker.employer))
        figures.workers += 1
        figures.by_position[worker.position] += 1
        figures.female += worker.sex == "female"
        figures.people.append((worker, current[worker.pk]))
        nationality[worker.nationality] += 1
    decided = (WorkPermit.objects.filter(worker__in=workers, decided_on__gte=start, decided_on__lte=end,
                                         state__in=[PermitState.GRANTED, PermitState.REFUSED])
               .values_list("worker__employer_id", "kind", "state"))
    missing: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
    for employer_id, kind, state in decided:
        missing[employer_id].append((kind, state))
    absent = [pk for pk in missing if pk not in by_employer]
    for employer in Employer.objects.filter(pk__in=absent):
        by_employer[employer.pk] = EmployerFigures(employer)
    for employer_id, items in missing.items():
        for kind, state in items:
            if state == PermitState.GRANTED:
                by_employer[employer_id].granted[kind] += 1
            else:
                by_employer[employer_id].refused += 1
    rows = sorted(by_employer.values(), key=lambda e: e.employer.search_name)
    return Report(start, end, rows, nationality)


def employer_xlsx(report: Report, employer: Employer, label: str) -> bytes:
    """Form 07/PLI: the employer's report, one row per foreign worker employed, then the totals."""
    figures = next((e for e in report.employers if e.employer.pk == employer.pk), EmployerFigures(employer))
    writer = Writer(constant_memory=False)
    ws = writer.sheet("Mẫu 07-PLI")
    bold = writer.format(bold=True)
    for line in ["Mẫu số 07/PLI (Nghị định 152/2020/NĐ-CP, Điều 6)",
                 f"BÁO CÁO TÌNH HÌNH SỬ DỤNG NGƯỜI LAO ĐỘNG NƯỚC NGOÀI {label.upper()}",
                 f"Người sử dụng lao động: {employer.name}" + (f" — Mã số thuế: {employer.tax_code}"
                                                               if employer.tax_code else ""),
                 f"Số liệu từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}", ""]:
        ws.append([(line, bold)])
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Quốc tịch", "Số hộ chiếu", "Vị trí công việc",
              "Chức danh", "Nơi làm việc", "Số giấy phép/xác nhận", "Hiệu lực từ", "Hiệu lực đến"]
    ws.append([(h, bold) for h in header])
    ws.widths([5, 24, 9, 11, 18, 13, 18, 16, 18, 18, 11, 11])
    for i, (worker, permit) in enumerate(figures.people, start=1):
        ws.append([i, worker.full_name, "Nữ" if worker.sex == "female" else "Nam",
                   f"{worker.birth_date:%d/%m/%Y}" if worker.birth_date else "", country_name(worker.nationality),
                   worker.passport_number, POSITION_VI.get(worker.position, ""), worker.job_title,
                   worker.workplace.name, permit.number, f"{permit.valid_from:%d/%m/%Y}" if permit.valid_from else "",
                   f"{permit.valid_to:%d/%m/%Y}" if permit.valid_to else ""])
    ws.append([])
    ws.append([("Tổng số người lao động nước ngoài đang làm việc", bold), (figures.workers, bold)])
    ws.append(["Trong đó nữ", figures.female])
    for position in POSITIONS:
        ws.append([POSITION_VI[position], figures.by_position[position]])
    for kind in KINDS:
        ws.append([f"{KIND_VI[kind]} trong kỳ", figures.granted[kind]])
    ws.append(["Bị từ chối trong kỳ", figures.refused])
    return writer.save()


def province_xlsx(report: Report, province: Unit, label: str) -> bytes:
    """Form 08/PLI: the province's report, one row per employer, the totals and the nationalities."""
    writer = Writer(constant_memory=False)
    ws = writer.sheet("Mẫu 08-PLI")
    bold = writer.format(bold=True)
    for line in ["Mẫu số 08/PLI (Nghị định 152/2020/NĐ-CP, Điều 6)",
                 f"BÁO CÁO TÌNH HÌNH NGƯỜI LAO ĐỘNG NƯỚC NGOÀI LÀM VIỆC TẠI {province.name.upper()} {label.upper()}",
                 f"Số liệu từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}", ""]:
        ws.append([(line, bold)])
    header = ["STT", "Người sử dụng lao động", "Mã số thuế", "Số lao động nước ngoài",
              *[POSITION_VI[p] for p in POSITIONS], "Nữ", *[KIND_VI[k] for k in KINDS], "Từ chối"]
    ws.append([(h, bold) for h in header])
    ws.widths([5, 34, 14, 12, 11, 11, 11, 11, 8, 9, 9, 9, 14, 9])
    for i, e in enumerate(report.employers, start=1):
        ws.append([i, e.employer.name, e.employer.tax_code, e.workers, *[e.by_position[p] for p in POSITIONS],
                   e.female, *[e.granted[k] for k in KINDS], e.refused])
    total = ["", "Tổng cộng", "", report.workers, *[report.position(p) for p in POSITIONS],
             sum(e.female for e in report.employers), *[report.granted(k) for k in KINDS],
             sum(e.refused for e in report.employers)]
    ws.append([(value, bold) for value in total])
    ws.append([])
    ws.append([("", bold), ("Theo quốc tịch", bold), ("", bold), ("Số người", bold)])
    for code, n in sorted(report.by_nationality.items(), key=lambda item: (-item[1], item[0])):
        ws.append(["", country_name(code), "", n])
    return writer.save()




def province_docx(report: Report, province: Unit, label: str, *, year: int) -> bytes:
    """Form 08/PLI as a report in the Decree 30/2020 layout (`ansinh.documents.layout`): the
    province's figures in sentences, the employers' table and the nationalities."""
    from docx.shared import Mm

    from ansinh.documents import layout

    doc = layout.document()
    place = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    layout.heading(doc, parent_body=f"UBND {province.name}", issuing_body="SỞ NỘI VỤ", number="……/BC-SNV",
                   place_date=layout.place_and_date(place, None, year))
    layout.title(doc, "BÁO CÁO", f"Tình hình người lao động nước ngoài làm việc tại {province.name} {label}")
    layout.body(doc, f"Thực hiện Điều 6 Nghị định 152/2020/NĐ-CP (Mẫu số 08/PLI), số liệu từ ngày "
                     f"{report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}, như sau:")
    nationalities = "; ".join(f"{country_name(code)} {format_number(n)}" for code, n in
                              sorted(report.by_nationality.items(), key=lambda item: (-item[1], item[0])))
    layout.body(doc, f"1. Số người lao động nước ngoài đang làm việc (có giấy phép lao động hoặc văn bản xác nhận "
                     f"không thuộc diện cấp còn hiệu lực): {format_number(report.workers)} người, tại "
                     f"{format_number(len([e for e in report.employers if e.workers]))} người sử dụng lao động"
                     + (f" ({nationalities})." if nationalities else "."))
    layout.body(doc, "2. Theo vị trí công việc: " + "; ".join(
        f"{POSITION_VI[p].lower()} {format_number(report.position(p))}" for p in POSITIONS) + ".")
    layout.body(doc, "3. Giải quyết thủ tục trong kỳ: " + "; ".join(
        f"{KIND_VI[k].lower()} {format_number(report.granted(k))}" for k in KINDS)
        + f"; từ chối {format_number(sum(e.refused for e in report.employers))}.")
    widths = [Mm(10), Mm(62), Mm(20), Mm(17), Mm(17), Mm(17), Mm(22)]
    grid = layout.table(doc, 1, widths, borders=True)
    for cell, text in zip(grid.rows[0].cells, ["STT", "Người sử dụng lao động", "Số LĐNN", "Cấp mới", "Cấp lại",
                                               "Gia hạn", "Xác nhận"], strict=True):
        layout.cell_text(cell, text, size=11, bold=True)
    layout.repeat_header(grid.rows[0])
    for i, e in enumerate(report.employers, start=1):
        values = [str(i), e.employer.name, format_number(e.workers), *[format_number(e.granted[k]) for k in KINDS]]
        for j, (cell, text) in enumerate(zip(grid.add_row().cells, values, strict=True)):
            layout.cell_text(cell, text, size=11, align="left" if j == 1 else "center")
    layout.closing(doc, recipients=layout.recipient_lines(["- Bộ Nội vụ;", f"- UBND {province.name};"]),
                   authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", name="")
    return layout.save(doc)


__all__ = ["Report", "build", "employer_xlsx", "province_docx", "province_xlsx", "report_period"]
