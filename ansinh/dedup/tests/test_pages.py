"""The review pages: who sees which pair (404 outside the units, 403 on a decision without the
right), the list's filters and counts, the pair side by side with masked IDs and evidence in
words, the decisions, the searches page; constant queries in the list's rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.accounts.models import AuditAction, AuditEvent
from ansinh.dedup.models import DedupRun, DuplicatePair, Method, PairStatus
from ansinh.households.models import Member
from ansinh.testing import login

from .setup import pair_of, twins

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(db):  # type: ignore[no-untyped-def]
    return twins()


def as_(user) -> Client:  # type: ignore[no-untyped-def]
    return login(Client(), user)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_it_lists_open_pairs_with_counts_by_status(t):  # type: ignore[no-untyped-def]
    open_pair = pair_of(t.hoa, t.hoa2)
    done = pair_of(t.hoa, t.khac, probability=0.55)
    DuplicatePair.objects.filter(pk=done.pk).update(status=PairStatus.DISMISSED)
    page = text(as_(t.po).get(reverse("duplicate-list")))
    assert f'data-pair="{open_pair.pk}"' in page and f'data-pair="{done.pk}"' not in page
    assert 'data-testid="status-dismissed"' in page
    page = text(as_(t.po).get(reverse("duplicate-list"), {"status": "all"}))
    assert f'data-pair="{done.pk}"' in page
    page = text(as_(t.po).get(reverse("duplicate-list"), {"status": "all", "probability": "0.9"}))
    assert f'data-pair="{done.pk}"' not in page and f'data-pair="{open_pair.pk}"' in page
    page = text(as_(t.po).get(reverse("duplicate-list"), {"method": "entry"}))
    assert f'data-pair="{open_pair.pk}"' not in page
    # Bad parameters are ignored, never a 500.
    response = as_(t.po).get(reverse("duplicate-list"), {"status": "x", "commune": "abc", "probability": "2",
                                                        "page": "zz", "method": "?"})
    assert response.status_code == 200


def test_it_filters_by_commune(t):  # type: ignore[no-untyped-def]
    inside = pair_of(t.hoa, t.khac, probability=0.6)
    across = pair_of(t.hoa, t.hoa2)
    other = t.hoa2.household.commune_id
    page = text(as_(t.po).get(reverse("duplicate-list"), {"commune": str(other)}))
    assert f'data-pair="{across.pk}"' in page and f'data-pair="{inside.pk}"' not in page


def test_it_shows_each_commune_its_pairs_only(t):  # type: ignore[no-untyped-def]
    across = pair_of(t.hoa, t.hoa2)
    inside = pair_of(t.hoa, t.khac, probability=0.6)
    page = text(as_(t.tu).get(reverse("duplicate-list")))
    assert f'data-pair="{across.pk}"' in page and f'data-pair="{inside.pk}"' not in page
    assert as_(t.tu).get(reverse("duplicate-detail", args=[inside.pk])).status_code == 404
    assert as_(t.binh).get(reverse("duplicate-detail", args=[across.pk])).status_code == 404
    assert 'data-pair' not in text(as_(t.binh).get(reverse("duplicate-list")))


def test_it_refuses_a_decision_to_an_officer_of_one_commune(t):  # type: ignore[no-untyped-def]
    across = pair_of(t.hoa, t.hoa2)
    page = text(as_(t.tu).get(reverse("duplicate-detail", args=[across.pk])))
    assert 'data-testid="decide"' not in page
    response = as_(t.tu).post(reverse("duplicate-decide", args=[across.pk]), {"decision": "dismiss"})
    assert response.status_code == 403
    assert as_(t.bao).post(reverse("duplicate-decide", args=[across.pk]), {"decision": "dismiss"}).status_code == 403
    assert as_(t.binh).post(reverse("duplicate-decide", args=[across.pk]), {"decision": "dismiss"}).status_code == 404
    assert DuplicatePair.objects.get(pk=across.pk).status == PairStatus.OPEN


def test_it_shows_the_pair_side_by_side_with_differences_and_words(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    DuplicatePair.objects.filter(pk=pair.pk).update(evidence={
        "birth_date": {"level": "exact", "weight": 8.1}, "family_name": {"level": "variant", "weight": 3.0}})
    page = text(as_(t.po).get(reverse("duplicate-detail", args=[pair.pk])))
    assert "Huỳnh Thị Hoa" in page and "Hoang Thi Hoa" in page
    assert 'data-testid="differs"' in page
    assert "Cùng ngày sinh" in page and "level" not in page and "weight" not in page
    assert "084152000101" in page  # the register's provincial officer sees IDs in full…
    assert AuditEvent.objects.filter(action="personal_data.read", after__via="duplicate").count() == 1
    page = text(as_(t.bao).get(reverse("duplicate-detail", args=[pair.pk])))
    assert "084152000101" not in page  # …a leader sees them masked


def test_it_decides_from_the_page(t):  # type: ignore[no-untyped-def]
    first = pair_of(t.hoa, t.hoa2)
    second = pair_of(t.hoa, t.khac, probability=0.6)
    client = as_(t.po)
    response = client.post(reverse("duplicate-decide", args=[first.pk]),
                           {"decision": "merge_left" if first.left_id == t.hoa.pk else "merge_right",
                            "note": "Đã xác minh", "next": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("duplicate-detail", args=[second.pk])
    first.refresh_from_db()
    assert first.status == PairStatus.MERGED and first.kept_id == t.hoa.pk and first.note == "Đã xác minh"
    assert Member.objects.get(pk=t.hoa2.pk).left_on is not None
    response = client.post(reverse("duplicate-decide", args=[second.pk]), {"decision": "dismiss"})
    assert response.status_code == 302
    assert DuplicatePair.objects.get(pk=second.pk).status == PairStatus.DISMISSED
    # Deciding again: refused with a message, not a 500.
    response = client.post(reverse("duplicate-decide", args=[second.pk]), {"decision": "link"}, follow=True)
    assert response.status_code == 200 and "cuối cùng" in text(response)
    assert AuditEvent.objects.filter(action__in=[AuditAction.DUPLICATE_MERGE, AuditAction.DUPLICATE_DISMISS]).count() == 2


def test_it_refuses_a_missing_decision_with_a_message(t):  # type: ignore[no-untyped-def]
    pair = pair_of(t.hoa, t.hoa2)
    response = as_(t.po).post(reverse("duplicate-decide", args=[pair.pk]), {"decision": "burn"}, follow=True)
    assert response.status_code == 200 and "Chọn" in text(response)
    assert as_(t.po).get(reverse("duplicate-decide", args=[pair.pk])).status_code == 405
    assert as_(t.po).get(reverse("duplicate-detail", args=[999999])).status_code == 404


def test_it_lists_the_pairs_in_constant_queries(t):  # type: ignore[no-untyped-def]
    pair_of(t.hoa, t.hoa2)
    client = as_(t.po)
    client.get(reverse("duplicate-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("duplicate-list"))
    pair_of(t.hoa, t.khac, probability=0.6)
    pair_of(t.hoa2, t.khac, probability=0.7)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("duplicate-list"))
    assert len(more.captured_queries) == len(few.captured_queries)


def test_it_lists_searches_in_scope(t):  # type: ignore[no-untyped-def]
    DedupRun.objects.create(unit=t.hoa.household.commune, people=1234, new_pairs=5, status="done")
    page = text(as_(t.lan).get(reverse("dedup-run-list")))
    assert "1.234" in page
    assert 'data-testid="run"' not in text(as_(t.binh).get(reverse("dedup-run-list")))


def test_it_starts_no_search_outside_the_users_units(t):  # type: ignore[no-untyped-def]
    from ansinh.dedup import views_review

    if not views_review.run_kind_ready():
        response = as_(t.lan).post(reverse("dedup-run-start"), {"unit": str(t.hoa.household.commune_id)}, follow=True)
        assert response.status_code == 200
        assert 'data-testid="run-not-ready"' in text(response)
        return
    from ansinh.jobs.models import Job

    province = t.hoa.household.commune.parent_id
    assert as_(t.binh).post(reverse("dedup-run-start"), {"unit": str(province)}).status_code == 404
    assert as_(t.bao).post(reverse("dedup-run-start"), {"unit": str(province)}).status_code == 403
    assert as_(t.lan).post(reverse("dedup-run-start"), {"unit": str(province)}).status_code == 404
    response = as_(t.po).post(reverse("dedup-run-start"), {"unit": "abc"}, follow=True)
    assert response.status_code == 200 and not Job.objects.filter(kind="dedup.run").exists()
    page = text(as_(t.po).get(reverse("dedup-run-list")))
    assert 'data-testid="start-search"' in page
    response = as_(t.po).post(reverse("dedup-run-start"), {"unit": str(province)}, follow=True)
    assert response.status_code == 200
    job = Job.objects.get(kind="dedup.run")
    assert job.subject_id == province and job.started_by == t.po
    assert 'data-testid="job"' in text(response)


def test_it_shows_the_nav_entry(t):  # type: ignore[no-untyped-def]
    assert 'data-testid="nav-duplicates"' in text(as_(t.lan).get(reverse("duplicate-list")))
    assert Method.ENTRY  # the method filter lists the entry check too


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    """As the people-served pages: an id in a link or a form value is written with `unlocalize`."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    bare = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")
    found = [f"{path.name}:{n}" for path in sorted(templates.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, found
