"""Plans for `make demo` (`ansinh demo plans`): the example workbooks, and a current-map plan whose
communes report in every state, so that the dashboard and the timeliness table show something real.

1. `load_examples`: imports the three example plans of examples/ and the Trà Vinh first-quarter
   form of 2020 (seed 001), submitted and approved with the dates of the seed report. A plan the
   issuing body already has is skipped, so it can run twice.
2. `demo_current_plan`: a 2025 plan of the current province (86, Vĩnh Long) by its Sở Nội vụ,
   which since 1 Mar 2025 carries labour, employment and meritorious people (Decree 25/2025/NĐ-CP;
   the department of labour was dissolved). Targets split among the province's communes add up;
   tasks have due dates (most done, two overdue); every commune's forms for Q1–Q4 2025 are
   approved on time, sent late, returned with a reason, left as a draft or missing. Deterministic
   (`random.Random(seed)`); the forms, figures and events are written set-based, with one audit
   row for the lot.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Unit
from ansinh.households.models import Household
from ansinh.lib.spreadsheets import read_workbook
from ansinh.lib.vietnamese import format_number
from ansinh.poverty.models import Assessment, PovertyStatus, ReviewRound, RoundKind, RoundStatus

from . import examples, services
from .importer import check_workbook, plan_import
from .models import (Agency, AgencyKind, Indicator, Plan, PlanStatus, Submission, SubmissionEvent, SubmissionStatus,
                     SubmissionValue, Task, TaskNote, TaskStatus)
from .periods import Period
from .submission_io import submission_import

Write = Callable[[str], None]
PLAN_FILES = [examples.TRA_VINH_PLAN, examples.TRA_CU_PLAN, examples.DONG_HOA_PLAN]
DEMO_NUMBER = "35/KH-SNV"
DEMO_YEAR = 2025
DEMO_SEED = 2025
SO_NOI_VU = "Sở Nội vụ"
DEMO_TOTALS = {"jobs_created": 62000, "overseas_workers": 2800, "trained_workers": 58000, "poor_reduction": 4200}
DEMO_FORM = ["jobs_created", "overseas_workers", "trained_workers"]
QUARTER_SHARE = {1: 0.21, 2: 0.27, 3: 0.26, 4: 0.26}  # how much of a year's flow a quarter brings, about
RETURN_REASONS = ["Thiếu số liệu lao động nữ trong số lao động được giải quyết việc làm.",
                  "Số lao động đi làm việc ở nước ngoài chưa khớp danh sách hợp đồng đã đăng ký.",
                  "Số người học nghề chưa tách theo trình độ đào tạo; đề nghị bổ sung."]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_examples(*, write: Write = print, directory: Path = examples.EXAMPLES_DIR) -> list[Plan]:
    """Imports the example plans (skipping those already there) and the Trà Vinh Q1 2020 form."""
    plans: list[Plan] = []
    for name in PLAN_FILES:
        path = directory / name
        parsed, _ = read_workbook(path, check_workbook)
        existing = Plan.objects.filter(agency__unit=parsed.unit, agency__name=parsed.fields["agency"],
                                       number=parsed.fields["number"], year=parsed.fields["year"]).first()
        if existing is not None:
            write(f"Kế hoạch {existing.number} năm {existing.year} ({name}) đã có: bỏ qua.")
            plans.append(existing)
            continue
        result = plan_import(actor=Actor.system(), data=path, name=name)
        for line in result.lines()[:-1]:
            write(line)
        assert result.plan_id is not None
        plan = Plan.objects.get(pk=result.plan_id)
        _close_past_tasks(plan)
        plans.append(plan)
    tra_vinh = plans[0]
    form = Submission.objects.filter(plan=tra_vinh, unit=tra_vinh.unit, period="2020-Q1").first()
    if form is None or form.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        officer = _user("laodong")
        result_ = submission_import(actor=Actor.cli(officer), data=directory / examples.TRA_VINH_Q1, name=examples.TRA_VINH_Q1,
                                    submit=True)
        write(result_.lines()[0])
        form = Submission.objects.get(pk=result_.submission_id)
    if form.status == SubmissionStatus.SUBMITTED:
        services.submission_approve(actor=Actor.cli(_user("lanhdao")), submission=form)
        # The dates of the seed report (16 Mar 2020), not of the demo run.
        sent, decided = _at(dt.date(2020, 3, 16), 9), _at(dt.date(2020, 3, 18), 15)
        Submission.objects.filter(pk=form.pk).update(submitted_at=sent, decided_at=decided)
        SubmissionEvent.objects.filter(submission=form, action="submit").update(at=sent)
        SubmissionEvent.objects.filter(submission=form, action="approve").update(at=decided)
        write(f"Biểu quý I năm 2020 của {form.unit.name} đã được duyệt.")
    return plans


def _poor_reduction_target(province: Unit) -> int:
    """A tenth of the poor households of the province's latest decided review (the registry's own
    figure, so the counted result can meet it), or the real-scale figure without a registry."""
    decided = (ReviewRound.objects.filter(unit=province, kind=RoundKind.PERIODIC, status=RoundStatus.DECIDED)
               .order_by("-year").first())
    poor = Assessment.objects.filter(round=decided, status=PovertyStatus.POOR).count() if decided else 0
    return max(1, round(poor / 10)) if poor else DEMO_TOTALS["poor_reduction"]


def _close_past_tasks(plan: Plan) -> None:
    """The tasks of a past year's example plan were carried out that year: marked done, with a
    note dated at the end of the year (set-based, one audit row)."""
    if plan.year >= timezone.localdate().year:
        return
    tasks = list(plan.tasks.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS]))
    if not tasks:
        return
    with transaction.atomic():
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.DONE)
        TaskNote.objects.bulk_create(TaskNote(task=t, written_on=dt.date(plan.year, 12, 31),
                                              text="Đã hoàn thành trong năm (dữ liệu trình diễn).") for t in tasks)
        audit.record(actor=Actor.system(), action="plans.demo.tasks_done", obj=plan, unit=plan.home,
                     after={"tasks": len(tasks)})


def _poor_weights(province: Unit, communes: list[Unit]) -> dict[int, float]:
    """The communes' poor households in the latest decided review (one GROUP BY); empty without one."""
    decided = (ReviewRound.objects.filter(unit=province, kind=RoundKind.PERIODIC, status=RoundStatus.DECIDED)
               .order_by("-year").first())
    if decided is None:
        return {}
    counts = dict(Assessment.objects.filter(round=decided, status=PovertyStatus.POOR).order_by()
                  .values_list("commune_id").annotate(n=Count("id")).values_list("commune_id", "n"))
    return {c.pk: float(counts.get(c.pk, 0)) for c in communes} if counts else {}


