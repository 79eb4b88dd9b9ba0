"""Workers abroad under contract (Law 69/2020/QH14): recording a departure, its status changes
and the return home.

A departure with a departure date is a job given (seed 004 counts "60 abroad" among the jobs
created): it carries its `Placement(channel=abroad, departure=…, placed_on=departed_on,
new_job=False)`, made, moved or removed in the same transaction as the departure (the contract
between the labour registries). Every change writes an audit row `departure.save`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.households.models import Member

from . import access
from .countries import COUNTRIES, country_name
from .models import AbroadStatus, Departure, Placement, PlacementChannel, SenderKind

FIELDS = ["person", "commune", "destination", "sender_kind", "enterprise", "job", "contract_months", "departed_on",
          "returned_on", "status", "labour_code", "note"]
RETURNED = (AbroadStatus.RETURNED, AbroadStatus.RETURNED_EARLY)
MAX_CONTRACT_MONTHS = 120


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_departure(*, person: Member, destination: str, sender_kind: str, contract_months: int | None,
                    departed_on: dt.date | None, returned_on: dt.date | None, status: str) -> dict[str, str]:
    """The rules of one departure, as {field: Vietnamese message} (empty when right)."""
    errors: dict[str, str] = {}
    if destination not in COUNTRIES:
        errors["destination"] = "Chọn nước đến trong danh sách."
    if sender_kind not in SenderKind.values:
        errors["sender_kind"] = "Chọn hình thức đưa đi trong danh sách."
    if status not in AbroadStatus.values:
        errors["status"] = "Chọn tình trạng trong danh sách."
    if contract_months is not None and not 1 <= contract_months <= MAX_CONTRACT_MONTHS:
        errors["contract_months"] = f"Thời hạn hợp đồng phải từ 1 đến {MAX_CONTRACT_MONTHS} tháng."
    if departed_on is not None and person.birth_date and age_on(person.birth_date, departed_on) < 18:
        errors["departed_on"] = (f"{person.full_name} chưa đủ 18 tuổi vào ngày xuất cảnh {departed_on:%d/%m/%Y} "
                                 "(Luật 69/2020/QH14, Điều 44).")
    if departed_on is None and status != AbroadStatus.PREPARING:
        errors["departed_on"] = "Ghi ngày xuất cảnh (chỉ người đang chuẩn bị xuất cảnh mới chưa có ngày xuất cảnh)."
    if departed_on is not None and status == AbroadStatus.PREPARING:
        errors["status"] = "Người đã có ngày xuất cảnh không còn ở tình trạng chuẩn bị xuất cảnh."
    if returned_on is not None:
        if departed_on is None or returned_on < departed_on:
            errors["returned_on"] = "Ngày về nước phải sau ngày xuất cảnh."
        elif status not in RETURNED:
            errors["status"] = "Người đã về nước: chọn tình trạng “về nước đúng hạn” hoặc “về nước trước hạn”."
    elif status in RETURNED:
        errors["returned_on"] = "Ghi ngày về nước."
    if person.died_on is not None and departed_on is not None and departed_on > person.died_on:
        errors["departed_on"] = f"{person.full_name} đã mất ngày {person.died_on:%d/%m/%Y}."
    return errors


def _sync_placement(departure: Departure, user: Any) -> None:
    """Step 3 of `departure_save`: the departure's placement follows its departure date."""
    placement = Placement.objects.filter(departure=departure).first()
    if departure.departed_on is None:
        if placement is not None:
            placement.delete()
        return
    if placement is None:
        # Older data may hold the same job as a placement "abroad" without a departure: adopt it.
        placement = Placement.objects.filter(person=departure.person, placed_on=departure.departed_on,
                                             channel=PlacementChannel.ABROAD, departure__isnull=True).first()
    if placement is None:
        Placement.objects.create(person=departure.person, commune=departure.commune, placed_on=departure.departed_on,
                                 channel=PlacementChannel.ABROAD, departure=departure, new_job=False,
                                 employer_name=departure.enterprise[:255], created_by=user,
                                 import_job=departure.import_job)
        return
    placement.departure = departure
    placement.placed_on = departure.departed_on
    placement.commune = departure.commune
    placement.employer_name = departure.enterprise[:255]
    placement.save(update_fields=["departure", "placed_on", "commune", "employer_name"])


