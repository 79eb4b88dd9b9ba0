"""The filters of the residents' list, shared by the page and the API (the drill-down of the counted
figures lands here: `indicators_facilities.records_url`). A bad parameter raises BadRequest with a
message in Vietnamese; an id outside the user's scope raises Http404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.http import Http404

from ansinh.lib.vietnamese import fold
from ansinh.web.shortcuts import parse_int

from . import access_facilities as access
from .models_facilities import CARE_KINDS, REINTEGRATED, CategoryGroup, FacilityKind, RehabKind, Resident

STATUSES = ("present", "discharged", "all")
DATE_PARAMS = ("admitted_from", "admitted_to", "discharged_from", "discharged_to", "present_on")


@dataclass
class ResidentFilters:
    facility: int | None = None
    unit: int | None = None
    kind: str = ""  # "care" | "rehab" | ""
    status: str = "all"
    group: str = ""
    rehab_kind: str = ""
    reason: str = ""
    q: str = ""
    dates: dict[str, dt.date] = field(default_factory=dict)


def _id(params: Mapping[str, Any], name: str) -> int | None:
    raw = str(params.get(name, "") or "").strip()
    if not raw:
        return None
    value = parse_int(raw, low=1)
    if value is None:
        raise Http404
    return value


def parse(params: Mapping[str, Any]) -> ResidentFilters:
    out = ResidentFilters(facility=_id(params, "facility"), unit=_id(params, "unit"))
    out.kind = str(params.get("kind", "") or "")
    if out.kind not in ("", "care", "rehab"):
        raise BadRequest("Tham số “kind” chỉ nhận care hoặc rehab.")
    has_dates = any(params.get(name) for name in DATE_PARAMS)
    out.status = str(params.get("status", "") or ("all" if has_dates else "present"))
    if out.status not in STATUSES:
        raise BadRequest("Tham số “status” chỉ nhận present, discharged hoặc all.")
    out.group = str(params.get("group", "") or "")
    if out.group and out.group not in CategoryGroup.values:
        raise BadRequest("Nhóm đối tượng không hợp lệ.")
    out.rehab_kind = str(params.get("rehab_kind", "") or "")
    if out.rehab_kind and out.rehab_kind not in RehabKind.values:
        raise BadRequest("Hình thức cai nghiện chỉ nhận compulsory hoặc voluntary.")
    out.reason = str(params.get("reason", "") or "")
    if out.reason and out.reason != "reintegrated":
        raise BadRequest("Tham số “reason” chỉ nhận reintegrated.")
    out.q = str(params.get("q", "") or "").strip()[:100]
    for name in DATE_PARAMS:
        raw = str(params.get(name, "") or "").strip()
        if raw:
            try:
                out.dates[name] = dt.date.fromisoformat(raw)
            except ValueError:
                raise BadRequest(f"Tham số “{name}” phải là một ngày (YYYY-MM-DD).") from None
    return out


def apply(user: Any, residents: QuerySet[Resident], f: ResidentFilters) -> QuerySet[Resident]:
    """Narrows the user's residents (`access.residents_for_user`) by the filters."""
    if f.facility is not None:
        if not access.facilities_for_user(user).filter(pk=f.facility).exists():
            raise Http404
        residents = residents.filter(facility_id=f.facility)
    if f.unit is not None:
        unit = access.units_in_scope(user).filter(pk=f.unit).first()
        if unit is None:
            raise Http404
        residents = access.in_unit(residents, unit, prefix="facility__")
    if f.kind == "care":
        residents = residents.filter(facility__kind__in=CARE_KINDS)
    elif f.kind == "rehab":
        residents = residents.filter(facility__kind=FacilityKind.REHAB)
    if f.status == "present":
        residents = residents.filter(discharged_on__isnull=True)
    elif f.status == "discharged":
        residents = residents.filter(discharged_on__isnull=False)
    if f.group:
        residents = residents.filter(category__group=f.group)
    if f.rehab_kind:
        residents = residents.filter(rehab_kind=f.rehab_kind)
    if f.reason == "reintegrated":
        residents = residents.filter(discharge_reason__in=REINTEGRATED)
    d = f.dates
    if "admitted_from" in d:
        residents = residents.filter(admitted_on__gte=d["admitted_from"])
    if "admitted_to" in d:
        residents = residents.filter(admitted_on__lte=d["admitted_to"])
    if "discharged_from" in d:
        residents = residents.filter(discharged_on__gte=d["discharged_from"])
    if "discharged_to" in d:
        residents = residents.filter(discharged_on__lte=d["discharged_to"])
    if "present_on" in d:
        residents = residents.present_on(d["present_on"])  # type: ignore[attr-defined]
    if f.q:
        folded = fold(f.q)
        # By name without accents, or by the admission decision's number; not by citizen ID (those
        # who see it masked must not probe it digit by digit).
        residents = residents.filter(Q(search_name__contains=folded) | Q(admission_number__icontains=f.q))
    return residents


__all__ = ["ResidentFilters", "apply", "parse"]
