"""`ansinh demo generate` also makes the people served of the demo province: realistic shares,
consistent with the register, deterministic, replaceable, set-based."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from ansinh.benefits import demo as benefits_demo
from ansinh.benefits.models import (
    Dossier,
    DossierStatus,
    DossierStep,
    Entitlement,
    Martyr,
    Proposal,
    ProposalStatus,
    Scheme,
    StopReason,
)
from ansinh.benefits.monthly import month_lines
from ansinh.geo.models import Edition, Unit
from ansinh.households.models import Household, HouseholdEvent, Member

pytestmark = pytest.mark.django_db

NOW = benefits_demo.present(2025)
MONTH = NOW.replace(day=1)


@pytest.fixture
def demo_mode(settings):  # type: ignore[no-untyped-def]
    settings.DEMO = True
    return settings


def generate(*args: str) -> str:
    out = StringIO()
    call_command("demo", "generate", "--province", "86", *args, stdout=out)
    return out.getvalue()


def province() -> Unit:
    return Unit.objects.get(edition=Edition.CURRENT, code="86")


def in_province() -> Q:
    return Q(commune__path__startswith=province().path)


def people() -> int:
    return Member.objects.filter(household__commune__path__startswith=province().path).present(NOW).count()


def open_now():  # type: ignore[no-untyped-def]
    return Entitlement.objects.filter(in_province(), start_month__lte=MONTH).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gt=MONTH))


def age_at_month_end(birth: dt.date, month: dt.date) -> int:
    """The engine's age for a month: on its last day."""
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return last.year - birth.year - ((last.month, last.day) < (birth.month, birth.day))


def months_paid(e: Entitlement) -> tuple[dt.date, dt.date]:
    """First and last month paid up to the present."""
    if e.stop_month is None:
        return e.start_month, MONTH
    last = (e.stop_month - dt.timedelta(days=1)).replace(day=1)
    return e.start_month, min(last, MONTH)


def snapshot() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    entitlements = list(Entitlement.objects.filter(in_province()).order_by(
        "person__citizen_id", "category__code", "start_month").values_list(
        "person__citizen_id", "category__code", "commune__code", "start_month", "stop_month", "stop_reason", "rate",
        "martyr_count", "children", "carer__citizen_id", "carer_name", "recognised_on", "decision_number",
        "decision_date", "decision_signer"))
    martyrs = list(Martyr.objects.filter(in_province()).order_by("commune__code", "full_name", "died_on").values_list(
        "full_name", "birth_year", "died_on", "certificate_number", "commune__code"))
    links = sorted(Entitlement.martyrs.through.objects.filter(entitlement__in=Entitlement.objects.filter(in_province()))
                   .values_list("entitlement__person__citizen_id", "martyr__full_name", "martyr__died_on"))
    dossiers = list(Dossier.objects.filter(in_province()).order_by("person__citizen_id", "received_on", "kind").values_list(
        "person__citizen_id", "kind", "status", "category__code", "received_on", "due_on", "decided_on",
        "decision_number", "refusal_reason"))
    proposals = list(Proposal.objects.filter(in_province()).order_by("person__citizen_id", "kind").values_list(
        "person__citizen_id", "kind", "amount", "status"))
    deaths = sorted(Member.objects.filter(household__commune__path__startswith=province().path,
                                          died_on__isnull=False).values_list("citizen_id", "died_on"))
    return {"entitlements": entitlements, "martyrs": martyrs, "links": links, "dossiers": dossiers,
            "proposals": proposals, "deaths": deaths}


def test_it_generates_beneficiaries_at_realistic_shares(demo_mode, units):
    out = generate("--households", "600", "--seed", "3")
    assert "Người hưởng trợ cấp tháng 11/2026" in out and "liệt sĩ" in out
    n = people()
    paid = dict(open_now().values("scheme").annotate(n=Count("person", distinct=True)).values_list("scheme", "n"))
    sa, sp, merit = (paid.get(s, 0) / n for s in (Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION, Scheme.MERITORIOUS))
    # Since Jul 2025 the people of 80 with no pension are on the social pension (Law 41/2024):
    # social assistance keeps disabilities, children, single parents and the poor elderly.
    assert 0.006 < sa < 0.035, sa
    assert 0.01 < sp < 0.07, sp
    assert 0.008 < merit < 0.018, merit
    assert 0.025 < sa + sp < 0.09
    # Before the social pension (June 2025), the elderly of 80 were on social assistance: ≈ 3 %.
    june = dt.date(2025, 6, 1)
    before = Entitlement.objects.filter(in_province(), scheme=Scheme.SOCIAL_ASSISTANCE, start_month__lte=june).filter(
        Q(stop_month__isnull=True) | Q(stop_month__gt=june)).values("person").distinct().count()
    assert 0.02 < before / n < 0.07
    codes = Counter(Entitlement.objects.filter(in_province()).values_list("category__code", flat=True))
    for code in ("sa_disability_severe", "sa_disability_especially_severe", "sa_elderly_80", "social_pension",
                 "merit_war_invalid", "merit_martyr_relative", "merit_toxic_chemical"):
        assert codes[code] > 0, code
    assert Martyr.objects.filter(in_province()).count() >= codes["merit_martyr_relative"]