def _weights(communes: list[Unit], rng: random.Random) -> dict[int, float]:
    """The communes' shares: their households in the registry (one GROUP BY), or a random spread."""
    counts = dict(Household.objects.filter(commune__in=communes).order_by().values_list("commune_id")
                  .annotate(n=Count("id")).values_list("commune_id", "n"))
    return {c.pk: float(counts.get(c.pk) or 0) or rng.uniform(300, 1500) for c in communes}


def _split_by_id(total: int, weights: dict[int, float]) -> dict[int, int]:
    parts = examples.split(total, {str(pk): w for pk, w in weights.items()})
    return {int(pk): value for pk, value in parts.items()}


def demo_current_plan(province: Unit, *, seed: int = DEMO_SEED, write: Write = print) -> Plan:
    """The current province's 2025 plan with its communes' forms for Q1–Q4 (see the module's
    docstring). Left alone when it exists."""
    parent = services.agency_for(province, f"Ủy ban nhân dân {province.name[:1].lower()}{province.name[1:]}",
                                 str(AgencyKind.PEOPLES_COMMITTEE), symbol="UBND")
    agency = Agency.objects.filter(unit=province, name=SO_NOI_VU).first()
    existing = Plan.objects.filter(agency=agency, number=DEMO_NUMBER, year=DEMO_YEAR).first() if agency else None
    if existing is not None:
        write(f"Kế hoạch {DEMO_NUMBER} năm {DEMO_YEAR} của {province.name} đã có: bỏ qua.")
        return existing
    rng = random.Random(seed)
    totals = {**DEMO_TOTALS, "poor_reduction": _poor_reduction_target(province)}
    with transaction.atomic():
        if agency is None:
            agency = services.agency_create(actor=Actor.system(), unit=province, name=SO_NOI_VU, kind=str(AgencyKind.DEPARTMENT),
                                            symbol="SNV", parent=parent)
        plan = services.plan_create(
            actor=Actor.system(), agency=agency, unit=province, year=DEMO_YEAR, number=DEMO_NUMBER,
            place=province.name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
            title="Thực hiện công tác lao động, việc làm, người có công và giảm nghèo năm 2025 trên địa bàn tỉnh sau "
                  "sắp xếp đơn vị hành chính",
            issued_on=dt.date(2025, 7, 15), doc_type="KH",
            basis="Căn cứ Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp "
                  "tỉnh;"
                  "\nCăn cứ chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2025 của tỉnh.",
            objectives=f"Giải quyết việc làm cho {format_number(totals['jobs_created'])} lao động, trong đó "
                       f"{format_number(totals['overseas_workers'])} lao động đi làm việc ở nước ngoài theo hợp đồng; "
                       f"đào tạo nghề cho {format_number(totals['trained_workers'])} người; giảm "
                       f"{format_number(totals['poor_reduction'])} hộ nghèo.",
            recipients="Bộ Nội vụ;\nUBND tỉnh;\nUBND các xã, phường;\nLưu: VT.", signer_title="GIÁM ĐỐC",
            signer_name="Nguyễn Văn An", deadlines={"quarter": "last:15", "half": "05-30", "year": "12-05"},
            form_codes=DEMO_FORM, status=PlanStatus.ISSUED)
        communes = services.reporting_units(plan)
        weights = _weights(communes, rng)
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=DEMO_TOTALS)}
        rows = []
        split_targets: dict[str, dict[int, int]] = {}
        poor_weights = _poor_weights(province, communes) or weights
        for code, total in totals.items():
            rows.append(services.TargetRow(indicators[code], province, str(DEMO_YEAR), "", Decimal(total)))
            split_targets[code] = _split_by_id(total, poor_weights if code == "poor_reduction" else weights)
            by_pk = {c.pk: c for c in communes}
            rows += [services.TargetRow(indicators[code], by_pk[pk], str(DEMO_YEAR), "", Decimal(value))
                     for pk, value in split_targets[code].items()]
        services.targets_replace(actor=Actor.system(), plan=plan, rows=rows, reason="Dữ liệu trình diễn")
        _tasks(plan, province)
        counts = _forms(plan, communes, split_targets, rng)
        audit.record(actor=Actor.system(), action="plans.demo.generate", obj=plan, unit=province,
                     after={"communes": len(communes), **counts})
    write(f"Kế hoạch {plan.number} năm {plan.year} của {agency.name} ({province.name}): {len(rows)} chỉ tiêu, "
          f"{plan.tasks.count()} nhiệm vụ; biểu quý I–IV của {len(communes)} xã: {counts['approved']} đã duyệt, "
          f"{counts['submitted']} chờ duyệt, {counts['returned']} bị trả lại, {counts['draft']} nháp, "
          f"{counts['missing']} chưa có.")
    return plan


