"""`ansinh benefits amount …` and `ansinh benefits rules`: the last line is the bare amount; a case
the law does not price exits non-zero with a Vietnamese message on stderr."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ansinh.testing import command_output

pytestmark = pytest.mark.django_db


def last_line(*args: str) -> str:
    return command_output("benefits", "amount", *args).strip().splitlines()[-1]


@pytest.mark.parametrize(("args", "expected"), [
    (("sa_orphan", "--on", "2024-07-01", "--birth-date", "2020-07-01"), "750000"),  # 4 on the day: 1,5 × 500.000
    (("sa_orphan", "--on", "2024-06-30", "--birth-date", "2020-07-01"), "900000"),  # 3: 2,5 × 360.000
    (("sa_elderly_poor_alone", "--on", "2025-07-01", "--birth-date", "1945-07-01"), "1000000"),  # 80: 2,0
    (("sa_elderly_poor_alone", "--on", "2025-07-01", "--birth-date", "1945-07-02"), "750000"),  # 79: 1,5
    (("sa_disability_severe", "--on", "2026-07-01", "--birth-date", "1966-07-01"), "1080000"),  # 60: 2,0 × 540.000
    (("sa_disability_severe", "--on", "2026-07-01", "--birth-date", "1966-07-02"), "810000"),  # 59: 1,5
    (("sa_single_parent", "--on", "2024-07-01"), "500000"),
    (("sa_single_parent", "--on", "2024-07-01", "--children", "2"), "1000000"),
    (("sa_elderly_75", "--on", "2025-06-30"), "500000"),
    (("social_pension", "--on", "2025-07-01"), "500000"),
    (("merit_war_invalid", "--on", "2024-07-01", "--rate", "21"), "1878000"),
    (("merit_war_invalid", "--on", "2024-06-30", "--rate", "100"), "6589000"),
    (("merit_war_invalid_b", "--on", "2024-07-01", "--rate", "100"), "7397000"),
    (("merit_sick_soldier", "--on", "2023-07-01", "--rate", "61"), "3406000"),
    (("merit_toxic_chemical", "--on", "2024-07-01", "--rate", "40"), "2120000"),
    (("merit_toxic_chemical", "--on", "2024-07-01", "--rate", "41"), "3542000"),
    (("merit_toxic_chemical_child", "--on", "2024-07-01", "--rate", "81"), "2789000"),
    (("merit_martyr_relative", "--on", "2024-07-01", "--martyrs", "1"), "2789000"),
    (("merit_martyr_relative", "--on", "2024-07-01", "--martyrs", "2"), "5578000"),
    (("merit_martyr_relative", "--on", "2024-07-01", "--martyrs", "3"), "8367000"),
    (("merit_martyr_relative", "--on", "2024-07-01", "--martyrs", "4"), "8367000"),
    (("merit_heroic_mother", "--on", "2024-07-01"), "8367000"),  # no supplement, no carer
    (("merit_pre1945_fulltime", "--on", "2024-07-01", "--years", "20"), "3117000"),  # seniority is a supplement
    (("merit_pre1945_parttime", "--on", "2023-07-01"), "3899000"),
    (("merit_pre_uprising", "--on", "2024-07-01"), "2884000"),
    (("merit_hero", "--on", "2023-07-01"), "1722000"),
    (("merit_former_prisoner", "--on", "2024-07-01"), "1673000"),
    (("merit_helper", "--on", "2024-07-01"), "2789000"),
    (("merit_helper", "--on", "2024-07-01", "--case", "medal"), "1639000"),
])
def test_it_prints_the_amount_on_the_last_line(args: tuple[str, ...], expected: str) -> None:
    assert last_line(*args) == expected


def test_it_explains_the_rule_and_marks_provisional_rows() -> None:
    out = command_output("benefits", "amount", "sa_hiv_poor", "--on", "2026-07-01")
    assert "1,5 × 540.000 đ (mức chuẩn trợ giúp xã hội)" in out
    assert "Nghị định 335/2026/NĐ-CP" in out and "tạm tính" in out
    confirmed = command_output("benefits", "amount", "sa_hiv_poor", "--on", "2021-07-01")
    assert "tạm tính" not in confirmed and confirmed.strip().splitlines()[-1] == "540000"


@pytest.mark.parametrize(("args", "message"), [
    (("merit_war_invalid", "--on", "2024-07-01"), "cần tỷ lệ tổn thương cơ thể (--rate)"),
    (("merit_war_invalid", "--on", "2024-07-01", "--rate", "20"), "Tỷ lệ tổn thương 20% nằm ngoài bảng"),
    (("merit_war_invalid", "--on", "2024-07-01", "--rate", "101"), "Tỷ lệ tổn thương 101% nằm ngoài bảng"),
    (("merit_war_invalid", "--on", "2024-07-01", "--rate", "abc"), "Tỷ lệ tổn thương không hợp lệ"),
    (("merit_martyr_relative", "--on", "2024-07-01"), "cần số liệt sĩ (--martyrs)"),
    (("sa_elderly_80", "--on", "2025-07-01"), "không áp dụng vào ngày 01/07/2025"),
    (("social_pension", "--on", "2025-06-30"), "không áp dụng vào ngày 30/06/2025"),
    (("merit_hero", "--on", "2022-01-01"), "Chưa có bảng mức trợ cấp cho diện"),
    (("sa_orphan", "--on", "2024-07-01"), "cần ngày sinh (--birth-date)"),
    (("sa_orphan", "--on", "2024-07-01", "--birth-date", "2000-01-01"), "Tuổi 24 nằm ngoài"),
    (("no_such", "--on", "2024-07-01"), "Không có diện trợ cấp mã “no_such”"),
    (("sa_orphan", "--on", "01/07/2024"), "Ngày không hợp lệ"),
])
def test_it_refuses_in_vietnamese(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("benefits", "amount", *args)


def test_it_lists_the_rules_in_force() -> None:
    out = command_output("benefits", "rules", "--on", "2025-07-01")
    assert "social_pension\ttrợ cấp\t1,0 × mức trợ cấp hưu trí xã hội (từ đủ 70 tuổi)" in out
    assert "sa_elderly_80" not in out  # ended with June 2025
    assert "merit_war_invalid\ttrợ cấp\t7.240.000 đ (81%)" in out
    assert "Mức chuẩn trợ cấp ưu đãi: 2.789.000 đ từ 01/07/2024" in out
    early = command_output("benefits", "rules", "--on", "2022-01-01")
    assert "merit_hero\ttrợ cấp\tHero" not in early and "chưa có bảng mức cho ngày này" in early
    assert "Mức chuẩn trợ cấp ưu đãi: 1.624.000 đ từ 01/07/2021" in early


def run_from_argv(*args: str, capsys: pytest.CaptureFixture[str],
                  monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """The command as `ansinh benefits …` runs it (Django's run_from_argv: a CommandError becomes
    exit code 1 and its message on stderr), in this process and on the test database (whose
    connection run_from_argv would close at the end: kept open for the test's transaction)."""
    from django.db import connections

    from ansinh.benefits.management.commands.benefits import Command

    monkeypatch.setattr(connections, "close_all", lambda: None)
    code = 0
    try:
        Command().run_from_argv(["ansinh", "benefits", *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_it_exits_non_zero_with_the_message_on_stderr(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run_from_argv("amount", "sa_orphan", "--on", "2024-07-01", "--birth-date", "2018-01-01",
                                   capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and out.strip().splitlines()[-1] == "750000" and err == ""
    code, out, err = run_from_argv("amount", "merit_war_invalid", "--on", "2024-07-01", capsys=capsys,
                                   monkeypatch=monkeypatch)
    assert code == 1
    assert "cần tỷ lệ tổn thương cơ thể (--rate)" in err and out == ""