def test_it_keeps_every_entitlement_consistent_with_the_register(demo_mode, units):
    generate("--households", "500", "--seed", "7")
    rows = list(Entitlement.objects.filter(in_province()).select_related("person", "person__household", "category",
                                                                          "carer"))
    assert rows
    ranges = {"merit_war_invalid": (21, 100), "merit_war_invalid_b": (21, 100), "merit_sick_soldier": (41, 100),
              "merit_toxic_chemical": (21, 100), "merit_toxic_chemical_child": (61, 100)}
    for e in rows:
        person, code = e.person, e.category.code
        first, last = months_paid(e)
        assert e.start_month.day == 1 and (e.stop_month is None or e.stop_month > e.start_month)
        assert e.start_month >= dt.date(2021, 7, 1) and e.start_month <= MONTH, (code, e.start_month)
        assert e.decision_number and "/QĐ-" in e.decision_number and e.decision_signer
        assert e.decision_date <= NOW
        assert e.scheme == e.category.scheme
        if e.scheme != Scheme.MERITORIOUS:
            assert e.decision_date.replace(day=1) <= e.start_month, (code, e.decision_date, e.start_month)
            assert e.commune_id == person.household.commune_id or e.stop_reason == StopReason.MOVED \
                or Entitlement.objects.filter(person=person, stop_reason=StopReason.MOVED).exists()
        # Alive and in the register while paid.
        if person.died_on is not None:
            assert e.stop_month is not None and e.stop_month <= (person.died_on.replace(day=28)
                                                                 + dt.timedelta(days=4)).replace(day=1)
        # Ages of the age groups, for every month paid (the first and the last suffice).
        ages = (age_at_month_end(person.birth_date, first), age_at_month_end(person.birth_date, last))
        if code in ("sa_orphan",):
            assert max(ages) < 16, (code, ages)
        if code == "sa_child_under_3":
            assert max(ages) < 3, (code, ages)
        if code == "sa_orphan_student":
            assert 16 <= min(ages) and max(ages) < 23 and person.schooling != "none"
        if code == "sa_elderly_80":
            assert min(ages) >= 80 and not person.pension and e.stop_month == dt.date(2025, 7, 1)
        if code == "sa_elderly_75":
            assert min(ages) >= 75 and e.stop_month == dt.date(2025, 7, 1)
        if code in ("sa_elderly_poor_alone", "sa_elderly_community_care"):
            assert min(ages) >= 60
        if code == "social_pension":
            assert min(ages) >= 70 and not person.pension and e.start_month >= dt.date(2025, 7, 1)
        if code == "sa_disability_severe":
            assert person.disability == "severe"
        if code == "sa_disability_especially_severe":
            assert person.disability == "especially_severe"
        if code == "sa_single_parent":
            assert e.children and e.children >= 1 and person.relation == "head"
        if code in ranges:
            low, high = ranges[code]
            assert e.rate is not None and low <= e.rate <= high, (code, e.rate)
        else:
            assert e.rate is None
        if code in ("merit_war_invalid", "merit_war_invalid_b", "merit_sick_soldier", "merit_toxic_chemical",
                    "merit_former_prisoner", "merit_helper", "merit_hero"):
            assert person.birth_date.year <= 1961, (code, person.birth_date)  # veterans
        if code in ("merit_martyr_relative", "merit_heroic_mother"):
            linked = list(e.martyrs.all())
            assert e.martyr_count and e.martyr_count >= 1 and len(linked) == e.martyr_count
            for martyr in linked:
                assert martyr.commune_id == e.commune_id
                assert martyr.died_on.year <= 1989 and martyr.certificate_date >= martyr.died_on
                assert martyr.died_on.year >= person.birth_date.year + 16  # she was old enough to be his widow or mother
        if code == "merit_heroic_mother":
            assert person.sex == "female" and len(e.martyrs.all()) >= 2
        if e.carer is not None:
            assert e.carer.household_id == person.household_id and e.carer.pk != person.pk
    # Two social-assistance categories at once only as the rare oversight the checks list (a
    # disabled elderly person also granted 5(5)a), and then only the higher is paid.
    sa_now = Counter(open_now().filter(scheme=Scheme.SOCIAL_ASSISTANCE).values_list("person_id", flat=True))
    twice = [person for person, n in sa_now.items() if n > 1]
    assert len(twice) <= max(2, 0.05 * len(sa_now))
    for person in twice:
        codes = set(open_now().filter(person_id=person, scheme=Scheme.SOCIAL_ASSISTANCE)
                    .values_list("category__code", flat=True))
        assert "sa_elderly_poor_alone" in codes and codes & {"sa_disability_severe", "sa_disability_especially_severe"}
        lines = month_lines(open_now().filter(person_id=person), MONTH)
        assert sum(line.paid for line in lines if line.scheme == Scheme.SOCIAL_ASSISTANCE and line.kind == "allowance") == 1
    # The members' flags say what they receive this month.
    members = Member.objects.filter(household__commune__path__startswith=province().path)
    paid = open_now()
    assert not members.filter(pk__in=paid.filter(scheme__in=["social_assistance", "social_pension"]).values("person"),
                              social_allowance=False).exists()
    assert not members.filter(pk__in=paid.filter(scheme="meritorious").values("person"), meritorious=False).exists()
    assert not members.filter(pk__in=paid.values("person"), health_insurance=False).exists()
    # Everyone the generator flagged and still here receives something (the dead and moved stopped).
    flagged = members.present(NOW).filter(Q(social_allowance=True) | Q(meritorious=True))
    unpaid = flagged.exclude(pk__in=Entitlement.objects.values("person"))
    assert not unpaid.exists(), list(unpaid.values_list("birth_date", "disability", "pension", "meritorious")[:5])


