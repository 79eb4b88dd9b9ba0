"""The pages of workers abroad, employers, foreign workers and work permits: lists with filters
(unit, period, country by its Vietnamese name, status, search; the figures' drill-down
`?unit=&period=&breakdown=`), details with their actions, imports as background jobs, the expiry
list and the Decree 152 Art. 6 reports. Scope through `labour.access` only; passport numbers and
citizen IDs masked for those who do not change the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, get_unit_for_user, own_units_for_user, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Edition, Level, Unit
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.lib.parsing import CellError, parse_date
from ansinh.lib.tabular import upload_limit_error, upload_max_bytes
from ansinh.lib.vietnamese import fold
from ansinh.plans.periods import Period

from . import access
from .abroad_queries import in_unit
from .countries import choices as country_choices, country_code, country_name
from .foreign_report import build, employer_xlsx, province_docx, province_xlsx, report_period
from .import_abroad import PERMIT_LABELS, POSITION_LABELS, SENDER_LABELS, STATUS_LABELS, template
from .indicators_abroad import FOREIGN, OVERSEAS, breakdown_filter
from .models import AbroadStatus, Employer, ForeignWorker, PermitKind, PermitRule, PermitState, WorkPermit
from .services_abroad import departure_return, departure_set_status
from .services_foreign import EXPIRY_DAYS, expiring, permit_rule_save, work_permit_decide, work_permit_receive

PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def mask_passport(number: str) -> str:
    """Only the last three characters stay visible (Decree 13/2023/NĐ-CP)."""
    return mask_citizen_id(number)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text.strip())
    except CellError:
        return None


class Filters:
    """The list pages' filters, read leniently: a bad value is dropped with a message, never a 500."""

    def __init__(self, request: HttpRequest, user: Any) -> None:
        get = request.GET
        self.errors: list[str] = []
        self.q = get.get("q", "").strip()[:100]
        self.status = get.get("status", "")
        self.country_text = get.get("country", "").strip()[:80]
        self.country = country_code(self.country_text) if self.country_text else None
        if self.country_text and self.country is None:
            self.errors.append(_("Unknown country “%(name)s”: write its Vietnamese name.") % {"name": self.country_text})
        self.breakdown = get.get("breakdown", "")
        self.period: Period | None = None
        self.period_text = get.get("period", "").strip()
        if self.period_text:
            try:
                self.period = Period.parse(self.period_text)
            except ValidationError as error:
                self.errors.extend(error.messages)
        self.unit: Unit | None = None
        unit_text = get.get("unit", "")
        if unit_text:
            if not unit_text.isdigit():
                raise Http404
            self.unit = get_unit_for_user(user, int(unit_text))

    def query(self) -> str:
        from urllib.parse import urlencode

        params = {k: v for k, v in (("q", self.q), ("status", self.status), ("country", self.country_text),
                                    ("period", self.period_text), ("breakdown", self.breakdown),
                                    ("unit", str(self.unit.pk) if self.unit else "")) if v}
        return urlencode(params)


def unit_choices(user: Any) -> list[Unit]:
    """The provinces and communes of the user's units, for the unit filter (provinces only for a
    national scope)."""
    scope = get_scope(user)
    units = own_units_for_user(user).filter(edition=Edition.CURRENT)
    if scope.national:
        return list(units.filter(level=Level.PROVINCE).order_by("sort_key"))
    return list(units.filter(level__in=[Level.PROVINCE, Level.COMMUNE]).order_by("level", "sort_key"))


# --- Departures -------------------------------------------------------------------------------------


