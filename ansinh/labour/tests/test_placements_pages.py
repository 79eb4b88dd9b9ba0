"""The pages of placements, counselling and sessions: nothing answers 500, scope (404 outside,
nothing for another field), the filters of the figures' drill-down, the forms and the imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ansinh.labour.counselling import counselling_record, session_save
from ansinh.labour.models import Counselling, Placement
from ansinh.labour.placements import placement_create
from ansinh.testing import login

from .place_setup import HEAD_ID, labour_officer, register

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "labour"
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def data(people, units):  # type: ignore[no-untyped-def]
    reg = register(people, units)
    officer = labour_officer()
    placement = placement_create(actor=people.lan, person=reg.spouse, placed_on=DAY, channel="employer",
                                 employer_name="Công ty May", new_job=True)
    placement_create(actor=people.lan, person=reg.head, placed_on=dt.date(2025, 12, 1), channel="loan")
    session = session_save(actor=officer, kind="job_fair", unit=units.vinh_long, held_on=DAY, title="Phiên tháng 3",
                           attendance=300, employers=12, vacancies=900, hired=40)
    counselling_record(actor=people.lan, person=reg.spouse, counselled_on=DAY, session=session,
                       on_unemployment_benefit=True)
    return reg, officer, placement, session


def test_it_shows_every_page_and_filter_without_errors(client: Client, people, units, data):  # type: ignore[no-untyped-def]
    reg, officer, placement, session = data
    login(client, people.lan)
    lists = {"placement-list": ["", "?period=2026-Q1", "?period=2026&breakdown=female", "?breakdown=youth",
                                "?breakdown=ethnic_minority&channel=employer&new_job=1", "?q=sa ri",
                                f"?unit={units.tra_cu.pk}&period=2026-03", "?period=nonsense", "?unit=999999",
                                "?breakdown=nope&page=abc", f"?person={reg.spouse.pk}"],
             "counselling-list": ["", "?breakdown=unemployment_insurance&period=2026-Q1", f"?session={session.pk}"],
             "session-list": ["", "?period=2026&kind=job_fair", "?q=tháng"]}
    for name, queries in lists.items():
        for query in queries:
            response = client.get(reverse(name) + query)
            assert response.status_code == 200, (name, query)
    page = client.get(reverse("placement-list") + "?period=2026-Q1&breakdown=female").content.decode()
    assert "Kim Thị Sa Ri" in page and "Thạch Văn Sóc" not in page
    assert "Thạch Văn Sóc" not in client.get(reverse("placement-list") + "?period=2026").content.decode()
    assert 'data-testid="filter-errors"' in client.get(reverse("placement-list") + "?period=nonsense").content.decode()
    for url in [reverse("placement-detail", args=[placement.pk]), reverse("placement-edit", args=[placement.pk]),
                reverse("placement-new"), reverse("placement-new") + "?who=sa ri",
                reverse("placement-new") + f"?who={HEAD_ID[:6]}", reverse("placement-new") + f"?person={reg.head.pk}",
                reverse("counselling-new") + "?who=soc", reverse("placement-import"), reverse("counselling-import"),
                reverse("session-detail", args=[session.pk])]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("placement-template"))["Content-Disposition"].endswith('.xlsx"')
    assert client.get(reverse("session-new")).status_code == 403  # sessions are provincial work
    login(client, officer)
    for url in [reverse("session-new"), reverse("session-edit", args=[session.pk])]:
        assert client.get(url).status_code == 200, url


def test_it_keeps_records_to_the_readers_scope(client: Client, people, units, data):  # type: ignore[no-untyped-def]
    reg, officer, placement, session = data
    login(client, people.binh)  # a commune officer of another province
    assert client.get(reverse("placement-detail", args=[placement.pk])).status_code == 404
    assert client.post(reverse("placement-delete", args=[placement.pk])).status_code == 404
    assert "Kim Thị Sa Ri" not in client.get(reverse("placement-list")).content.decode()
    assert client.get(reverse("placement-new") + f"?person={reg.head.pk}").content.decode().count("placement-form") == 0
    login(client, people.minh)  # the provincial officer of another field (poverty) reads no labour record
    assert client.get(reverse("placement-list")).status_code == 403
    assert client.get(reverse("placement-detail", args=[placement.pk])).status_code == 404
    login(client, people.bao)  # the provincial leader reads, masked, and changes nothing
    page = client.get(reverse("placement-detail", args=[placement.pk])).content.decode()
    assert "Kim Thị Sa Ri" in page and reg.spouse.citizen_id not in page and "edit-placement" not in page
    assert client.get(reverse("placement-edit", args=[placement.pk])).status_code == 403


def test_it_enters_edits_and_deletes_a_placement_through_the_forms(client: Client, people, units, data):  # type: ignore[no-untyped-def]
    reg, officer, placement, session = data
    login(client, people.lan)
    bad = client.post(reverse("placement-new"), {"person": reg.head.pk, "placed_on": "01/01/2099",
                                                 "channel": "public_works", "employer_name": "UBND xã"})
    assert bad.status_code == 400 and "trong tương lai" in bad.content.decode() and "UBND xã" in bad.content.decode()
    done = client.post(reverse("placement-new"), {"person": reg.head.pk, "placed_on": "02/03/2026",
                                                  "channel": "public_works", "employer_name": "UBND xã"})
    made = Placement.objects.get(person=reg.head, channel="public_works")
    assert done.status_code == 302 and done["Location"] == reverse("placement-detail", args=[made.pk])
    twice = client.post(reverse("placement-new"), {"person": reg.head.pk, "placed_on": "02/03/2026",
                                                   "channel": "public_works"})
    assert "đã có trong sổ" in twice.content.decode()
    client.post(reverse("placement-edit", args=[made.pk]), {"placed_on": "03/03/2026", "channel": "public_works",
                                                            "new_job": "on"})
    made.refresh_from_db()
    assert made.placed_on == dt.date(2026, 3, 3) and made.new_job
    assert client.post(reverse("placement-delete", args=[made.pk])).status_code == 302
    assert not Placement.objects.filter(pk=made.pk).exists()
    client.post(reverse("counselling-new"), {"person": reg.head.pk, "counselled_on": "04/03/2026", "topic": "jobs"})
    assert Counselling.objects.filter(person=reg.head).count() == 1


def test_it_imports_an_uploaded_file_as_a_background_job(client: Client, people, units, data):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, people.lan)
    header = ("Họ và tên,Ngày sinh,Số CCCD,Ngày giải quyết việc làm,Hình thức,Người sử dụng lao động,Mã số thuế,"
              "Việc làm tăng thêm,Ghi chú")
    upload = SimpleUploadedFile("gqvl.csv", f"{header}\nThạch Văn Sóc,,{HEAD_ID},07/03/2026,Vay vốn,,,,\n"
                                .encode())
    response = client.post(reverse("placement-import"), {"file": upload, "province": units.vinh_long.pk})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert Placement.objects.filter(person__citizen_id=HEAD_ID, placed_on=dt.date(2026, 3, 7)).count() == 1
    assert client.post(reverse("placement-import"), {}).status_code == 400


def test_it_writes_no_id_with_a_thousands_separator() -> None:
    import re

    bare = re.compile(r"\{\{ *[a-z_.]*(?:pk|_id|\.id) *\}\}")
    found = [f"{path.name}:{n}" for path in sorted(TEMPLATES.glob("place_*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, found


def test_it_lists_a_page_in_a_constant_number_of_queries(client: Client, people, units, data):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reg, officer, placement, session = data
    login(client, people.lan)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("placement-list") + "?period=2025&breakdown=youth").status_code == 200
        return len(queries)

    before = count()
    Placement.objects.bulk_create([Placement(person=person, commune=units.tra_cu, placed_on=dt.date(2025, 1, day),
                                             channel="loan") for person in (reg.head, reg.spouse, reg.other_head)
                                   for day in range(2, 12)])
    assert count() == before