def test_it_prices_every_month_paid_by_the_law(demo_mode, units):
    generate("--households", "400", "--seed", "11")
    lines = month_lines(Entitlement.objects.filter(in_province()), MONTH)
    assert lines
    for line in lines:
        # Priced by a table (a line with no table for its case has amount 0 and says why).
        assert line.amount > 0, (line.category, line.excluded)
    june = month_lines(Entitlement.objects.filter(in_province(), scheme=Scheme.SOCIAL_ASSISTANCE), dt.date(2025, 6, 1))
    assert any(line.category == "sa_elderly_80" and line.paid for line in june)


def test_it_has_dossiers_in_every_status_with_deadlines(demo_mode, units):
    generate("--households", "600", "--seed", "5")
    dossiers = Dossier.objects.filter(in_province())
    statuses = Counter(dossiers.values_list("status", flat=True))
    assert {DossierStatus.RECEIVED, DossierStatus.CHECKED, DossierStatus.DECIDED, DossierStatus.REFUSED} <= set(statuses)
    today = dt.date(2026, 12, 3)
    assert dossiers.filter(status__in=["received", "checked"], due_on__lt=today).exists()  # overdue
    for d in dossiers.select_related("entitlement"):
        assert d.due_on > d.received_on
        steps = list(DossierStep.objects.filter(dossier=d).order_by("on", "pk").values_list("status", "on"))
        assert steps[0] == ("received", d.received_on)
        assert steps[-1][0] == d.status
        if d.status == DossierStatus.DECIDED:
            assert d.decided_on and d.decision_number and d.entitlement is not None
            assert d.entitlement.decision_number == d.decision_number or d.kind == "move"
        if d.status == DossierStatus.REFUSED:
            assert "Điều" in d.refusal_reason and d.entitlement is None
    move = dossiers.filter(kind="move", status="decided").first()
    if move is not None:
        old = move.person.entitlements.get(stop_reason=StopReason.MOVED)
        assert move.entitlement.commune_id == move.person.household.commune_id != old.commune_id