@login_required
def departure_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    f = Filters(request, user)
    found = in_unit(access.departures_for_user(user), "commune", f.unit)
    if f.period is not None:
        found = found.filter(departed_on__gte=f.period.start, departed_on__lte=f.period.end)
    if f.country:
        found = found.filter(destination=f.country)
    if f.status in AbroadStatus.values:
        found = found.filter(status=f.status)
    if f.breakdown:
        extra = breakdown_filter(OVERSEAS, f.breakdown)
        if extra is None:
            f.errors.append(_("Unknown breakdown “%(code)s”.") % {"code": f.breakdown})
        else:
            found = found.filter(extra)
    if f.q:
        found = found.filter(Q(person__search_name__contains=fold(f.q)) | Q(person__citizen_id=f.q)
                             | Q(labour_code=f.q))
    page = Paginator(found.select_related("person", "commune").order_by("-departed_on", "-pk"), PAGE).get_page(
        request.GET.get("page"))
    rows = [(d, country_name(d.destination), d.person.citizen_id if access.may_see_personal(user, d.commune,
                                                                                          "departure")
             else mask_citizen_id(d.person.citizen_id or "")) for d in page.object_list]
    return render(request, "labour/abroad_departure_list.html", {
        "page": page, "rows": rows, "f": f, "total": page.paginator.count, "statuses": AbroadStatus.choices,
        "units": unit_choices(user), "can_import": access.enters_anything(user, "departure"),
        "countries": country_choices()})