def _tasks(plan: Plan, province: Unit) -> None:
    def agency(name: str) -> Agency:
        return services.agency_for(province, name, _kind(name))

    tasks = [
        ("employment", "Tổ chức các phiên giao dịch việc làm lưu động tại các xã, phường sau sắp xếp.",
         "Trung tâm Dịch vụ việc làm", dt.date(2025, 8, 31), TaskStatus.DONE,
         "Đã tổ chức 6 phiên, 1.240 lượt lao động tham gia."),
        ("employment", "Rà soát, cập nhật thông tin thị trường lao động theo địa bàn các xã, phường mới.",
         "Phòng Lao động - Việc làm", dt.date(2025, 9, 30), TaskStatus.DONE, "Đã cập nhật 124/124 xã, phường."),
        ("employment", "Hướng dẫn các xã, phường lập danh sách lao động có nhu cầu đi làm việc ở nước ngoài.",
         "Phòng Lao động - Việc làm", dt.date(2025, 10, 15), TaskStatus.IN_PROGRESS,
         "Đã có danh sách của 87 xã, phường."),
        ("poverty", "Tổ chức rà soát hộ nghèo, hộ cận nghèo năm 2025 trên bản đồ hành chính mới.",
         "Ủy ban nhân dân các xã, phường", dt.date(2025, 12, 14), TaskStatus.DONE,
         "124/124 xã, phường đã niêm yết kết quả rà soát."),
        ("meritorious", "Chuyển giao hồ sơ người có công từ các huyện cũ về các xã, phường.",
         "Phòng Người có công", dt.date(2025, 9, 15), TaskStatus.OPEN, ""),
        ("employment", "Kiểm tra giám sát đào tạo nghề cho lao động nông thôn tại các xã vùng đồng bào Khmer.",
         "Phòng Giáo dục nghề nghiệp", dt.date(2025, 11, 30), TaskStatus.DONE,
         "Đã kiểm tra 12 xã; biên bản gửi Sở."),
        ("administration", "Tổng hợp báo cáo kết quả thực hiện kế hoạch năm 2025.", "Văn phòng Sở",
         dt.date(2025, 12, 20), TaskStatus.DONE, "Đã gửi báo cáo số 412/BC-SNV."),
    ]
    for order, (sector, description, lead, due, status, note) in enumerate(tasks, start=1):
        task = services.task_create(actor=Actor.system(), plan=plan, description=description, order=order * 10,
                                    sector=sector, lead=agency(lead), due_on=due)
        if note or status != TaskStatus.OPEN:
            services.task_note_add(actor=Actor.system(), task=task, text=note or "Đang thực hiện.", status=str(status),
                                   written_on=due - dt.timedelta(days=3))
    services.task_create(actor=Actor.system(), plan=plan, order=80, sector="social_protection",
                         description="Điều chỉnh mức trợ cấp xã hội theo chuẩn mới.",
                         lead=agency("Phòng Bảo trợ xã hội"), due_condition="khi Trung ương ban hành")


