"""The catalogue as dated data: seeded procedures, versions that must not overlap, who may edit,
audited; the hand-over rule changed by administrators only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from ansinh.accounts.models import AuditEvent
from ansinh.procedures import services
from ansinh.procedures.models import HandoverRule, Procedure

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_ships_the_procedures_the_other_capabilities_open() -> None:
    assert services.procedure_for("1.001776", D(2024, 5, 1)).days == 17  # Decree 20/2021: 7 + 7 + 3
    assert services.procedure_for("1.001776", D(2025, 7, 1)).days == 10
    assert services.procedure_for("DP.LDNN.CAPGP", D(2025, 8, 6)).days == 5  # Decree 152/2020 Art. 11
    assert services.procedure_for("DP.LDNN.CAPGP", D(2025, 8, 7)).days == 10  # Decree 219/2025
    assert services.procedure_for("DP.BHTN.HUONG", D(2025, 12, 31)).days == 20
    assert services.procedure_for("1.014748", D(2026, 1, 1)).days == 20
    with pytest.raises(ValidationError):
        services.procedure_for("1.014748", D(2025, 12, 31))
    rules = list(HandoverRule.objects.order_by("valid_from").values_list("cutoff", "shift_start"))
    assert rules == [(dt.time(15), False), (dt.time(15), False)]  # Decree 61/2018, Decree 118/2025: no shift


def _save(actor: Any, procedure: Procedure | None = None, **changes: Any) -> Procedure:
    values: dict[str, Any] = {"code": "X.1", "name": "Thủ tục mới", "field": "labour", "receiving_level": "province",
                              "deciding_level": "province", "days": 5, "fee": 0, "legal_basis": "Nghị định thử",
                              "valid_from": D(2026, 1, 1), "valid_to": None, "provisional": False,
                              "counts_from_next_day": False, **changes}
    return services.procedure_save(actor=actor, procedure=procedure, **values)


def test_it_edits_the_catalogue_with_dated_versions_audited(people: Any) -> None:
    with pytest.raises(PermissionDenied):
        _save(people.lan)  # a commune officer
    with pytest.raises(PermissionDenied):
        _save(people.minh)  # a poverty officer: not her field
    first = _save(people.tung)
    with pytest.raises(ValidationError) as overlap:
        _save(people.tung, valid_from=D(2026, 6, 1))
    assert "valid_from" in overlap.value.message_dict
    _save(people.tung, procedure=first, valid_to=D(2026, 5, 31))
    second = _save(people.tung, valid_from=D(2026, 6, 1), days=7)
    assert services.procedure_for("X.1", D(2026, 7, 1)) == second
    with pytest.raises(ValidationError):
        _save(people.tung, code="X.2", days=999, legal_basis="")
    events = AuditEvent.objects.filter(action="procedure.save")
    assert events.count() == 3 and events.filter(before__isnull=False).count() == 1


def test_it_lets_administrators_change_the_handover_rule(people: Any) -> None:
    rule = HandoverRule.objects.get(valid_from=D(2025, 7, 1))
    url = reverse("procedure-handover-rule-edit", args=[rule.pk])
    lan = Client()
    lan.force_login(people.lan)
    assert lan.post(url, {"cutoff": "16:00", "shift_start": "1"}).status_code == 403
    admin = Client()
    admin.force_login(people.tung)
    assert admin.post(url, {"cutoff": "16:00", "shift_start": "1"}).status_code == 302
    rule.refresh_from_db()
    assert (rule.cutoff, rule.shift_start) == (dt.time(16), True)
    assert admin.post(url, {"cutoff": "25:99"}).status_code == 302
    assert AuditEvent.objects.filter(action="procedure.handover_rule.save").count() == 1
    assert admin.get(reverse("procedure-list")).status_code == 200
    assert admin.get(reverse("procedure-create")).status_code == 200
    response = admin.post(reverse("procedure-create"), {"code": "", "name": "", "field": "labour"})
    assert response.status_code == 400
