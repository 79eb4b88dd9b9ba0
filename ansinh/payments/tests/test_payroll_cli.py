"""`ansinh payroll run|approve|send`: the JSON of a run, recomputing a draft in place, refusing
an approved payroll with a Vietnamese message and exit code 1, bad units and months."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ansinh.payments.models import Payroll, PayrollLine, PayrollState

from .payroll_setup import beneficiaries, month, officers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    officers()
    return beneficiaries()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("payroll", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_exactly_lines_people_and_total(people):  # type: ignore[no-untyped-def]
    got = json.loads(run("run", "--unit", "29461", "--month", "2025-10", "--json"))
    assert list(got) == ["lines", "people", "total"]
    assert got["lines"] == PayrollLine.objects.count() == 3 and got["people"] == 3
    assert got["total"] == sum(Payroll.objects.values_list("total", flat=True)) > 0
    again = json.loads(run("run", "--unit", "86", "--month", "2025-10", "--json"))
    assert again == got and Payroll.objects.count() == 2  # recomputed in place


def test_it_refuses_an_approved_payroll_with_exit_code_1(people):  # type: ignore[no-untyped-def]
    run("run", "--unit", "29461", "--month", "2025-10")
    run("approve", "--unit", "29461", "--month", "2025-10", "--as", "bao")
    assert set(Payroll.objects.values_list("state", flat=True)) == {PayrollState.APPROVED}
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("payroll", "run", "--unit", "29461", "--month", "2025-10", "--json", stdout=io.StringIO(),
                     stderr=err)
    assert error.value.returncode == 1
    assert "không được tính lại" in str(error.value)
    assert "bảng chi trả bổ sung" in err.getvalue()
    run("send", "--unit", "86", "--month", "2025-10", "--as", "lan")
    assert set(Payroll.objects.values_list("state", flat=True)) == {PayrollState.SENT}


def test_it_refuses_to_approve_as_the_person_who_computed(people):  # type: ignore[no-untyped-def]
    run("run", "--unit", "29461", "--month", "2025-10", "--as", "an")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("payroll", "approve", "--unit", "29461", "--month", "2025-10", "--as", "an",
                     "--field", "social_assistance", stdout=io.StringIO(), stderr=err)
    assert "Người lập bảng không tự duyệt" in err.getvalue()


@pytest.mark.parametrize("args,message", [
    (("--unit", "99999", "--month", "2025-10"), "mang mã 99999"),
    (("--unit", "29461", "--month", "2025-13"), "Tháng không hợp lệ"),
    (("--unit", "29461", "--month", "2025-10", "--as", "nobody"), "Không có người dùng"),
    (("--unit", "29461", "--month", "2025-10", "--as", "binh"), "không được lập bảng chi trả"),
])
def test_it_explains_bad_arguments_in_vietnamese(people, args, message):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as error:
        call_command("payroll", "run", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(error.value)
    assert not Payroll.objects.exists()


def test_it_measures_the_province_payroll_for_the_bench(people):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("bench_payments", "payroll", "--unit", "86", "--month", "2025-10", "--runs", "2", stdout=out)
    text_out = out.getvalue()
    assert "2 payrolls (commune × field), 3 lines, 3 people" in text_out
    data = json.loads(text_out.split("bench-data: ")[1])
    assert data["lines"] == 3 and data["goal"] == 2.0 and data["queries"] > 0
    assert data["parts"] == 1 and "planned in 1 part on" in text_out  # one commune: no part of its own
    assert Payroll.objects.count() == 2  # recomputed in place, not duplicated
    with pytest.raises(CommandError):
        call_command("bench_payments", "payroll", "--unit", "99", stdout=io.StringIO())