@login_required
def departure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    d = access.get_for_user(user, access.departures_for_user(user).select_related("person", "commune"), pk,
                            unit_attr="commune", kind="departure")
    can = access.may_change(user, d.commune, "departure")
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        actor = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "return":
                day = _date(request.POST.get("returned_on"))
                if day is None:
                    raise ValidationError({"returned_on": "Ghi ngày về nước, dạng dd/mm/yyyy."})
                departure_return(actor=actor, departure=d, returned_on=day, early=request.POST.get("early") == "1")
                messages.success(request, _("The return is recorded."))
            elif action == "status":
                departure_set_status(actor=actor, departure=d, status=request.POST.get("status", ""))
                messages.success(request, _("The status is changed."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("departure-detail", pk=d.pk)
    return render(request, "labour/abroad_departure_detail.html", {
        "d": d, "can": can, "country": country_name(d.destination),
        "citizen_id": d.person.citizen_id if can else mask_citizen_id(d.person.citizen_id or ""),
        "placement": d.placement if hasattr(d, "placement") else None})


DEPARTURE_FIELDS = ("citizen_id", "destination", "sender_kind", "enterprise", "job", "contract_months", "departed_on",
                    "status", "labour_code", "note")


@login_required
def departure_new(request: HttpRequest) -> HttpResponse:
    """Records one worker leaving (or preparing to leave): the person by citizen ID in the
    register, in a commune the officer enters workers abroad for; the form keeps what was typed."""
    from ansinh.households.models import Member

    from .services_abroad import departure_save

    user = request_user(request)
    if not access.enters_anything(user, "departure"):
        raise PermissionDenied
    form = {k: request.POST.get(k, "").strip() for k in DEPARTURE_FIELDS} if request.method == "POST" else {
        "sender_kind": "service", "status": "abroad"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        cid = form["citizen_id"].replace(" ", "")
        person = (Member.objects.filter(citizen_id=cid, died_on__isnull=True, left_on__isnull=True)
                  .select_related("household__commune").first() if cid else None)
        if person is None or not access.may_change(user, person.household.commune, "departure"):
            errors["citizen_id"] = f"Số CCCD “{cid}” không có trong sổ hộ của địa bàn anh/chị quản lý."
        code = country_code(form["destination"]) if form["destination"] else None
        if code is None:
            errors["destination"] = "Ghi nước đến bằng tên tiếng Việt, ví dụ Đài Loan, Nhật Bản, Hàn Quốc."
        months = form["contract_months"]
        if months and not months.isdigit():
            errors["contract_months"] = "Thời hạn hợp đồng là số tháng."
        departed = _date(form["departed_on"])
        if form["departed_on"] and departed is None:
            errors["departed_on"] = "Ngày xuất cảnh ghi dạng dd/mm/yyyy."
        if not errors and person is not None and code is not None:
            try:
                d = departure_save(actor=Actor.from_request(request), person=person, destination=code,
                                   sender_kind=form["sender_kind"], enterprise=form["enterprise"], job=form["job"],
                                   contract_months=int(months) if months else None, departed_on=departed,
                                   status=form["status"], labour_code=form["labour_code"], note=form["note"])
            except ValidationError as error:
                errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            else:
                messages.success(request, _("The worker abroad is recorded."))
                return redirect("departure-detail", pk=d.pk)
    return render(request, "labour/abroad_departure_form.html", {
        "form": form, "errors": errors, "senders": SENDER_LABELS.items(), "statuses": STATUS_LABELS.items(),
        "countries": country_choices()}, status=400 if errors else 200)


# --- Imports and templates ------------------------------------------------------------------------


def _province_of_user(user: Any, kind: str) -> Unit | None:
    """The province an import goes to: the user's (the first province she enters `kind` in)."""
    for a in get_scope(user).assignments:
        unit = a.unit
        if unit.level == Level.PROVINCE and unit.edition == Edition.CURRENT and access.may_change(user, unit, kind):
            return unit
    return None


def _import_page(request: HttpRequest, kind: str, access_kind: str, title: str, back: str,
                 template_name: str) -> HttpResponse:
    from .jobs_abroad import abroad_import_start

    user = request_user(request)
    if not access.enters_anything(user, access_kind):
        raise PermissionDenied
    provinces = [u for u in own_units_for_user(user).filter(level=Level.PROVINCE, edition=Edition.CURRENT)
                 .order_by("sort_key")[:70] if access.may_change(user, u, access_kind)]
    error = ""
    chosen = request.POST.get("province", "") if request.method == "POST" else ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        province = next((p for p in provinces if str(p.pk) == chosen), None)
        if province is None and len(provinces) == 1:
            province = provinces[0]
        if upload is None:
            error = _("Choose a file to import.")
        elif province is None:
            error = _("Choose the province.")
        elif not (upload.name or "").lower().endswith((".xlsx", ".csv")):
            error = _("The file must be an Excel .xlsx file or a UTF-8 .csv file.")
        else:
            error = upload_limit_error(upload.size)
        if not error and upload is not None and province is not None:
            job = abroad_import_start(kind=kind, actor=Actor.from_request(request), upload=upload, province=province)
            return redirect("job-detail", pk=job.pk)
    return render(request, "labour/abroad_import.html", {
        "title": title, "back": back, "template_url": reverse(template_name), "provinces": provinces,
        "chosen": chosen, "error": error, "max_upload_mb": upload_max_bytes() // (1024 * 1024)})


@login_required
def departure_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "departures", "departure", _("Import workers abroad"), "departure-list",
                        "departure-template")


@login_required
def foreign_worker_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "foreign_workers", "foreign_worker", _("Import foreign workers"),
                        "foreign-worker-list", "foreign-worker-template")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def departure_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template("departures"), "mau-nhap-nguoi-lao-dong-di-nuoc-ngoai.xlsx")


@login_required
def foreign_worker_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template("foreign_workers"), "mau-nhap-nguoi-lao-dong-nuoc-ngoai.xlsx")


# --- Employers ------------------------------------------------------------------------------------


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    f = Filters(request, user)
    found = in_unit(access.employers_for_user(user), "unit", f.unit)
    if f.q:
        found = found.filter(Q(search_name__contains=fold(f.q)) | Q(tax_code=f.q))
    page = Paginator(found.select_related("unit").order_by("search_name", "pk"), PAGE).get_page(
        request.GET.get("page"))
    return render(request, "labour/abroad_foreign_employer_list.html", {
        "page": page, "f": f, "total": page.paginator.count, "units": unit_choices(user)})


@login_required
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    employer = access.get_for_user(user, access.employers_for_user(user).select_related("unit"), pk,
                                   unit_attr="unit", kind="employer")
    workers = access.foreign_workers_for_user(user).filter(employer=employer).select_related("workplace").order_by(
        "search_name")[:500]
    return render(request, "labour/abroad_foreign_employer_detail.html", {
        "employer": employer, "workers": [(w, country_name(w.nationality)) for w in workers],
        "this_year": timezone.localdate().year})


# --- Foreign workers and permits ------------------------------------------------------------------


@login_required
def foreign_worker_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    f = Filters(request, user)
    found = in_unit(access.foreign_workers_for_user(user), "workplace", f.unit)
    if f.period is not None:  # workers in the province at the period's end (the figure's stock)
        day = f.period.end
        valid = WorkPermit.objects.filter(state=PermitState.GRANTED, valid_from__lte=day, valid_to__gte=day)
        found = found.filter(pk__in=valid.values("worker_id"))
    if f.country:
        found = found.filter(nationality=f.country)
    if f.breakdown:
        extra = breakdown_filter(FOREIGN, f.breakdown)
        if extra is None:
            f.errors.append(_("Unknown breakdown “%(code)s”.") % {"code": f.breakdown})
        else:
            found = found.filter(extra)
    if f.q:
        found = found.filter(Q(search_name__contains=fold(f.q)) | Q(passport_number=f.q.upper().replace(" ", "")))
    page = Paginator(found.select_related("employer", "workplace").order_by("search_name", "pk"), PAGE).get_page(
        request.GET.get("page"))
    rows = [(w, country_name(w.nationality), w.passport_number if access.may_see_personal(user, w.workplace,
                                                                                        "foreign_worker")
             else mask_passport(w.passport_number)) for w in page.object_list]
    return render(request, "labour/abroad_foreign_worker_list.html", {
        "page": page, "rows": rows, "f": f, "total": page.paginator.count, "units": unit_choices(user),
        "can_import": access.enters_anything(user, "foreign_worker"), "countries": country_choices()})


@login_required
def foreign_worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    worker = access.get_for_user(user, access.foreign_workers_for_user(user).select_related("employer", "workplace"),
                                 pk, unit_attr="workplace", kind="foreign_worker")
    can = access.may_change(user, worker.workplace, "foreign_worker")
    form: dict[str, str] = {}
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        form = {k: request.POST.get(k, "").strip() for k in ("action", "kind", "received_on", "permit", "granted",
                                                              "decided_on", "number", "valid_from", "valid_to",
                                                              "refusal_reason")}
        actor = Actor.from_request(request)
        try:
            if form["action"] == "receive":
                received = _date(form["received_on"])
                if received is None:
                    raise ValidationError({"received_on": "Ghi ngày tiếp nhận, dạng dd/mm/yyyy."})
                permit = work_permit_receive(actor=actor, worker=worker, kind=form["kind"], received_on=received)
                messages.success(request, _("The dossier is recorded; the decision is due on %(day)s.") % {
                    "day": f"{permit.due_on:%d/%m/%Y}"})
                return redirect("foreign-worker-detail", pk=worker.pk)
            if form["action"] == "decide":
                if not form["permit"].isdigit():
                    raise Http404
                chosen = worker.permits.filter(pk=int(form["permit"])).first()
                decided = _date(form["decided_on"])
                if chosen is None:
                    raise Http404
                permit = chosen
                if decided is None:
                    raise ValidationError({"decided_on": "Ghi ngày quyết định, dạng dd/mm/yyyy."})
                work_permit_decide(actor=actor, permit=permit, granted=form["granted"] == "1", decided_on=decided,
                                   number=form["number"], valid_from=_date(form["valid_from"]),
                                   valid_to=_date(form["valid_to"]), refusal_reason=form["refusal_reason"])
                messages.success(request, _("The decision is recorded."))
                return redirect("foreign-worker-detail", pk=worker.pk)
            raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    permits = list(worker.permits.order_by("-received_on", "-pk"))
    return render(request, "labour/abroad_foreign_worker_detail.html", {
        "worker": worker, "can": can, "country": country_name(worker.nationality), "permits": permits,
        "passport": worker.passport_number if can else mask_passport(worker.passport_number),
        "kinds": PermitKind.choices, "form": form, "position": POSITION_LABELS.get(worker.position, "")})


WORKER_FIELDS = ("full_name", "passport_number", "nationality", "sex", "birth_date", "employer", "employer_name",
                 "tax_code", "position", "job_title", "workplace")


@login_required
def foreign_worker_new(request: HttpRequest) -> HttpResponse:
    """Records one foreign worker; the employer chosen from the list or, typed, created with her
    (one transaction: a refused worker leaves no new employer). The form keeps what was typed."""
    from .employers import employer_save
    from .services_foreign import foreign_worker_save

    user = request_user(request)
    if not access.enters_anything(user, "foreign_worker"):
        raise PermissionDenied
    communes = [u for u in unit_choices(user) if u.level == Level.COMMUNE
                and access.may_change(user, u, "foreign_worker")]
    employers = list(access.employers_for_user(user).order_by("search_name")[:1000])
    form = {k: request.POST.get(k, "").strip() for k in WORKER_FIELDS} if request.method == "POST" else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        workplace = next((u for u in communes if str(u.pk) == form["workplace"]), None)
        employer = next((e for e in employers if str(e.pk) == form["employer"]), None)
        nationality = country_code(form["nationality"]) if form["nationality"] else None
        born = _date(form["birth_date"])
        if workplace is None:
            errors["workplace"] = "Chọn xã, phường nơi làm việc."
        if nationality is None:
            errors["nationality"] = "Ghi quốc tịch bằng tên nước tiếng Việt, ví dụ Trung Quốc, Hàn Quốc."
        if employer is None and not form["employer_name"]:
            errors["employer"] = "Chọn người sử dụng lao động, hoặc ghi tên (và mã số thuế) để tạo mới."
        if form["birth_date"] and born is None:
            errors["birth_date"] = "Ngày sinh ghi dạng dd/mm/yyyy."
        if not errors and workplace is not None and nationality is not None:
            actor = Actor.from_request(request)
            try:
                with transaction.atomic():
                    if employer is None:
                        employer = employer_save(actor=actor, name=form["employer_name"], tax_code=form["tax_code"],
                                                 kind="foreign_invested", unit=workplace)
                    worker = foreign_worker_save(actor=actor, full_name=form["full_name"],
                                                 passport_number=form["passport_number"], nationality=nationality,
                                                 sex=form["sex"], employer=employer, position=form["position"],
                                                 workplace=workplace, birth_date=born, job_title=form["job_title"])
            except ValidationError as error:
                errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            else:
                messages.success(request, _("The foreign worker is recorded."))
                return redirect("foreign-worker-detail", pk=worker.pk)
    return render(request, "labour/abroad_foreign_worker_form.html", {
        "form": form, "errors": errors, "communes": communes, "employers": employers,
        "positions": POSITION_LABELS.items(), "countries": country_choices()}, status=400 if errors else 200)


@login_required
def permit_expiring(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    f = Filters(request, user)
    today = timezone.localdate()
    found = expiring(in_unit(access.permits_for_user(user), "worker__workplace", f.unit), today)
    page = Paginator(found.select_related("worker__employer", "worker__workplace"), PAGE).get_page(
        request.GET.get("page"))
    rows = [(p, country_name(p.worker.nationality), (p.valid_to - today).days if p.valid_to else 0)
            for p in page.object_list]
    return render(request, "labour/abroad_foreign_permit_expiring.html", {
        "page": page, "rows": rows, "f": f, "total": page.paginator.count, "days": EXPIRY_DAYS,
        "units": unit_choices(user), "kind_labels": PERMIT_LABELS})


# --- Reports (Decree 152/2020 Art. 6) ---------------------------------------------------------------


@login_required
def foreign_report(request: HttpRequest) -> HttpResponse:
    """The page chooses the year, the six months or the year, and the form: 07/PLI for one
    employer, 08/PLI for the province; `download=1` returns the .xlsx (audited)."""
    user = request_user(request)
    today = timezone.localdate()
    errors: list[str] = []
    year_text = request.GET.get("year", str(today.year))
    year = int(year_text) if year_text.isdigit() and 2021 <= int(year_text) <= today.year + 1 else None
    if year is None:
        errors.append(_("Choose a year from 2021."))
        year = today.year
    half = request.GET.get("span", "half") != "year"
    form = request.GET.get("form", "08")
    period, start, end = report_period(year, half)
    label = f"6 tháng đầu năm {year}" if half else f"năm {year}"
    provinces = [u for u in own_units_for_user(user).filter(level=Level.PROVINCE, edition=Edition.CURRENT)
                 .order_by("sort_key")[:70]]
    province_text = request.GET.get("province", "")
    province = next((p for p in provinces if str(p.pk) == province_text), provinces[0] if provinces else None)
    employer: Employer | None = None
    employer_text = request.GET.get("employer", "")
    if form == "07" and employer_text:
        if not employer_text.isdigit():
            raise Http404
        employer = access.get_for_user(user, access.employers_for_user(user), int(employer_text), unit_attr="unit",
                                       kind="employer")
    workers = access.foreign_workers_for_user(user)
    if form == "07" and employer is not None:
        workers = workers.filter(employer=employer)
    elif province is not None:
        workers = in_unit(workers, "workplace", province)
    else:
        workers = workers.none()
    report = build(workers, start, end) if not errors else None
    download = request.GET.get("download", "")
    if report is not None and download in ("1", "docx"):
        if form == "07" and employer is None:
            errors.append(_("Choose the employer."))
        elif form != "07" and province is None:
            errors.append(_("Choose the province."))
        else:
            with transaction.atomic():
                audit.record(actor=Actor.from_request(request), action=AuditAction.LABOUR_EXPORT, obj=ForeignWorker,
                             unit=province, after={"form": form, "year": year, "half": half,
                                                   "employer": employer.pk if employer else None,
                                                   "workers": report.workers})
            if form == "07" and employer is not None:
                return _xlsx(employer_xlsx(report, employer, label), f"mau-07-pli-{year}-{'6t' if half else 'nam'}.xlsx")
            if province is not None and download == "docx":
                response = HttpResponse(province_docx(report, province, label, year=today.year), content_type=DOCX)
                response["Content-Disposition"] = (f'attachment; filename="bao-cao-08-pli-{year}-'
                                                   f'{"6t" if half else "nam"}.docx"')
                return response
            if province is not None:
                return _xlsx(province_xlsx(report, province, label), f"mau-08-pli-{year}-{'6t' if half else 'nam'}.xlsx")
    employers = list(access.employers_for_user(user).filter(foreign_workers__isnull=False).distinct()
                     .order_by("search_name")[:500])
    return render(request, "labour/abroad_foreign_report.html", {
        "report": report, "year": year, "half": half, "form": form, "period": period, "start": start, "end": end,
        "provinces": provinces, "province": province, "employers": employers, "employer": employer,
        "errors": errors, "label": label})


# --- Processing times (administrators) ----------------------------------------------------------------


@login_required
def permit_rules(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    can = access.may_change(user, Unit(path=""), "law")
    rules = list(PermitRule.objects.order_by("kind", "valid_from"))
    return render(request, "labour/abroad_foreign_permit_rules.html", {"rules": rules, "can": can,
                                                                "kind_labels": PERMIT_LABELS})


@login_required
@require_POST
def permit_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    rule = PermitRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    if not access.may_change(user, Unit(path=""), "law"):
        raise PermissionDenied
    days, refusal = request.POST.get("working_days", ""), request.POST.get("refusal_working_days", "")
    try:
        if not days.isdigit() or (refusal and not refusal.isdigit()):
            raise ValidationError({"working_days": "Số ngày làm việc phải là số nguyên."})
        permit_rule_save(actor=Actor.from_request(request), rule=rule, working_days=int(days),
                         refusal_working_days=int(refusal) if refusal else None,
                         legal_basis=request.POST.get("legal_basis", ""),
                         provisional=request.POST.get("provisional") == "1",
                         valid_to=_date(request.POST.get("valid_to")))
        messages.success(request, _("The processing time is saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("permit-rules")


__all__ = ["departure_detail", "departure_import", "departure_list", "employer_detail", "employer_list",
           "foreign_report", "foreign_worker_detail", "foreign_worker_import", "foreign_worker_list",
           "permit_expiring", "permit_rules"]