def test_it_records_a_few_deaths_with_their_proposals(demo_mode, units):
    generate("--households", "600", "--seed", "5")
    dead = Member.objects.filter(household__commune__path__startswith=province().path, died_on__isnull=False)
    assert 0 < dead.count() <= benefits_demo.DEATHS
    for member in dead:
        assert dt.date(NOW.year, 1, 1) <= member.died_on <= NOW
        assert HouseholdEvent.objects.filter(member=member, kind="member_died").exists()
        after = (member.died_on.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        held = member.entitlements.filter(start_month__lte=member.died_on)
        assert held.exists()
        assert not held.filter(Q(stop_month__isnull=True) | Q(stop_month__gt=after)).exists()
        assert held.filter(stop_reason=StopReason.DIED, stop_month=after).exists()
        assert Proposal.objects.filter(person=member).exists()
    proposals = Proposal.objects.filter(person__in=dead)
    assert set(proposals.values_list("kind", flat=True)) & {"sa_funeral", "pension_funeral", "merit_funeral"}
    assert proposals.filter(status=ProposalStatus.CONFIRMED).exists() or proposals.filter(status="proposed").exists()
    for p in proposals.filter(kind__in=["sa_funeral", "pension_funeral"]):
        assert p.amount in (20 * 500_000, 20 * 540_000)  # 20 × the base level (Decree 20 Art. 11)


def test_it_is_deterministic_and_replaces_twice(demo_mode, units):
    generate("--households", "300", "--seed", "42")
    first = snapshot()
    assert first["entitlements"] and first["martyrs"] and first["dossiers"]
    out = generate("--households", "300", "--seed", "42", "--replace")
    assert "đã thay 300 hộ cũ" in out
    again = snapshot()
    for key in first:
        assert again[key] == first[key], (key, [(a, b) for a, b in zip(again[key], first[key]) if a != b][:3])
    out = generate("--households", "300", "--seed", "42", "--replace")
    assert snapshot() == first
    # Nothing of the old generations is left behind.
    assert Entitlement.objects.count() == len(first["entitlements"])
    assert Martyr.objects.count() == len(first["martyrs"])
    assert Dossier.objects.count() == len(first["dossiers"])
    assert Proposal.objects.count() == len(first["proposals"])
    generate("--households", "300", "--seed", "43", "--replace")
    assert snapshot()["entitlements"] != first["entitlements"]


def test_it_replaces_a_province_whose_beneficiaries_were_changed_by_hand(demo_mode, units):
    generate("--households", "200", "--seed", "8")
    e = Entitlement.objects.filter(in_province(), stop_month__isnull=True).first()
    other = Entitlement.objects.filter(in_province()).exclude(person=e.person).first()
    # A carer recorded in another province's entitlement (PROTECT): unlinked, not in the way.
    elsewhere = Household.objects.create(code="HN-DEMO-1", commune=units.ba_dinh, area="urban")
    stranger = Member.objects.create(household=elsewhere, full_name="Nguyễn Văn A", sex="male",
                                     birth_date=dt.date(1950, 1, 1), relation="head")
    kept = Entitlement.objects.create(person=stranger, category=e.category, commune=units.ba_dinh, carer=other.person,
                                      decision_number="1/QĐ-UBND", decision_date=dt.date(2024, 1, 5),
                                      start_month=dt.date(2024, 1, 1))
    generate("--households", "200", "--seed", "8", "--replace")
    kept.refresh_from_db()
    assert kept.carer_id is None
    assert not Entitlement.objects.filter(pk=e.pk).exists()


def test_it_adds_a_constant_number_of_queries_whatever_the_size(demo_mode, units, monkeypatch):
    """The bulk part reads and writes a few statements whatever the size; the deaths and moves
    through the services are a fixed number of people."""
    from ansinh.households import demo as households_demo

    counts = []
    for size in (150, 450):
        monkeypatch.setattr(benefits_demo, "generate", lambda **kw: _counted(counts, **kw))
        households_demo.generate(province=province(), households=size, seed=1, replace=True)
    assert counts[0][0] == counts[1][0], (counts, _print_diff())  # bulk part, deaths and moves left out
    assert counts[0][1] < 800 and counts[1][1] < 800  # all of it, deaths and moves included


_real_generate = benefits_demo.generate
_diff: list[list[str]] = []


def _counted(counts: list[tuple[int, int]], **kwargs):  # type: ignore[no-untyped-def]
    import ansinh.benefits.demo as module

    with CaptureQueriesContext(connection) as bulk:
        original = module._events
        module._events = lambda *a, **k: (0, 0, 0)  # type: ignore[assignment]
        try:
            module.delete_province(kwargs["province"])
            made = _real_generate(**kwargs)
        finally:
            module._events = original  # type: ignore[assignment]
    with CaptureQueriesContext(connection) as everything:
        module.delete_province(kwargs["province"])
        made = _real_generate(**kwargs)
    counts.append((len(bulk), len(everything)))
    _diff.append([q["sql"][:90] for q in bulk.captured_queries])
    return made


def _print_diff() -> str:
    import difflib

    return "\n".join(difflib.unified_diff(_diff[0], _diff[1], lineterm=""))


def test_it_makes_demo_officers_for_social_assistance_and_meritorious_service(demo_mode, units):
    from ansinh.accounts.models import User
    from ansinh.benefits import access

    out = StringIO()
    call_command("demo", "setup", stdout=out)
    text = out.getvalue()
    assert "trogiup" in text and "provincial_officer/social_assistance @ 86" in text
    assert "nguoicocong" in text and "provincial_officer/meritorious @ 86" in text
    generate("--households", "200", "--seed", "2")
    social, merit = User.objects.get(username="trogiup"), User.objects.get(username="nguoicocong")
    seen = set(access.entitlements_for_user(social).values_list("scheme", flat=True))
    assert seen == {Scheme.SOCIAL_ASSISTANCE, Scheme.SOCIAL_PENSION}
    assert set(access.entitlements_for_user(merit).values_list("scheme", flat=True)) == {Scheme.MERITORIOUS}
