"""Services of care facilities and drug rehabilitation: admission, discharge, stage, occupancy,
with their refusals (issue 14 item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.models import AuditEvent
from ansinh.care import services_facilities as services
from ansinh.care.models import Resident
from ansinh.households.models import Household, Member

from .facilities_helpers import SYSTEM, admit, category, facility

pytestmark = pytest.mark.django_db

CID = "086095000123"


def test_it_admits_a_resident_and_audits_it(units: Any) -> None:
    f = facility(units.vinh_long)
    r = admit(f, citizen_id=CID)
    assert r.search_name == "tran van an" and r.stage is None and r.rehab_kind == ""
    event = AuditEvent.objects.get(action="care_resident.admit", object_id=str(r.pk))
    assert event.after["admission_number"] == "01/QĐ" and event.after["citizen_id"] is True  # the number stays out
    assert AuditEvent.objects.filter(action="care_facility.create", object_id=str(f.pk)).exists()


def test_it_refuses_a_person_in_two_facilities_at_once(units: Any) -> None:
    first, second = facility(units.vinh_long), facility(units.vinh_long, code="F2")
    admit(first, citizen_id=CID, on=dt.date(2025, 1, 10))
    with pytest.raises(ValidationError) as caught:
        admit(second, citizen_id=CID, on=dt.date(2025, 2, 1))
    assert "hai cơ sở cùng lúc" in caught.value.message_dict["admitted_on"][0]
    assert Resident.objects.count() == 1


def test_it_refuses_an_admission_before_an_earlier_stay_ended(units: Any) -> None:
    first, second = facility(units.vinh_long), facility(units.vinh_long, code="F2")
    stay = admit(first, citizen_id=CID, on=dt.date(2025, 1, 10))
    services.resident_discharge(actor=SYSTEM, resident=stay, number="02/QĐ", discharged_on=dt.date(2025, 3, 1),
                                reason="transferred")
    with pytest.raises(ValidationError):
        admit(second, citizen_id=CID, on=dt.date(2025, 2, 15), number="09/QĐ")
    moved = admit(second, citizen_id=CID, on=dt.date(2025, 3, 1), number="10/QĐ")  # a transfer on the same day
    assert moved.admitted_on == dt.date(2025, 3, 1)


def test_it_links_a_person_of_the_register(units: Any) -> None:
    house = Household.objects.create(code="H-CARE-1", commune=units.tra_cu, area="rural", head_name="Sơn Thị Nga")
    person = Member.objects.create(household=house, full_name="Sơn Thị Nga", sex="female", relation="head",
                                   birth_date=dt.date(1940, 5, 1), citizen_id="086140000777")
    f = facility(units.vinh_long)
    r = services.resident_admit(actor=SYSTEM, facility=f, data=services.Admission(
        admission_number="05/QĐ", admitted_on=dt.date(2025, 1, 5), admission_decided_by="Giám đốc",
        category=category("elderly"), member=person))
    assert (r.full_name, r.sex, r.citizen_id, r.home_commune) == ("Sơn Thị Nga", "female", "086140000777", units.tra_cu)
    other = facility(units.vinh_long, code="F9")
    with pytest.raises(ValidationError):  # the same person, by her citizen ID without the register link
        admit(other, citizen_id="086140000777", on=dt.date(2025, 2, 1))


@pytest.mark.parametrize(("change", "field"), [
    ({"on": dt.date(2099, 1, 1)}, "admitted_on"),
    ({"on": dt.date(2009, 1, 1)}, "admitted_on"),
    ({"cat": "drug_user"}, "category"),
    ({"name": ""}, "full_name"),
    ({"citizen_id": "123"}, "citizen_id"),
    ({"rehab_kind": "voluntary", "term_months": 6}, "rehab_kind"),
])
def test_it_refuses_a_bad_admission_by_field(units: Any, change: dict[str, Any], field: str) -> None:
    f = facility(units.vinh_long)
    with pytest.raises(ValidationError) as caught:
        admit(f, **change)
    assert field in caught.value.message_dict
    assert all(m and m[0].isupper() for m in caught.value.message_dict[field])


def test_it_applies_the_rehabilitation_rules(units: Any) -> None:
    public = facility(units.vinh_long, code="R1", kind="rehab")
    private = facility(units.vinh_long, code="R2", kind="rehab", ownership="private")
    with pytest.raises(ValidationError) as caught:
        admit(private, rehab_kind="compulsory", term_months=12)
    assert "công lập" in caught.value.message_dict["rehab_kind"][0]
    with pytest.raises(ValidationError) as caught:
        admit(public, rehab_kind="compulsory", term_months=6)
    assert "12 đến 24" in caught.value.message_dict["term_months"][0]
    with pytest.raises(ValidationError):
        admit(public, rehab_kind="voluntary", term_months=18)
    with pytest.raises(ValidationError):
        admit(public)  # no kind
    r = admit(public, rehab_kind="compulsory", term_months=24, on=dt.date(2024, 1, 15),
              home_commune=units.tra_cu)
    assert r.stage == 1 and r.term_ends_on == dt.date(2026, 1, 15)
    services.resident_set_stage(actor=SYSTEM, resident=r, stage=3)
    with pytest.raises(ValidationError):
        services.resident_set_stage(actor=SYSTEM, resident=r, stage=2)
    done = services.resident_discharge(actor=SYSTEM, resident=r, number="D1", discharged_on=dt.date(2026, 1, 15),
                                       reason="end_of_term")
    assert done.aftercare_commune == units.tra_cu and done.aftercare_until == dt.date(2027, 1, 15)
    with pytest.raises(ValidationError):
        services.resident_set_stage(actor=SYSTEM, resident=done, stage=5)


def test_it_refuses_bad_discharges(units: Any) -> None:
    f = facility(units.vinh_long)
    r = admit(f)
    for number, day, reason, field in [("", dt.date(2025, 2, 1), "death", "number"),
                                       ("D", dt.date(2025, 1, 1), "death", "discharged_on"),
                                       ("D", dt.date(2099, 1, 1), "death", "discharged_on"),
                                       ("D", dt.date(2025, 2, 1), "nope", "reason")]:
        with pytest.raises(ValidationError) as caught:
            services.resident_discharge(actor=SYSTEM, resident=r, number=number, discharged_on=day, reason=reason)
        assert field in caught.value.message_dict
    services.resident_discharge(actor=SYSTEM, resident=r, number="D", discharged_on=dt.date(2025, 2, 1),
                                reason="death")
    stale = Resident.objects.get(pk=r.pk)
    stale.discharged_on = None  # a second clerk's page, loaded before the discharge
    with pytest.raises(ValidationError):
        services.resident_discharge(actor=SYSTEM, resident=stale, number="D2", discharged_on=dt.date(2025, 2, 2),
                                    reason="death")
    assert AuditEvent.objects.filter(action="care_resident.discharge", object_id=str(r.pk)).count() == 1


def test_it_refuses_an_admission_beyond_capacity_and_a_duplicate_number(units: Any) -> None:
    f = facility(units.vinh_long, capacity=1)
    admit(f)
    with pytest.raises(ValidationError) as caught:
        admit(f, number="02/QĐ", name="Lê Văn Bình")
    assert "công suất" in caught.value.message_dict["facility"][0]
    g = facility(units.vinh_long, code="F2")
    admit(g)
    with pytest.raises(ValidationError) as caught:
        admit(g, name="Lê Văn Bình")
    assert "admission_number" in caught.value.message_dict


def test_it_counts_monthly_occupancy_in_one_query(units: Any) -> None:
    f = facility(units.vinh_long, capacity=4)
    a = admit(f, number="1", on=dt.date(2025, 1, 10))
    admit(f, number="2", on=dt.date(2025, 1, 31), name="B")
    c = admit(f, number="3", on=dt.date(2025, 2, 3), name="C")
    services.resident_discharge(actor=SYSTEM, resident=a, number="D1", discharged_on=dt.date(2025, 2, 28),
                                reason="death")  # gone on the last day: not counted that evening
    services.resident_discharge(actor=SYSTEM, resident=c, number="D3", discharged_on=dt.date(2025, 3, 5),
                                reason="returned_family")
    ends = services.month_ends(dt.date(2024, 12, 1), dt.date(2025, 3, 31))
    empty = facility(units.vinh_long, code="F2")
    with CaptureQueriesContext(connection) as queries:
        rows = services.occupancy([f, empty], ends)
    assert len(queries.captured_queries) == 1
    assert rows[0].counts == [0, 2, 2, 1] and rows[1].counts == [0, 0, 0, 0]
    assert rows[0].rates()[1] == 50.0


def test_it_refuses_a_facility_outside_the_current_map_and_a_duplicate_code(units: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        facility(units.legacy_tra_vinh)
    assert "unit" in caught.value.message_dict
    facility(units.vinh_long)
    with pytest.raises(ValidationError) as caught:
        facility(units.vinh_long)
    assert "code" in caught.value.message_dict


def test_it_adds_a_dated_version_of_a_category(units: Any) -> None:
    old = category("elderly")
    new = services.category_add(actor=SYSTEM, code="elderly", name="Người cao tuổi (mới)", group="elderly_disabled",
                                for_rehab=False, legal_basis="Văn bản mới", valid_from=dt.date(2026, 7, 1),
                                provisional=True)
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 6, 30) and new.in_force(dt.date(2026, 7, 1))
    f = facility(units.vinh_long)
    assert old in services.categories_for(f, dt.date(2025, 1, 1))
    assert new not in services.categories_for(f, dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.resident_admit(
            actor=SYSTEM, facility=f, data=services.Admission(
                admission_number="X", admitted_on=dt.date(2025, 1, 10), admission_decided_by="Giám đốc",
                category=new, full_name="A", sex="male"))
    assert "không có hiệu lực" in caught.value.message_dict["category"][0]
    with pytest.raises(ValidationError):  # not before the version in force
        services.category_add(actor=SYSTEM, code="elderly", name="x", group="elderly_disabled", for_rehab=False,
                              legal_basis="y", valid_from=dt.date(2026, 1, 1), provisional=False)
    assert AuditEvent.objects.filter(action="care_facility.category_add").count() == 2


def test_it_counts_the_figures_in_one_query(units: Any) -> None:
    from ansinh.care.indicators_facilities import fetch
    from ansinh.plans.periods import Period

    f = facility(units.vinh_long, kind="rehab")
    commune = facility(units.tra_cu, code="F2")
    admit(f, rehab_kind="compulsory", term_months=12, on=dt.date(2025, 1, 10))
    admit(commune, number="C", name="B", on=dt.date(2025, 2, 10))
    with CaptureQueriesContext(connection) as queries:
        counts, _note, key = fetch(units.vinh_long, Period.parse("2025-Q1"))
    assert len(queries.captured_queries) == 1
    assert counts["rehab_admissions"][(units.vinh_long.pk, "compulsory")] == 1
    assert counts["care_admissions"][(units.tra_cu.pk, "")] == 1
    assert counts["care_admissions"][(units.vinh_long.pk, "")] == 1  # the province's own and its communes'
    assert key == "2025-01-01..2025-03-31"
    commune_only, _n, _k = fetch(units.tra_cu, Period.parse("2025-Q1"))
    assert commune_only["care_admissions"] == {(units.tra_cu.pk, ""): 1.0} and not commune_only["rehab_admissions"]
    legacy, _n, _k = fetch(units.legacy_tra_vinh, Period.parse("2025-Q1"))
    assert all(not v for v in legacy.values())
