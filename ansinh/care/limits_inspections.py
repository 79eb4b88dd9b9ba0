"""Statutory time limits of complaints, denunciations and recommendations, as dated data.

Each `Limit` says how long a stage may take, whether the law counts it in working days or in days,
from when it is in force and on what legal basis; `provisional` marks a row not confirmed from the
primary text. A term runs from the day after its start (Civil Code 91/2015/QH13, Art. 147.2):
- in working days: the n-th working day of the province's calendar (`ansinh.workdays`), so Tết,
  make-up Saturdays and a weekly rest day given back are counted as the calendar says;
- in days: the n-th calendar day; when that last day is a weekly rest day or a holiday, the term
  ends on the next working day (Civil Code Art. 148.5).

The rules (see `LIMITS`):
- Complaints, Law 02/2011/QH13: acceptance within 10 days of receipt (Art. 27, Art. 36); first
  resolution 30 days from acceptance, 45 for a complicated case; in remote areas 45 and 60
  (Art. 28); second resolution 45 and 60, remote 60 and 70 (Art. 37).
- Denunciations, Law 25/2018/QH14: recording, checking and deciding whether to accept within 7
  working days of receipt (Art. 24.1); resolution 30 days from acceptance (Art. 30.1), extended
  once by up to 30 days for a complicated case, twice (30 each) for an especially complicated one.
- Recommendations and reports (kiến nghị, phản ánh): the letter is handled within 10 working days
  of receipt (Circular 05/2021/TT-TTCP, Art. 6, on handling letters) [provisional].
- From 1 Jul 2026 Law 136/2025/QH15 amends the Laws on Citizen Reception, Complaints and
  Denunciations (online reception, withdrawal and suspension of a complaint, the two-level
  local government); the summaries read say nothing of new time limits, so the same terms are
  carried on under it, marked provisional until its text is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ansinh.lib.workdays import WorkingCalendar

from .models_inspections import Complexity, PetitionKind

COMPLAINTS = "Luật Khiếu nại 02/2011/QH13"
DENUNCIATIONS = "Luật Tố cáo 25/2018/QH14"
AMENDED_2026 = "Luật 136/2025/QH15 sửa đổi Luật Tiếp công dân, Luật Khiếu nại, Luật Tố cáo (từ 01/7/2026)"
LETTERS = "Thông tư 05/2021/TT-TTCP, Điều 6 (xử lý đơn)"
END_ON_DAY_OFF = "Bộ luật Dân sự 2015, Điều 148.5 (ngày cuối là ngày nghỉ: hết hạn vào ngày làm việc tiếp theo)"
AMENDMENT_DAY = dt.date(2026, 7, 1)
EXTENSION_DAYS = 30  # Law 25/2018/QH14, Art. 30.1
MAX_EXTENSIONS = {Complexity.NORMAL: 0, Complexity.COMPLICATED: 1, Complexity.VERY: 2}


@dataclass(frozen=True)
class Limit:
    kind: str  # PetitionKind
    stage: str  # "accept" or "resolve"
    days: int
    working: bool  # counted in working days (else days)
    basis: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    instance: int = 1  # complaints: first or second resolution
    remote: bool = False
    complicated: bool = False
    provisional: bool = False

    @property
    def label(self) -> str:
        unit = "ngày làm việc" if self.working else "ngày"
        mark = " (tạm tính, chưa đối chiếu văn bản gốc)" if self.provisional else ""
        return f"{self.days} {unit} — {self.basis}{mark}"


def _complaint_rows(valid_from: dt.date, valid_to: dt.date | None, basis: str, provisional: bool) -> list[Limit]:
    rows = [Limit(PetitionKind.COMPLAINT, "accept", 10, False, f"{basis}, Điều 27", valid_from, valid_to, 1,
                  provisional=provisional),
            Limit(PetitionKind.COMPLAINT, "accept", 10, False, f"{basis}, Điều 36", valid_from, valid_to, 2,
                  provisional=provisional)]
    # (instance, remote, complicated) → days: Art. 28 (first), Art. 37 (second).
    terms = {(1, False, False): 30, (1, False, True): 45, (1, True, False): 45, (1, True, True): 60,
             (2, False, False): 45, (2, False, True): 60, (2, True, False): 60, (2, True, True): 70}
    for (instance, remote, complicated), days in terms.items():
        article = "Điều 28" if instance == 1 else "Điều 37"
        rows.append(Limit(PetitionKind.COMPLAINT, "resolve", days, False, f"{basis}, {article}", valid_from, valid_to,
                          instance, remote, complicated, provisional))
    return rows


def _denunciation_rows(valid_from: dt.date, valid_to: dt.date | None, basis: str, provisional: bool) -> list[Limit]:
    return [Limit(PetitionKind.DENUNCIATION, "accept", 7, True, f"{basis}, Điều 24.1", valid_from, valid_to,
                  provisional=provisional),
            Limit(PetitionKind.DENUNCIATION, "resolve", 30, False, f"{basis}, Điều 30.1", valid_from, valid_to,
                  provisional=provisional)]


LIMITS: list[Limit] = [
    *_complaint_rows(dt.date(2012, 7, 1), AMENDMENT_DAY - dt.timedelta(days=1), COMPLAINTS, False),
    *_complaint_rows(AMENDMENT_DAY, None, f"{COMPLAINTS}; {AMENDED_2026}", True),
    *_denunciation_rows(dt.date(2019, 1, 1), AMENDMENT_DAY - dt.timedelta(days=1), DENUNCIATIONS, False),
    *_denunciation_rows(AMENDMENT_DAY, None, f"{DENUNCIATIONS}; {AMENDED_2026}", True),
    Limit(PetitionKind.RECOMMENDATION, "resolve", 10, True, LETTERS, dt.date(2021, 8, 15), provisional=True),
]


def limit_for(*, kind: str, stage: str, on: dt.date, instance: int = 1, remote: bool = False,
              complicated: bool = False) -> Limit:
    """The rule in force on `on` (the day the term starts) for this kind of letter and stage."""
    for row in LIMITS:
        if (row.kind == kind and row.stage == stage and row.valid_from <= on
                and (row.valid_to is None or on <= row.valid_to)
                and (kind != PetitionKind.COMPLAINT or (row.instance == instance and (
                    stage == "accept" or (row.remote == remote and row.complicated == complicated))))):
            return row
    raise ValidationError(f"Không có quy định về thời hạn cho loại đơn này vào ngày {on:%d/%m/%Y}.")


def term_end(start: dt.date, days: int, *, working: bool, calendar: WorkingCalendar) -> dt.date:
    """The last day of a term of `days` (working) days starting the day after `start`."""
    if working:
        return calendar.add_working_days(start, days)
    end = start + dt.timedelta(days=days)
    while not calendar.is_working_day(end):  # Civil Code Art. 148.5
        end += dt.timedelta(days=1)
    return end


def acceptance_due(*, kind: str, received_on: dt.date, instance: int, calendar: WorkingCalendar
                   ) -> tuple[dt.date | None, Limit | None]:
    """When a letter received on `received_on` must be accepted (or refused); recommendations have
    no acceptance stage (None)."""
    if kind == PetitionKind.RECOMMENDATION:
        return None, None
    row = limit_for(kind=kind, stage="accept", on=received_on, instance=instance)
    return term_end(received_on, row.days, working=row.working, calendar=calendar), row


def resolution_due(*, kind: str, start: dt.date, instance: int, remote: bool, complexity: str, extensions: int,
                   calendar: WorkingCalendar) -> tuple[dt.date, Limit]:
    """When the case must be resolved: from acceptance (complaints, denunciations) or receipt
    (recommendations). A complaint's complicated case has its longer term outright; a
    denunciation's term is extended by 30 days per extension, as many as its complexity allows."""
    if kind == PetitionKind.DENUNCIATION and extensions > MAX_EXTENSIONS[Complexity(complexity)]:
        raise ValidationError({"extensions": "Tố cáo phức tạp được gia hạn một lần, đặc biệt phức tạp hai lần; "
                                             "vụ việc thông thường không được gia hạn (Luật Tố cáo 2018, Điều 30)."})
    if kind != PetitionKind.DENUNCIATION and extensions:
        raise ValidationError({"extensions": "Chỉ thời hạn giải quyết tố cáo được gia hạn."})
    row = limit_for(kind=kind, stage="resolve", on=start, instance=instance, remote=remote,
                    complicated=complexity != Complexity.NORMAL)
    days = row.days + (EXTENSION_DAYS * extensions if kind == PetitionKind.DENUNCIATION else 0)
    return term_end(start, days, working=row.working, calendar=calendar), row


__all__ = ["LIMITS", "MAX_EXTENSIONS", "Limit", "acceptance_due", "limit_for", "resolution_due", "term_end"]
