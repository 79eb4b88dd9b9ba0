"""API v1 /duplicates/: scoped list and detail (masked IDs, evidence in words), POST decide (merge,
link, dismiss; 403 without the right on both communes, 404 outside the units, 409 once decided,
400 with the reason in Vietnamese)."""

from __future__ import annotations

import pytest
from django.test import Client

from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.dedup.models import DuplicatePair, PairStatus
from ansinh.households.models import Member
from ansinh.testing import bearer

from .setup import pair_of, twins

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(db):  # type: ignore[no-untyped-def]
    return twins()


def test_it_lists_pairs_in_scope_with_masked_ids(t):  # type: ignore[no-untyped-def]
    across = pair_of(t.hoa, t.hoa2)
    inside = pair_of(t.hoa, t.khac, probability=0.6)
    client = Client()
    body = client.get("/api/v1/duplicates/", **bearer(t.tu)).json()
    assert [row["id"] for row in body["results"]] == [across.pk]
    row = body["results"][0]
    people = {row["left"]["id"]: row["left"], row["right"]["id"]: row["right"]}
    assert people[t.hoa.pk]["citizen_id"] != "084152000101"  # another commune's record: masked
    body = client.get("/api/v1/duplicates/", {"min_probability": "0.9"}, **bearer(t.po)).json()
    assert [row["id"] for row in body["results"]] == [across.pk]
    assert client.get("/api/v1/duplicates/", **bearer(t.binh)).json()["results"] == []
    assert client.get("/api/v1/duplicates/", {"status": "nope"}, **bearer(t.po)).status_code == 400
    assert client.get("/api/v1/duplicates/", {"min_probability": "x"}, **bearer(t.po)).status_code == 400
    assert client.get("/api/v1/duplicates/", {"commune": "x"}, **bearer(t.po)).status_code == 400
    assert inside.pk


def test_it_retrieves_a_pair_with_evidence_in_words(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    client = Client()
    body = client.get(f"/api/v1/duplicates/{pair.pk}", **bearer(t.po)).json()
    assert body["evidence_words"] and body["status"] == "open"
    assert "084152000101" in (body["left"]["citizen_id"], body["right"]["citizen_id"])
    assert AuditEvent.objects.filter(action="personal_data.read", after__via="api").exists()
    assert client.get(f"/api/v1/duplicates/{pair.pk}", **bearer(t.binh)).status_code == 404


def test_it_decides_through_the_api(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    client = Client()
    url = f"/api/v1/duplicates/{pair.pk}/decide/"
    assert client.post(url, {"decision": "dismiss"}, content_type="application/json", **bearer(t.tu)).status_code == 403
    assert client.post(url, {"decision": "dismiss"}, content_type="application/json",
                       **bearer(t.binh)).status_code == 404
    assert client.post(url, {"decision": "burn"}, content_type="application/json", **bearer(t.po)).status_code == 400
    response = client.post(url, {"decision": "merge", "keep": t.khac.pk}, content_type="application/json",
                           **bearer(t.po))
    assert response.status_code == 400 and "keep" in response.json()
    response = client.post(url, {"decision": "merge", "keep": t.hoa.pk, "note": "Xác minh tại nhà"},
                           content_type="application/json", **bearer(t.po))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PairStatus.MERGED and response.json()["kept"] == t.hoa.pk
    assert Member.objects.get(pk=t.hoa2.pk).left_on is not None
    assert AuditEvent.objects.filter(action=AuditAction.DUPLICATE_MERGE).count() == 1
    again = client.post(url, {"decision": "link"}, content_type="application/json", **bearer(t.po))
    assert again.status_code == 409 and again.json()["detail"]
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.MERGED
