"""The other registries' dossiers (benefits, unemployment, work permits) on the procedures' due
lists and on-time rates (`procedures.others`): each through its own app's scope, not mixed into
the procedure dossiers' figures, a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ansinh.benefits.models import Dossier as BenefitDossier
from ansinh.labour.models import UnemploymentDossier, WorkPermit
from ansinh.labour.tests.abroad_data import employer, labour, worker  # noqa: F401 (fixtures)
from ansinh.procedures import others

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def records(labour: SimpleNamespace, worker: Any) -> SimpleNamespace:  # noqa: F811
    today = timezone.localdate()
    benefit = BenefitDossier.objects.create(kind="start", scheme="social_assistance", person=labour.head,
                                            commune=labour.household.commune, received_on=today - dt.timedelta(days=30),
                                            due_on=today - dt.timedelta(days=2), status="received")
    decided = BenefitDossier.objects.create(kind="start", scheme="social_assistance", person=labour.spouse,
                                            commune=labour.household.commune, received_on=D(2025, 3, 3),
                                            due_on=D(2025, 3, 17), status="decided", decided_on=D(2025, 3, 14))
    claim = UnemploymentDossier.objects.create(
        person=labour.spouse, commune=labour.household.commune, received_on=today - dt.timedelta(days=10),
        employer_name="Công ty May", region=3, contract_end=today - dt.timedelta(days=40), months_contributed=36,
        average_salary=6_000_000, decision_due=today)
    late = UnemploymentDossier.objects.create(
        person=labour.head, commune=labour.household.commune, received_on=D(2025, 2, 3), employer_name="Công ty May",
        region=3, contract_end=D(2025, 1, 10), months_contributed=36, average_salary=6_000_000,
        decision_due=D(2025, 3, 4), decided_on=D(2025, 3, 6), state="refused")
    permit = WorkPermit.objects.create(worker=worker, kind="issue", received_on=D(2025, 3, 3), due_on=D(2025, 3, 17),
                                       state="granted", decided_on=D(2025, 3, 17), number="GP-1")
    return SimpleNamespace(benefit=benefit, decided=decided, claim=claim, late=late, permit=permit)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_the_other_dossiers_due_today_and_overdue_in_scope(labour: SimpleNamespace, records: Any,  # noqa: F811
                                                                   django_assert_max_num_queries: Any) -> None:
    today = timezone.localdate()
    with django_assert_max_num_queries(8):
        overdue = others.due_rows(labour.admin, "overdue", today, first=today, last=today)
    assert [(s.key, n, [r.url for r in rows]) for s, n, rows in overdue] == [
        ("benefit", 1, [reverse("benefit-dossier-detail", args=[records.benefit.pk])])]
    due_today = others.due_rows(labour.admin, "today", today, first=today, last=today)
    assert [(s.key, n) for s, n, _rows in due_today] == [("unemployment", 1)]
    assert others.due_rows(labour.outsider, "overdue", today, first=today, last=today) == []  # Hà Nội
    assert others.due_rows(labour.admin, "all", today, first=today, last=today) == []
    body = client_for(labour.admin).get(reverse("procedure-dossier-list") + "?tab=overdue").content.decode()
    assert 'data-testid="other-dossiers"' in body and labour.head.full_name in body


def test_it_rates_the_other_dossiers_by_kind_apart_from_the_procedure_dossiers(labour: SimpleNamespace,  # noqa: F811
                                                                              records: Any) -> None:
    rates = {r.key: (r.resolved, r.early, r.on_time, r.late)
             for r in others.rates(labour.admin, first=D(2025, 1, 1), last=D(2025, 12, 31))}
    assert rates == {"benefit": (1, 1, 0, 0), "unemployment": (1, 0, 0, 1), "work_permit": (1, 0, 1, 0)}
    response = client_for(labour.admin).get(reverse("procedure-rates"), {"first": "2025-01-01", "last": "2025-12-31"})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="by-kind"' in body
    assert "0 dossiers with their result" in body or "0 hồ sơ" in body  # the procedures' own total is untouched
