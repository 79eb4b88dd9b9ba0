"""The payroll pages: the payrolls with their filters and totals, a payroll with its control
totals and lines (filters, pages), the buttons that compute, approve, send and follow up, and a
person's payment method.

Access: every payroll comes through `ansinh.payments.access` (404 outside the user's units or
field, 403 for those who may read but not act); approving asks `may_approve_payroll` (four eyes).
Bank account numbers are shown in full only to those who pay them (`access.may_see_personal`).
Computing runs as a background job (`payments.payroll_run`) whose panel the pages show.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import AuditAction
from ansinh.benefits.months import parse_month, this_month
from ansinh.geo.models import Level, Unit
from ansinh.households.access import get_member_for_user
from ansinh.jobs.services import job_panel
from ansinh.lib.vietnamese import fold

from . import access, payroll as engine
from .jobs_payroll import payroll_run_job, payroll_run_start
from .models import Channel, PayField, PayLineKind, PaymentMethod, Payroll, PayrollState, PayStatus

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _mask_account(number: str) -> str:
    number = number.strip()
    if len(number) <= 4:
        return "•" * len(number)
    return "•" * (len(number) - 4) + number[-4:]


def _communes_seen(payrolls: QuerySet[Payroll]) -> list[Unit]:
    ids = payrolls.values_list("commune_id", flat=True).distinct()
    return list(Unit.objects.filter(pk__in=ids).order_by("sort_key", "pk"))


def _run_units(user: Any) -> list[Unit]:
    """The units this person may run payrolls for: her communes, and her province when she works
    at the province."""
    scope = get_scope(user)
    out: dict[int, Unit] = {}
    for a in scope.assignments:
        unit = a.unit
        if unit.level in (Level.PROVINCE, Level.COMMUNE) and any(
                access.may_prepare_payroll(user, unit, f) for f in PayField.values):
            out[unit.pk] = unit
    return sorted(out.values(), key=lambda u: (u.level, u.sort_key))


def _settle_ready() -> bool:
    try:
        select_template(["payments/includes/payroll_settle.html"])
    except TemplateDoesNotExist:
        return False
    return True


# --- The list ------------------------------------------------------------------------------------


@login_required
@require_GET
def payroll_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    seen = access.payrolls_for_user(user)
    units = _run_units(user)
    if not units and not seen.exists() and not get_scope(user).assignments:
        raise PermissionDenied
    errors: list[str] = []
    found = seen
    month_text = request.GET.get("month", "").strip()
    month = parse_month(month_text) if month_text else None
    if month_text and month is None:
        errors.append(_("The month is not valid: write it as MM/YYYY or YYYY-MM."))
    if month is not None:
        found = found.filter(month=month)
    commune_id = _int(request.GET.get("commune"))
    if request.GET.get("commune") and commune_id is None:
        errors.append(_("Choose a commune from the list."))
    if commune_id is not None:
        found = found.filter(commune_id=commune_id)
    field = request.GET.get("field", "")
    if field:
        if field not in PayField.values:
            errors.append(_("Choose a field from the list."))
        else:
            found = found.filter(field=field)
    state = request.GET.get("state", "")
    if state:
        if state not in PayrollState.values:
            errors.append(_("Choose a state from the list."))
        else:
            found = found.filter(state=state)
    totals = found.aggregate(payrolls=Count("pk"), lines=Sum("lines_count"), people=Sum("people_count"),
                             total=Sum("total"), recovery=Sum("recovery_total"))
    ordered = found.select_related("commune", "approved_by", "computed_by").order_by(
        "-month", "commune__sort_key", "field", "sequence")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    run_unit_id = _int(request.GET.get("run_unit"))
    job = None
    if run_unit_id is not None and month is not None:
        unit = Unit.objects.filter(pk=run_unit_id).first()
        found_job = payroll_run_job(unit, month) if unit is not None else None
        if found_job is not None:
            job = job_panel(found_job, user)
    context = {
        "page": page, "totals": totals, "errors": errors, "month_text": month_text, "commune_id": commune_id,
        "field": field, "state": state, "communes": _communes_seen(seen), "fields": PayField.choices,
        "states": PayrollState.choices, "run_units": units, "run_month": (month or this_month()).strftime("%Y-%m"),
        "job": job,
    }
    return render(request, "payments/payroll_list.html", context)


@login_required
@require_POST
def payroll_run(request: HttpRequest) -> HttpResponse:
    """Starts the payrolls of a unit and month as a background job (a commune's, or a province's)."""
    user = request_user(request)
    unit_id = _int(request.POST.get("unit"))
    month = parse_month(request.POST.get("month", ""))
    unit = Unit.objects.filter(pk=unit_id or 0, level__in=(Level.PROVINCE, Level.COMMUNE)).first()
    if unit is None or month is None:
        messages.error(request, _("Choose a unit and a month (MM/YYYY) to compute payrolls."))
        return redirect("payroll-list")
    if not any(access.may_prepare_payroll(user, unit, f) for f in PayField.values):
        if not get_scope(user).covers(unit):
            raise Http404
        raise PermissionDenied
    payroll_run_start(unit=unit, month=month, actor=Actor.from_request(request))
    back = request.POST.get("next", "")
    if back.startswith("/payments/") and "//" not in back:
        return redirect(back)
    return redirect(f"{reverse('payroll-list')}?month={month:%Y-%m}&run_unit={unit.pk}")


# --- A payroll -----------------------------------------------------------------------------------


@login_required
@require_GET
def payroll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    payroll = access.get_payroll_for_user(user, pk)
    lines = payroll.lines.all()
    errors: list[str] = []
    hamlet_id = _int(request.GET.get("hamlet"))
    if request.GET.get("hamlet") and hamlet_id is None:
        errors.append(_("Choose a hamlet from the list."))
    if hamlet_id is not None:
        lines = lines.filter(hamlet_id=hamlet_id)
    kind = request.GET.get("kind", "")
    if kind and kind not in PayLineKind.values:
        errors.append(_("Choose a kind of line from the list."))
    elif kind:
        lines = lines.filter(kind=kind)
    status = request.GET.get("status", "")
    if status and status not in PayStatus.values:
        errors.append(_("Choose a payment result from the list."))
    elif status:
        lines = lines.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        lines = lines.filter(person__search_name__contains=fold(q))
    shown = lines.aggregate(n=Count("pk"), total=Sum("amount", filter=Q(amount__gt=0)),
                            recovery=Sum("amount", filter=Q(amount__lt=0)))
    ordered = lines.select_related("person", "hamlet", "basis").order_by("hamlet__sort_key", "person__sort_key", "person_id",
                                                                  "scheme", "for_month", "kind")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    full = access.may_see_personal(user, payroll.commune, payroll.field)
    for line in page.object_list:
        line.shown_account = line.account_number if full else _mask_account(line.account_number)  # type: ignore[attr-defined]
    hamlets = list(Unit.objects.filter(pk__in=payroll.lines.values_list("hamlet_id", flat=True).distinct())
                   .order_by("sort_key"))
    may_prepare = access.may_prepare_payroll(user, payroll.commune, payroll.field)
    job = payroll_run_job(payroll.commune, payroll.month)
    if job is None and (province := payroll.commune.province()) is not None:
        job = payroll_run_job(province, payroll.month)  # a run of the whole province
    context = {
        "payroll": payroll, "page": page, "errors": errors, "hamlets": hamlets, "hamlet_id": hamlet_id, "kind": kind,
        "status": status, "q": q, "kinds": PayLineKind.choices, "statuses": PayStatus.choices, "shown": shown,
        "can_recompute": may_prepare and payroll.state == PayrollState.DRAFT,
        "can_approve": payroll.state == PayrollState.DRAFT and payroll.lines_count > 0
        and access.may_approve_payroll(user, payroll),
        "own_draft": payroll.state == PayrollState.DRAFT and payroll.computed_by_id == user.pk,
        "can_send": may_prepare and payroll.state == PayrollState.APPROVED,
        "can_follow_up": may_prepare and payroll.state != PayrollState.DRAFT,
        "job": job_panel(job, user) if job is not None else None,
        "settle_ready": _settle_ready(), "full_accounts": full,
        "by_kind": list(payroll.lines.values("kind").annotate(n=Count("pk"), total=Sum("amount")).order_by("kind")),
    }
    return render(request, "payments/payroll_detail.html", context)


def _act(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    user = request_user(request)
    payroll = access.get_payroll_for_user(user, pk)
    version = _int(request.POST.get("version"))
    if version is not None and version != payroll.version:
        messages.error(request, _("This payroll was changed meanwhile: check it again before going on."))
        return redirect("payroll-detail", pk=payroll.pk)
    try:
        act(payroll, actor=Actor.from_request(request))
    except PermissionDenied as error:
        if error.args:
            messages.error(request, str(error.args[0]))
            return redirect("payroll-detail", pk=payroll.pk)
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("payroll-detail", pk=payroll.pk)
    messages.success(request, done)
    return redirect("payroll-detail", pk=payroll.pk)


@login_required
@require_POST
def payroll_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, engine.approve, _("The payroll is approved: its lines and totals are locked."))


@login_required
@require_POST
def payroll_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, engine.mark_sent, _("The payroll is marked as sent to the paying agent."))


@login_required
@require_POST
def payroll_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    payroll = access.get_payroll_for_user(user, pk, change=True)
    try:
        made = engine.follow_up(commune=payroll.commune, month=payroll.month, field=payroll.field,
                                actor=Actor.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("payroll-detail", pk=payroll.pk)
    messages.success(request, _("Follow-up payroll no. %(n)s computed.") % {"n": made.sequence})
    return redirect("payroll-detail", pk=made.pk)


# --- A person's payment method -----------------------------------------------------------------------


class PaymentMethodForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("paying channel"), choices=Channel.choices)
    bank_name = forms.CharField(label=gettext_lazy("bank"), max_length=120, required=False)
    account_number = forms.CharField(label=gettext_lazy("account number"), max_length=30, required=False)
    receiver_name = forms.CharField(label=gettext_lazy("authorised receiver"), max_length=150, required=False)
    note = forms.CharField(label=gettext_lazy("note"), max_length=255, required=False)

    def clean_account_number(self) -> str:
        value = "".join(self.cleaned_data.get("account_number", "").split())
        if value and not value.replace("-", "").isalnum():
            raise ValidationError(_("An account number has only digits and letters."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.BANK:
            if not data.get("bank_name"):
                self.add_error("bank_name", _("Give the bank for a payment to a bank account."))
            if not data.get("account_number"):
                self.add_error("account_number", _("Give the account number for a payment to a bank account."))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def payment_method_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    member = get_member_for_user(user, pk)
    commune = member.household.commune
    may_change = any(access.may_prepare_payroll(user, commune, f) for f in PayField.values)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    current = PaymentMethod.objects.filter(person=member).first()
    full = may_change
    initial: dict[str, Any] = {"channel": Channel.POST}
    if current is not None:
        initial = {"channel": current.channel, "bank_name": current.bank_name, "receiver_name": current.receiver_name,
                   "note": current.note,
                   "account_number": current.account_number if full else _mask_account(current.account_number)}
    form = PaymentMethodForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["channel"] != Channel.BANK:
            data["bank_name"], data["account_number"] = "", ""
        before = None
        with transaction.atomic():
            if current is None:
                current = PaymentMethod(person=member)
            else:
                before = {"channel": current.channel, "bank_name": current.bank_name,
                          "account_number": _mask_account(current.account_number)}
            for name in ("channel", "bank_name", "account_number", "receiver_name", "note"):
                setattr(current, name, data[name])
            current.save()
            audit.record(actor=Actor.from_request(request), action=AuditAction.PAYMENT_METHOD_UPDATE, obj=current,
                         unit=commune, before=before,
                         after={"channel": current.channel, "bank_name": current.bank_name,
                                "account_number": _mask_account(current.account_number)})
        messages.success(request, _("Payment method saved: it applies to the next payroll computed."))
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("payment-method-edit", pk=member.pk)
    context = {"member": member, "form": form, "may_change": may_change, "current": current,
               "shown_account": (current.account_number if full else _mask_account(current.account_number))
               if current is not None else "", "next": request.GET.get("next", "")}
    return render(request, "payments/payment_method.html", context)

