"""The command line (`ansinh procedures due`, `import`), the API under /api/v1/procedures/, and
the demo province's seed 001 figures."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ansinh.plans.periods import Period
from ansinh.procedures import indicators
from ansinh.procedures.demo import demo_procedures
from ansinh.procedures.models import Dossier

from .helpers import at, procedure, receive

pytestmark = pytest.mark.django_db


def test_it_lists_due_dossiers_on_the_command_line(units: Any) -> None:
    proc = procedure(3)
    today = receive(proc, units.tra_cu, at(2025, 1, 6))  # due Thu 9/1/2025
    late = receive(proc, units.tra_cu, at(2025, 1, 2))  # due Tue 7/1
    receive(proc, units.ba_dinh, at(2025, 1, 6))  # another province
    out = StringIO()
    call_command("procedures", "due", "--unit", units.tra_cu.code, "--on", "2025-01-09", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [r["code"] for r in data["due_today"]] == [today.code]
    assert [r["code"] for r in data["overdue"]] == [late.code]
    out = StringIO()
    call_command("procedures", "due", "--unit", "86", "--on", "2025-01-06", stdout=out)
    assert "Đến hạn trong tuần: 2 hồ sơ" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("procedures", "due", "--unit", "nope")
    with pytest.raises(CommandError):
        call_command("procedures", "due", "--unit", "86", "--on", "06/01/2025")


def test_it_imports_on_the_command_line(people: Any, units: Any, tmp_path: Path) -> None:
    proc = procedure(3)
    path = tmp_path / "cong.csv"
    path.write_text("Mã hồ sơ,Mã thủ tục,Người nộp,Mã đơn vị tiếp nhận,Ngày tiếp nhận\n"
                    f"K1,{proc.code},Võ Văn F,{units.tra_cu.code},06/01/2025\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("procedures", "import", str(path), "--user", "binh", stderr=StringIO())
    out = StringIO()
    call_command("procedures", "import", str(path), "--user", "lan", stdout=out)
    assert "Đã nhập 1 hồ sơ" in out.getvalue() and Dossier.objects.get(code="K1").due_on == dt.date(2025, 1, 9)


def test_it_answers_the_api_in_scope(people: Any, units: Any) -> None:
    mine = receive(procedure(3), units.tra_cu, at(2025, 1, 6))
    receive(procedure(3), units.ba_dinh, at(2025, 1, 6))
    client = Client()
    client.force_login(people.lan)
    listed = client.get("/api/v1/procedures/dossiers/?tab=done").json()
    assert listed["count"] == 0 if isinstance(listed, dict) else listed == []
    listed = client.get("/api/v1/procedures/dossiers/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["code"] for r in rows] == [mine.code]
    detail = client.get(f"/api/v1/procedures/dossiers/{mine.pk}").json()
    assert detail["due_on"] == "2025-01-09" and detail["events"][0]["kind"] == "received"
    assert client.get("/api/v1/procedures/dossiers/?tab=nope").status_code == 400
    assert client.get("/api/v1/procedures/dossiers/?received_from=x").status_code == 400
    assert client.get(f"/api/v1/procedures/dossiers/{mine.pk + 1}").status_code == 404
    assert client.get("/api/v1/procedures/catalogue/").status_code == 200


def test_it_generates_the_demo_with_seed_001s_figures(units: Any) -> None:
    made = demo_procedures(province=units.vinh_long, write=lambda text: None, later_per_month=2)
    assert made > 287
    counts, _note, _key = indicators.fetch(units.vinh_long, Period.parse("2025-Q1"))
    assert counts["admin_dossiers"][(units.vinh_long.pk, "")] == 287 or sum(
        v for (pk, _b), v in counts["admin_dossiers"].items()) == 287
    received = counts["admin_dossiers"].get((units.vinh_long.pk, ""))
    on_time = counts["admin_dossiers_on_time"].get((units.vinh_long.pk, ""))
    if received is None:  # no dossier at the provincial centre: the communes add up
        received = sum(counts["admin_dossiers"].values())
        on_time = sum(counts["admin_dossiers_on_time"].values())
    assert (received, on_time) == (287, 287)
    assert demo_procedures(province=units.vinh_long, write=lambda text: None, later_per_month=2) == made  # idempotent


def test_it_runs_the_upload_as_a_job(people: Any, units: Any, settings: Any, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ansinh.jobs.models import Job

    settings.JOBS_DIR = str(tmp_path)
    proc = procedure(3)
    client = Client()
    client.force_login(people.lan)
    good = ("Mã hồ sơ,Mã thủ tục,Người nộp,Mã đơn vị tiếp nhận,Ngày tiếp nhận\n"
            f"J1,{proc.code},Võ Văn F,{units.tra_cu.code},06/01/2025\n").encode()
    response = client.post(reverse("procedure-dossier-import"), {"file": SimpleUploadedFile("cong.csv", good)})
    assert response.status_code == 302
    job = Job.objects.get(kind="procedures.import")
    assert job.status == "succeeded", job.error
    assert Dossier.objects.filter(code="J1").exists()
    bad = SimpleUploadedFile("sai.csv", f"Mã hồ sơ,Mã thủ tục,Người nộp,Mã đơn vị tiếp nhận,Ngày tiếp nhận\n"
                                        f"J2,{proc.code},,{units.tra_cu.code},06/01/2025\n".encode())
    client.post(reverse("procedure-dossier-import"), {"file": bad})
    failed = Job.objects.filter(kind="procedures.import").latest("pk")
    assert failed.status == "failed" and failed.result["problems"][0]["column"] == "Người nộp"
    assert not Dossier.objects.filter(code="J2").exists()
    other = Client()
    other.force_login(people.binh)
    assert other.get(reverse("job-detail", args=[failed.pk])).status_code == 404