def departure_save(*, actor: Actor, person: Member, destination: str, sender_kind: str = SenderKind.SERVICE,
                   enterprise: str = "", job: str = "", contract_months: int | None = None,
                   departed_on: dt.date | None = None, returned_on: dt.date | None = None,
                   status: str = AbroadStatus.ABROAD, labour_code: str = "", note: str = "",
                   departure: Departure | None = None) -> Departure:
    """Records a new departure (`departure` None) or changes one.

    1. The actor must enter workers abroad in the person's commune (provincial labour officers).
    2. The rules of `check_departure`; a ValidationError by field otherwise.
    3. Save with `update_fields`, then make, move or remove its placement (same transaction).
    4. Audit `departure.save` with before and after.
    """
    user = user_of(actor)
    commune = person.household.commune
    if user is not None and not access.may_change(user, commune, "departure"):
        raise PermissionDenied("Anh/chị không được ghi người lao động đi làm việc ở nước ngoài của xã này.")
    errors = check_departure(person=person, destination=destination, sender_kind=sender_kind,
                             contract_months=contract_months, departed_on=departed_on, returned_on=returned_on,
                             status=status)
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "destination": destination, "sender_kind": sender_kind, "enterprise": enterprise.strip(), "job": job.strip(),
        "contract_months": contract_months, "departed_on": departed_on, "returned_on": returned_on,
        "status": status, "labour_code": labour_code.strip(), "note": note.strip()}
    with transaction.atomic():
        before = None
        if departure is None:
            departure = Departure(person=person, commune=commune, created_by=user, **values)
            departure.full_clean()
            departure.save()
        else:
            departure = Departure.objects.select_for_update().get(pk=departure.pk)
            before = audit.snapshot(departure, FIELDS)
            for name, value in values.items():
                setattr(departure, name, value)
            departure.full_clean()
            departure.save(update_fields=list(values))
        _sync_placement(departure, user)
        after = audit.snapshot(departure, FIELDS)
        after["destination_name"] = country_name(destination)
        audit.record(actor=actor, action=AuditAction.DEPARTURE_SAVE, obj=departure, unit=commune, before=before,
                     after=after)
    return departure


def departure_return(*, actor: Actor, departure: Departure, returned_on: dt.date, early: bool = False) -> Departure:
    """The worker came home (at the contract's end, or early): a transition checked by count, so
    two officers cannot record the same return twice."""
    user = user_of(actor)
    if user is not None and not access.may_change(user, departure.commune, "departure"):
        raise PermissionDenied("Anh/chị không được ghi người lao động đi làm việc ở nước ngoài của xã này.")
    if departure.departed_on is None or returned_on < departure.departed_on:
        raise ValidationError({"returned_on": "Ngày về nước phải sau ngày xuất cảnh."})
    new = AbroadStatus.RETURNED_EARLY if early else AbroadStatus.RETURNED
    with transaction.atomic():
        changed = (Departure.objects.filter(pk=departure.pk, status__in=[AbroadStatus.ABROAD, AbroadStatus.OVERSTAYED])
                   .update(status=new, returned_on=returned_on))
        if changed != 1:
            raise ValidationError({"status": "Người lao động này không còn ở nước ngoài: không ghi về nước được."})
        before = {"status": departure.status, "returned_on": None}
        departure.refresh_from_db()
        audit.record(actor=actor, action=AuditAction.DEPARTURE_SAVE, obj=departure, unit=departure.commune,
                     before=before, after={"status": new, "returned_on": returned_on.isoformat()})
    return departure


def departure_set_status(*, actor: Actor, departure: Departure, status: str) -> Departure:
    """A status change that does not move dates: abroad ↔ stayed on illegally."""
    user = user_of(actor)
    if user is not None and not access.may_change(user, departure.commune, "departure"):
        raise PermissionDenied("Anh/chị không được ghi người lao động đi làm việc ở nước ngoài của xã này.")
    allowed = {AbroadStatus.ABROAD: AbroadStatus.OVERSTAYED, AbroadStatus.OVERSTAYED: AbroadStatus.ABROAD}
    old = departure.status
    if allowed.get(old) != status:  # type: ignore[call-overload]
        raise ValidationError({"status": "Không chuyển được sang tình trạng này: về nước thì ghi ngày về nước."})
    with transaction.atomic():
        if Departure.objects.filter(pk=departure.pk, status=old).update(status=status) != 1:
            raise ValidationError({"status": "Hồ sơ vừa được người khác thay đổi: tải lại trang."})
        departure.status = status
        audit.record(actor=actor, action=AuditAction.DEPARTURE_SAVE, obj=departure, unit=departure.commune,
                     before={"status": old}, after={"status": status})
    return departure


__all__ = ["check_departure", "departure_return", "departure_save", "departure_set_status"]
