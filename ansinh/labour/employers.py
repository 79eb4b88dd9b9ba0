"""Employers (người sử dụng lao động) of the labour registries: the enterprises that hire foreign
workers (Decree 152/2020, Decree 219/2025) and the domestic employers of placements. Found by tax
code (unique when given), searched accent-insensitively by name; every change audited
`employer.save`."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor, user_of
from ansinh.accounts.models import AuditAction
from ansinh.geo.models import Unit
from ansinh.lib.vietnamese import fold

from . import access
from .models import Employer, EmployerKind

FIELDS = ["name", "tax_code", "kind", "unit", "address", "in_industrial_zone"]
# 10 digits, or 13 for a branch written 10-3 (Law on Tax Administration 38/2019/QH14, Art. 30;
# Circular 86/2024/TT-BTC).
TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


def normal_tax_code(text: str) -> str:
    """"0301234567 001" or "0301234567-001" -> "0301234567-001"; blank stays blank."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    if len(digits) == 13:
        return f"{digits[:10]}-{digits[10:]}"
    return digits if digits else (text or "").strip()


def check_tax_code(tax_code: str) -> str | None:
    """A Vietnamese message when the tax code is malformed (None when right or blank)."""
    if tax_code and not TAX_CODE.match(tax_code):
        return f"Mã số thuế “{tax_code}” không đúng: 10 chữ số, hoặc 13 chữ số (đơn vị phụ thuộc, dạng 10-3)."
    return None


def employer_save(*, actor: Actor, name: str, unit: Unit, tax_code: str = "", kind: str = EmployerKind.DOMESTIC,
                  address: str = "", in_industrial_zone: bool = False, employer: Employer | None = None) -> Employer:
    """Records a new employer (`employer` None) or changes one; audited."""
    user = user_of(actor)
    if user is not None and not access.may_change(user, unit, "employer"):
        raise PermissionDenied("Anh/chị không được ghi người sử dụng lao động ở địa bàn này.")
    name = " ".join((name or "").split())
    tax_code = normal_tax_code(tax_code)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Ghi tên người sử dụng lao động."
    problem = check_tax_code(tax_code)
    if problem:
        errors["tax_code"] = problem
    elif tax_code and Employer.objects.filter(tax_code=tax_code).exclude(
            pk__in=[employer.pk] if employer is not None else []).exists():
        errors["tax_code"] = f"Mã số thuế {tax_code} đã có trong danh sách người sử dụng lao động."
    if kind not in EmployerKind.values:
        errors["kind"] = "Chọn loại hình trong danh sách."
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {"name": name, "tax_code": tax_code, "kind": kind, "unit": unit,
                              "address": (address or "").strip(), "in_industrial_zone": in_industrial_zone,
                              "search_name": fold(name)}
    with transaction.atomic():
        before = None
        if employer is None:
            employer = Employer(**values)
            employer.save()
        else:
            employer = Employer.objects.select_for_update().get(pk=employer.pk)
            before = audit.snapshot(employer, FIELDS)
            for key, value in values.items():
                setattr(employer, key, value)
            employer.save(update_fields=list(values))
        audit.record(actor=actor, action=AuditAction.EMPLOYER_SAVE, obj=employer, unit=unit, before=before,
                     after=audit.snapshot(employer, FIELDS))
    return employer


__all__ = ["check_tax_code", "employer_save", "normal_tax_code"]
