"""The review queue of possible duplicates: the list with its filters and counts, a pair side by
side with the evidence in words, the decision, and the searches (runs) with "start a search".

Access: every pair comes through `ansinh.dedup.access` (404 outside the user's units, 403 on a
decision by someone who may not change both records' communes). Citizen IDs are masked unless the
user may see them in full for that record's commune (`households.access.may_see_citizen_ids`);
a full reading is audited (Decree 13/2023/NĐ-CP, Art. 27).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ansinh.accounts import audit
from ansinh.accounts.access import get_scope, own_units_for_user, request_user
from ansinh.accounts.audit import Actor
from ansinh.accounts.models import User
from ansinh.geo.models import Edition, Level, Unit
from ansinh.households.access import communes_in_scope, may_see_citizen_ids
from ansinh.households.models import Member
from ansinh.lib.citizen_id import mask_citizen_id
from ansinh.web.shortcuts import parse_int

from . import services
from .access import get_pair_for_user, may_decide_pair, may_run_dedup, pairs_for_user, runs_for_user
from .entry import _compare, evidence_in_words
from .models import DuplicatePair, Method, PairStatus
from .names import name_keys

PAGE_SIZE = 50
RUN_KIND = "dedup.run"
STATUS_ALL = "all"
PROBABILITIES = [("", gettext_lazy("any")), ("0.99", "≥ 99%"), ("0.9", "≥ 90%"), ("0.5", "≥ 50%")]


def run_kind_ready() -> bool:
    """The linkage lane's background search is installed (its job kind is registered)."""
    if importlib.util.find_spec("ansinh.dedup.linkage") is None:
        return False
    from ansinh.jobs.kinds import get_kind

    try:
        get_kind(RUN_KIND)
    except LookupError:
        return False
    return True


class PairFilterForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("dedup", "Status"), required=False,
                               choices=[(STATUS_ALL, gettext_lazy("all")), *PairStatus.choices])
    commune = forms.ChoiceField(label=gettext_lazy("Commune"), required=False)
    method = forms.ChoiceField(label=gettext_lazy("Found by"), required=False,
                               choices=[("", gettext_lazy("any")), *Method.choices])
    probability = forms.ChoiceField(label=gettext_lazy("Match probability"), required=False, choices=PROBABILITIES)

    def __init__(self, data: Any, *, communes: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.communes = {str(c.pk): c for c in communes}
        cast(forms.ChoiceField, self.fields["commune"]).choices = [
            ("", _("all communes")), *((pk, c.name) for pk, c in self.communes.items())]

    def value(self, name: str) -> str:
        """The valid value of a filter ("" when missing or not a choice: a bad parameter is ignored)."""
        raw = str(self.data.get(name, "") or "")
        choices: Any = cast(forms.ChoiceField, self.fields[name]).choices
        return raw if raw in {str(value) for value, _label in choices} else ""


def _side(member: Member) -> str:
    return f"{member.full_name} ({member.birth_date:%d/%m/%Y})"


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The review queue: pairs in the user's units, most likely first, with counts by status."""
    user = request_user(request)
    communes = communes_in_scope(user)
    form = PairFilterForm(request.GET, communes=communes)
    status = form.value("status") or (PairStatus.OPEN if "status" not in request.GET else STATUS_ALL)
    found = pairs_for_user(user)
    if commune := form.value("commune"):
        found = found.filter(Q(left__household__commune_id=int(commune)) | Q(right__household__commune_id=int(commune)))
    if method := form.value("method"):
        found = found.filter(method=method)
    if probability := form.value("probability"):
        found = found.filter(probability__gte=float(probability))
    counts = {row["status"]: row["n"] for row in found.order_by().values("status").annotate(n=Count("pk"))}
    if status != STATUS_ALL:
        found = found.filter(status=status)
    found = found.select_related("left__household__commune", "right__household__commune").order_by(
        "-probability", "pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"value": value, "label": label, "count": counts.get(value, 0), "current": value == status}
            for value, label in PairStatus.choices]
    tabs.append({"value": STATUS_ALL, "label": _("all"), "count": sum(counts.values()), "current": status == STATUS_ALL})
    for pair in page.object_list:
        pair.percent = round(pair.probability * 100)  # type: ignore[attr-defined]
    return render(request, "dedup/duplicate_list.html", {
        "form": form, "page": page, "tabs": tabs, "status": status})


# --- A pair --------------------------------------------------------------------------------------------


def _shown_id(member: Member, full: bool) -> str:
    if not member.citizen_id:
        return "—"
    return member.citizen_id if full else mask_citizen_id(member.citizen_id)


def _facts(member: Member, full_id: bool) -> dict[str, str]:
    """What is compared side by side, as the officer reads it."""
    household = member.household
    status = ""
    if member.died_on:
        status = _("died on %(date)s") % {"date": f"{member.died_on:%d/%m/%Y}"}
    elif member.left_on:
        status = _("left the household on %(date)s") % {"date": f"{member.left_on:%d/%m/%Y}"}
    return {
        "full_name": member.full_name,
        "birth_date": f"{member.birth_date:%d/%m/%Y}",
        "sex": member.get_sex_display(),
        "citizen_id": _shown_id(member, full_id),
        "commune": household.commune.name,
        "hamlet": household.hamlet.name if household.hamlet else "—",
        "household": household.code,
        "relation": member.get_relation_display(),
        "ethnicity": member.get_ethnicity_display(),
        "status": status or _("lives in the household"),
    }


FACT_LABELS = [("full_name", gettext_lazy("Full name")), ("birth_date", gettext_lazy("Date of birth")),
               ("sex", gettext_lazy("Sex")), ("citizen_id", gettext_lazy("Citizen ID")),
               ("commune", gettext_lazy("Commune")), ("hamlet", gettext_lazy("Hamlet")),
               ("household", gettext_lazy("Household")), ("relation", gettext_lazy("Relation to the head")),
               ("ethnicity", gettext_lazy("Ethnicity")), ("status", pgettext_lazy("dedup", "Status"))]


def evidence_of(pair: DuplicatePair) -> list[str]:
    """The pair's evidence in words: the linkage's comparison levels, else the entry check's
    comparison of the two records (never codes)."""
    words = evidence_in_words(pair.evidence if isinstance(pair.evidence, dict) else {})
    if words:
        return words
    left, right = pair.left, pair.right
    _weight, reasons = _compare(name_keys(left.full_name), left.birth_date, left.citizen_id or "", right,
                                name_keys(right.full_name))
    if pair.method == Method.CITIZEN_ID and not reasons:
        reasons = [_("same citizen ID")]
    return reasons


def _entitlements(member_ids: list[int]) -> dict[int, list[str]]:
    from ansinh.benefits.models import Entitlement

    out: dict[int, list[str]] = {pk: [] for pk in member_ids}
    for person_id, name, start, stop in (Entitlement.objects.filter(person_id__in=member_ids)
                                         .values_list("person_id", "category__name", "start_month", "stop_month")
                                         .order_by("start_month")):
        months = f"{start:%m/%Y} – {stop:%m/%Y}" if stop else _("from %(month)s") % {"month": f"{start:%m/%Y}"}
        out[person_id].append(f"{name} ({months})")
    return out


@login_required
@require_GET
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    pair = get_pair_for_user(user, pk)
    pair = (DuplicatePair.objects.select_related("left__household__commune", "left__household__hamlet",
                                                 "right__household__commune", "right__household__hamlet",
                                                 "decided_by", "kept", "run").get(pk=pair.pk))
    left, right = pair.left, pair.right
    full = {m.pk: may_see_citizen_ids(user, m.household.commune) for m in (left, right)}
    facts = {m.pk: _facts(m, full[m.pk]) for m in (left, right)}
    rows = [{"label": label, "left": facts[left.pk][key], "right": facts[right.pk][key],
             "differs": facts[left.pk][key] != facts[right.pk][key]} for key, label in FACT_LABELS]
    paid = _entitlements([left.pk, right.pk])
    rows.append({"label": pgettext("benefits", "Entitlements"), "left": "; ".join(paid[left.pk]) or "—",
                 "right": "; ".join(paid[right.pk]) or "—", "differs": paid[left.pk] != paid[right.pk]})
    shown_full = [m for m in (left, right) if full[m.pk] and m.citizen_id]
    if shown_full:
        with transaction.atomic():
            for member in shown_full:
                audit.record(actor=Actor.from_request(request), action="personal_data.read", obj=member.household,
                             unit=member.household.commune, after={"citizen_ids": 1, "via": "duplicate"})
    visible = {m.pk: get_scope(user).covers(m.household.commune) for m in (left, right)}
    return render(request, "dedup/duplicate_detail.html", {
        "pair": pair, "left": left, "right": right, "rows": rows, "evidence": evidence_of(pair),
        "percent": round(pair.probability * 100), "left_visible": visible[left.pk], "right_visible": visible[right.pk],
        "may_decide": pair.status == PairStatus.OPEN and may_decide_pair(user, pair),
        "note_max": services.NOTE_LENGTH})


DECISION_CHOICES = {"merge_left", "merge_right", "link", "dismiss"}


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    pair = get_pair_for_user(user, pk, change=True)
    choice = request.POST.get("decision", "")
    note = (request.POST.get("note") or "").strip()
    if choice not in DECISION_CHOICES:
        messages.error(request, _("Choose a decision: merge (keeping one record), link, or different people."))
        return redirect("duplicate-detail", pk=pair.pk)
    if len(note) > services.NOTE_LENGTH:
        messages.error(request, _("The note is too long (at most %(n)s characters).") % {"n": services.NOTE_LENGTH})
        return redirect("duplicate-detail", pk=pair.pk)
    actor = Actor.from_request(request)
    try:
        if choice.startswith("merge_"):
            services.merge(pair, actor=actor, keep=pair.left_id if choice == "merge_left" else pair.right_id, note=note)
            done = _("Merged: %(kept)s is kept, the other record left its household.") % {
                "kept": _side(pair.left if choice == "merge_left" else pair.right)}
        elif choice == "link":
            services.link(pair, actor=actor, note=note)
            done = _("Linked: both records are kept as one person, paid once.")
        else:
            services.dismiss(pair, actor=actor, note=note)
            done = _("Dismissed: different people. This pair will not be raised again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("duplicate-detail", pk=pair.pk)
    messages.success(request, done)
    following = (pairs_for_user(user).filter(status=PairStatus.OPEN).exclude(pk=pair.pk)
                 .order_by("-probability", "pk").values_list("pk", flat=True).first())
    if following is not None and request.POST.get("next") == "1":
        return redirect("duplicate-detail", pk=following)
    return redirect("duplicate-list")


# --- Searches ----------------------------------------------------------------------------------------


def _run_units(user: User) -> list[Unit]:
    """Provinces and communes of the current map where the user may start a search."""
    units = (own_units_for_user(user).filter(level__in=[Level.PROVINCE, Level.COMMUNE], edition=Edition.CURRENT)
             .order_by("level", "sort_key", "code"))
    scope = get_scope(user)
    return [u for u in units[:500] if scope.can_change(u, field="poverty")]


@login_required
@require_GET
def dedup_run_list(request: HttpRequest) -> HttpResponse:
    from ansinh.jobs.models import Job
    from ansinh.jobs.services import job_panel

    user = request_user(request)
    runs = runs_for_user(user).select_related("unit", "started_by").order_by("-started_at", "-pk")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    ready = run_kind_ready()
    units = _run_units(user) if ready else []
    jobs = list(Job.objects.filter(kind=RUN_KIND, started_by=user).order_by("-created_at", "-pk")[:3]) if ready else []
    panels = [job_panel(job, user) for job in jobs
              if job.active or (job.finished_at and (timezone.now() - job.finished_at) < dt.timedelta(minutes=10))]
    return render(request, "dedup/run_list.html", {"page": page, "units": units, "ready": ready, "panels": panels})


@login_required
@require_POST
def dedup_run_start(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not run_kind_ready():
        messages.error(request, _("The duplicate search is not installed on this server."))
        return redirect("dedup-run-list")
    from .jobs import dedup_run_start as start

    unit_pk = parse_int(request.POST.get("unit"), low=1)
    unit = Unit.objects.filter(pk=unit_pk, edition=Edition.CURRENT,
                               level__in=[Level.PROVINCE, Level.COMMUNE]).first() if unit_pk else None
    if unit is None:
        messages.error(request, _("Choose a province or a commune to search."))
        return redirect("dedup-run-list")
    if not get_scope(user).covers(unit):
        raise Http404
    if not may_run_dedup(user, unit):
        raise PermissionDenied
    try:
        start(unit=unit, actor=Actor.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dedup-run-list")
    messages.success(request, _("The search has started; its progress is shown below."))
    return redirect(reverse("dedup-run-list"))


__all__ = ["dedup_run_list", "dedup_run_start", "duplicate_decide", "duplicate_detail", "duplicate_list"]