def _kind(name: str) -> str:
    from .importer import guess_agency_kind

    return guess_agency_kind(name)


def _forms(plan: Plan, communes: list[Unit], targets: dict[str, dict[int, int]],
           rng: random.Random) -> dict[str, int]:
    """Every commune's form for Q1–Q4 in one of five states, set-based."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=DEMO_FORM)}
    commune_user = _user("xa")
    officer = _user("laodong") or _user("giamngheo")
    forms: list[Submission] = []
    specs: list[tuple[str, list[tuple[str, str, Decimal]], list[tuple[str, dt.datetime, str]]]] = []
    counts = {"approved": 0, "submitted": 0, "returned": 0, "draft": 0, "missing": 0}
    for quarter in (1, 2, 3, 4):
        period = Period(DEMO_YEAR, "quarter", quarter)
        deadline = period.deadline(plan.deadlines)
        missing_share = {1: 0.05, 2: 0.09, 3: 0.12, 4: 0.16}[quarter]
        for commune in communes:
            roll = rng.random()
            if roll < missing_share:
                counts["missing"] += 1
                continue
            state = ("draft" if roll < missing_share + 0.06 else "returned" if roll < missing_share + 0.13
                     else "late" if roll < missing_share + 0.30 else "on_time")
            figures: list[tuple[str, str, Decimal]] = []
            for code in DEMO_FORM:
                expected = targets[code][commune.pk] * QUARTER_SHARE[quarter]
                value = max(0, round(expected * rng.uniform(0.6, 1.3)))
                figures.append((code, "", Decimal(value)))
                if code == "jobs_created":
                    figures.append((code, "female", Decimal(round(value * rng.uniform(0.42, 0.55)))))
            created = _at(deadline - dt.timedelta(days=rng.randint(12, 25)), 8)
            events: list[tuple[str, dt.datetime, str]] = [("create", created, ""), ("save", created, "")]
            form = Submission(plan=plan, unit=commune, home=commune, period=period.key, deadline=deadline,
                              submitted_by=commune_user if commune.code == "29461" else None)
            if state == "draft":
                form.status = SubmissionStatus.DRAFT
                counts["draft"] += 1
            else:
                late = state == "late"
                sent = _at(deadline + dt.timedelta(days=rng.randint(2, 25)) if late
                           else deadline - dt.timedelta(days=rng.randint(0, 8)), rng.randint(8, 16))
                form.submitted_at = sent
                events.append(("submit", sent, ""))
                decided = sent + dt.timedelta(days=rng.randint(1, 6), hours=2)
                if state == "returned":
                    reason = rng.choice(RETURN_REASONS)
                    form.status, form.return_reason = SubmissionStatus.RETURNED, reason
                    form.decided_at, form.decided_by = decided, officer
                    events.append(("return", decided, reason))
                    counts["returned"] += 1
                elif late and quarter == 4 and rng.random() < 0.5:
                    form.status = SubmissionStatus.SUBMITTED  # waiting for the province
                    counts["submitted"] += 1
                else:
                    form.status, form.decided_at, form.decided_by = SubmissionStatus.APPROVED, decided, officer
                    events.append(("approve", decided, ""))
                    counts["approved"] += 1
            forms.append(form)
            specs.append((state, figures, events))
    Submission.objects.bulk_create(forms)
    values = [SubmissionValue(submission=form, indicator=indicators[code], breakdown=breakdown, value=value)
              for form, (_, figures, _) in zip(forms, specs, strict=True) for code, breakdown, value in figures]
    SubmissionValue.objects.bulk_create(values)
    rows = [SubmissionEvent(submission=form, action=action, reason=reason,
                              by=form.decided_by if action in ("return", "approve") else form.submitted_by)
              for form, (_, _, form_events) in zip(forms, specs, strict=True) for action, _, reason in form_events]
    made = SubmissionEvent.objects.bulk_create(rows)
    # `at` is set on creation (auto_now_add): put each event at its day, in one statement per batch.
    times = [at for _, (_, _, form_events) in zip(forms, specs, strict=True) for _, at, _ in form_events]
    for event, at in zip(made, times, strict=True):
        event.at = at
    SubmissionEvent.objects.bulk_update(made, ["at"], batch_size=500)
    return counts


def demo_plans(*, province: Unit, write: Write = print) -> None:
    """Everything `ansinh demo plans` does."""
    load_examples(write=write)
    if province.edition != Edition.CURRENT:
        raise ValueError("the demo plan belongs to a province of the current map")
    demo_current_plan(province, write=write)
