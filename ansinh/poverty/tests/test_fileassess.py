"""`ansinh poverty assess`: a spreadsheet in, the same file with status and reason out.

Boundaries follow the decrees: Decision 59/2015/QĐ-TTg (2016–2020: income alone below the
poverty line, or the band up to the near-poverty line with ≥ 3 deprivations), Decree
07/2021/NĐ-CP (2022–2025: income ≤ line and ≥ 3 deprivations; average band above) and Decree
351/2025/NĐ-CP (2027–2030: lines 2,200,000 / 2,800,000). Lines are inclusive.
"""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from ansinh.poverty import engine, fileassess

pytestmark = pytest.mark.django_db

CODES_2022 = ["employment", "dependants", "nutrition", "health_insurance", "adult_education", "school_attendance",
              "housing_quality", "housing_area", "water", "latrine", "telecom", "information_assets"]
CODES_2016 = ["health_access", "health_insurance", "adult_education", "school_attendance", "housing_quality",
              "housing_area", "water", "latrine", "telecom", "information_assets"]


def write_csv(path: Path, rows: list[list[object]], *, delimiter: str = ",", bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as source:
        return list(csv.DictReader(source))


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def read_xlsx(path: Path) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def assess(source: Path, target: Path, standard: str, *extra: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("poverty", "assess", str(source), "--standard", standard, "-o", str(target), *extra,
                 stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def household_rows(codes: list[str], cases: list[tuple[str, int, int]]) -> list[list[object]]:
    """One household per case (area, income, deprivations): the first `deprivations` flags set."""
    rows: list[list[object]] = [["household_id", "area", "income_per_capita", *codes]]
    for i, (area, income, count) in enumerate(cases, start=1):
        rows.append([f"H{i:03d}", area, income, *([1] * count + [0] * (len(codes) - count))])
    return rows


# --- The column names are the standard's indicator codes, read from the database --------------


def test_it_names_the_columns_by_the_standards_indicator_codes_in_order():
    assert engine.spec_by_code("2022-2025").codes == CODES_2022
    assert engine.spec_by_code("2016-2020").codes == CODES_2016
    assert len(engine.spec_by_code("2027-2030").codes) == 12


# --- Boundaries, for every standard -------------------------------------------------------------

BOUNDARIES = {
    "2022-2025": [
        ("rural", 1_500_000, 3, "poor"),  # at the line, 3 deprivations
        ("rural", 1_500_000, 2, "near_poor"),  # at the line, 2 deprivations
        ("rural", 1_500_000, 12, "poor"),
        ("rural", 0, 0, "near_poor"),
        ("rural", 1_500_001, 3, "average"),  # one đồng above the line
        ("rural", 2_250_000, 5, "average"),  # top of the average band, inclusive
        ("rural", 2_250_001, 0, "not_poor"),
        ("nông thôn", 1_499_999, 3, "poor"),
        ("urban", 2_000_000, 3, "poor"),
        ("urban", 2_000_000, 2, "near_poor"),
        ("urban", 1_500_001, 3, "poor"),  # above the rural line, below the urban one
        ("thành thị", 2_000_001, 3, "average"),
        ("urban", 3_000_000, 0, "average"),
        ("urban", 3_000_001, 0, "not_poor"),
        ("rural", 2_250_001, 3, "not_poor"),  # rural band ends where the urban one goes on
        ("urban", 2_250_001, 3, "average"),
    ],
    "2016-2020": [
        ("rural", 700_000, 0, "poor"),  # income alone
        ("rural", 0, 0, "poor"),
        ("rural", 700_001, 3, "poor"),  # in the band with 3 deprivations
        ("rural", 700_001, 2, "near_poor"),
        ("rural", 1_000_000, 3, "poor"),
        ("rural", 1_000_000, 2, "near_poor"),
        ("rural", 1_000_001, 3, "average"),  # above the near-poverty line: deprivations no longer count
        ("rural", 1_500_000, 10, "average"),
        ("rural", 1_500_001, 0, "not_poor"),
        ("urban", 900_000, 0, "poor"),
        ("urban", 900_001, 2, "near_poor"),
        ("urban", 900_001, 3, "poor"),
        ("urban", 1_000_001, 2, "near_poor"),  # still in the urban band
        ("urban", 1_300_000, 3, "poor"),
        ("urban", 1_300_001, 3, "average"),
        ("urban", 1_950_000, 0, "average"),
        ("urban", 1_950_001, 0, "not_poor"),
    ],
    "2027-2030": [
        ("rural", 2_200_000, 3, "poor"),
        ("rural", 2_200_000, 2, "near_poor"),
        ("rural", 2_200_001, 3, "not_poor"),  # no average band yet ("chưa có quy định")
        ("rural", 1_500_001, 3, "poor"),  # the old line no longer applies
        ("urban", 2_800_000, 3, "poor"),
        ("urban", 2_800_000, 2, "near_poor"),
        ("urban", 2_200_001, 2, "near_poor"),
        ("urban", 2_800_001, 12, "not_poor"),
    ],
}


@pytest.mark.parametrize("standard", sorted(BOUNDARIES))
def test_it_agrees_with_the_decree_at_every_boundary(tmp_path, standard):
    cases = BOUNDARIES[standard]
    codes = engine.spec_by_code(standard).codes
    source = write_csv(tmp_path / "in.csv", household_rows(codes, [(a, x, n) for a, x, n, _ in cases]))
    message = assess(source, tmp_path / "out.csv", standard)
    rows = read_csv(tmp_path / "out.csv")
    got = [(row["area"], int(row["income_per_capita"]), int(row["deprivation_count"]), row["status"]) for row in rows]
    assert got == cases
    assert f"Đã đánh giá {len(cases)} hộ theo chuẩn {standard}" in message


def test_it_explains_each_status_in_vietnamese(tmp_path):
    cases = [("rural", 1_500_000, 3), ("urban", 2_000_001, 0)]
    source = write_csv(tmp_path / "in.csv", household_rows(CODES_2022, cases))
    assess(source, tmp_path / "out.csv", "2022-2025")
    poor, average = read_csv(tmp_path / "out.csv")
    # The sentence is the engine's (engine.reason), the same as in a review round.
    spec = engine.spec_by_code("2022-2025")
    assert poor["reason"] == engine.reason(spec, urban=False, income=1_500_000, mask=0b111, status=engine.POOR)
    assert "1.500.000 đồng" in poor["reason"] and poor["reason"].endswith("→ hộ nghèo.")
    assert "việc làm; người phụ thuộc trong hộ gia đình; dinh dưỡng" in poor["reason"]
    assert "2.000.001 đồng" in average["reason"] and average["reason"].endswith("→ hộ có mức sống trung bình.")


def test_it_accepts_vietnamese_thousands_dots_and_area_names_in_any_case(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 0, 3)] * 4)
    rows[1][1:3] = ["Nông Thôn", "1.500.000"]
    rows[2][1:3] = ["THANH THI", " 2000000 "]
    rows[3][1:3] = ["Đô thị", "2.000.000"]
    rows[4][1:3] = ["nong thon", "1.500.001"]
    source = write_csv(tmp_path / "in.csv", rows)
    assess(source, tmp_path / "out.csv", "2022-2025")
    assert [row["status"] for row in read_csv(tmp_path / "out.csv")] == ["poor", "poor", "poor", "average"]


# --- Round trips -------------------------------------------------------------------------------


def test_it_keeps_every_input_column_of_a_csv_file_and_writes_utf8_with_bom(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1_200_000, 3), ("urban", 5_000_000, 0)])
    rows[0][1:1] = ["Họ tên chủ hộ", "ghi chú"]
    rows[1][1:1] = ["Thạch Văn Sóc", 'ấp Chợ, "nhà tạm"']
    rows[2][1:1] = ["Lê Thị Bình", ""]
    source = write_csv(tmp_path / "in.csv", rows, bom=True)
    assess(source, tmp_path / "out.csv", "2022-2025")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    out = list(csv.reader(StringIO(raw.decode("utf-8-sig"))))
    assert out[0] == rows[0] + ["deprivation_count", "status", "reason"]
    assert [cells[:len(rows[0])] for cells in out[1:]] == [[str(c) for c in row] for row in rows[1:]]
    assert [cells[-2] for cells in out[1:]] == ["poor", "not_poor"]


def test_it_reads_and_keeps_semicolon_csv_as_excel_saves_it_in_vietnamese(tmp_path):
    source = write_csv(tmp_path / "in.csv", household_rows(CODES_2022, [("rural", 1_000_000, 1)]), delimiter=";")
    assess(source, tmp_path / "out.csv", "2022-2025")
    header = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("household_id;area;income_per_capita;employment")


def test_it_keeps_every_input_column_of_an_xlsx_file_with_its_cell_types(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1_500_000, 3), ("urban", 2_000_001, 1)])
    rows[0].append("ngày khảo sát")
    rows[1].append(dt.datetime(2025, 10, 2))
    rows[2].append(None)
    source = write_xlsx(tmp_path / "in.xlsx", {"Ấp Chợ": rows})
    assess(source, tmp_path / "out.xlsx", "2022-2025")
    out = read_xlsx(tmp_path / "out.xlsx")
    assert out[0] == rows[0] + ["deprivation_count", "status", "reason"]
    assert out[1][:len(rows[0])] == rows[1]  # numbers stay numbers, the date stays a date
    assert out[1][-3:-1] == [3, "poor"] and out[2][-3:-1] == [1, "average"]


def test_it_writes_csv_from_xlsx_and_xlsx_from_csv(tmp_path):
    rows = household_rows(CODES_2016, [("rural", 700_000, 0)])
    assess(write_xlsx(tmp_path / "in.xlsx", {"hộ": rows}), tmp_path / "out.csv", "2016-2020")
    assert read_csv(tmp_path / "out.csv")[0]["status"] == "poor"
    assess(write_csv(tmp_path / "in.csv", rows), tmp_path / "out.xlsx", "2016-2020")
    assert read_xlsx(tmp_path / "out.xlsx")[1][-2] == "poor"


def test_it_refills_the_result_columns_when_a_result_is_assessed_again(tmp_path):
    rows = household_rows([*CODES_2022, "waste"], [("rural", 1_500_000, 3)])  # fits both standards
    assess(write_csv(tmp_path / "in.csv", rows), tmp_path / "first.csv", "2022-2025")
    assess(tmp_path / "first.csv", tmp_path / "second.csv", "2027-2030")
    second = read_csv(tmp_path / "second.csv")
    assert list(second[0]).count("status") == 1
    assert second[0]["status"] == "poor" and "2.200.000" in second[0]["reason"]


def test_it_skips_blank_rows_but_counts_them_in_row_numbers(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1, 0), ("rural", 1, 0)])
    rows.insert(2, [""] * len(rows[0]))
    rows[3][1] = "xa"
    source = write_csv(tmp_path / "in.csv", rows)
    with pytest.raises(CommandError, match=r"Dòng 4, cột area \(B\)"):
        assess(source, tmp_path / "out.csv", "2022-2025")


# --- Bad rows: every problem named by row and column, nothing written ----------------------------

BAD_CELLS = [
    ("income_per_capita", "abc", "không phải là số"),
    ("income_per_capita", "", "ô trống"),
    ("income_per_capita", "1500000,5", "phần lẻ thập phân"),  # one parser for every import: a fraction of a đồng
    ("income_per_capita", "1,500,000", "dấu phẩy là dấu thập phân"),
    ("income_per_capita", "-1", "số tiền âm"),
    ("income_per_capita", 1_500_000.5, "phần lẻ thập phân"),
    ("area", "miền núi", "không phải khu vực hợp lệ"),
    ("area", "", "ô trống"),
    ("water", 2, "không hợp lệ: cần 0 (không thiếu hụt) hoặc 1 (thiếu hụt)"),
    ("water", "có", "không hợp lệ"),
    ("water", "", "ô trống"),
    ("household_id", "", "cần mã hộ"),
]


@pytest.mark.parametrize(("column", "value", "text"), BAD_CELLS)
@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
def test_it_names_the_row_and_column_of_a_bad_cell_and_writes_nothing(tmp_path, column, value, text, extension):
    rows = household_rows(CODES_2022, [("rural", 1_000_000, 0)] * 3)
    position = rows[0].index(column)
    rows[3][position] = value if extension == ".xlsx" or value != "" else ""
    if extension == ".xlsx" and value == "":
        rows[3][position] = None
    source = (write_csv if extension == ".csv" else lambda p, r: write_xlsx(p, {"hộ": r}))(
        tmp_path / f"in{extension}", rows)
    target = tmp_path / f"out{extension}"
    with pytest.raises(CommandError) as error:
        assess(source, target, "2022-2025")
    letter = "ABCDEFGHIJKLMNOP"[position]
    assert f"Dòng 4, cột {column} ({letter}): " in str(error.value)
    assert text in str(error.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left either


def test_it_reports_every_bad_row_at_once_and_leaves_an_existing_output_alone(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1_000_000, 0)] * 4)
    rows[1][2] = "một triệu"
    rows[3][1] = "vùng sâu"
    rows[4][0] = "H001"
    source = write_csv(tmp_path / "in.csv", rows)
    target = tmp_path / "out.csv"
    target.write_text("kết quả cũ", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        assess(source, target, "2022-2025")
    message = str(error.value)
    assert "có 3 lỗi; chưa ghi tệp kết quả" in message
    assert message.index("Dòng 2, cột income_per_capita") < message.index("Dòng 4, cột area") \
        < message.index("Dòng 5, cột household_id")
    assert "mã hộ “H001” trùng với dòng 2" in message
    assert target.read_text(encoding="utf-8") == "kết quả cũ"


def test_it_names_missing_columns(tmp_path):
    rows = household_rows(CODES_2016, [("rural", 1, 0)])
    source = write_csv(tmp_path / "in.csv", rows)
    with pytest.raises(CommandError) as error:
        assess(source, tmp_path / "out.csv", "2022-2025")  # a 2016–2020 file against 2022–2025
    for code in ("employment", "dependants", "nutrition"):
        assert f"Thiếu cột {code} ở dòng tiêu đề (dòng 1)" in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def test_it_refuses_a_short_row_and_data_under_no_header(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1, 0), ("rural", 1, 0)])
    rows[1] = rows[1][:-1]  # no information_assets cell
    rows[2] = [*rows[2], "lạ"]
    source = write_csv(tmp_path / "in.csv", rows)
    with pytest.raises(CommandError) as error:
        assess(source, tmp_path / "out.csv", "2022-2025")
    assert "Dòng 2, cột information_assets (O): ô trống" in str(error.value)
    assert "Dòng 3, cột P: có dữ liệu nhưng cột không có tiêu đề" in str(error.value)


@pytest.mark.parametrize(("content", "text"), [
    ("", "trống"),
    ("\n\n", "trống"),
    ("household_id,area,income_per_capita\n", "Thiếu cột employment"),
])
def test_it_says_clearly_when_the_file_is_empty(tmp_path, content, text):
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=text):
        assess(source, tmp_path / "out.csv", "2022-2025")


def test_it_says_when_there_is_only_a_header(tmp_path):
    source = write_csv(tmp_path / "in.csv", household_rows(CODES_2022, []))
    with pytest.raises(CommandError, match="không có hộ nào"):
        assess(source, tmp_path / "out.csv", "2022-2025")


@pytest.mark.parametrize(("source", "target", "text"), [
    ("in.xls", "out.csv", "Không hỗ trợ định dạng “.xls” của tệp đầu vào in.xls: chỉ nhận .csv hoặc .xlsx"),
    ("in.csv", "out.ods", "Không hỗ trợ định dạng “.ods” của tệp kết quả"),
    ("in.csv", "out", "(không có đuôi)"),
])
def test_it_refuses_unknown_extensions(tmp_path, source, target, text):
    write_csv(tmp_path / "in.csv", household_rows(CODES_2022, [("rural", 1, 0)]))
    (tmp_path / "in.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError) as error:
        assess(tmp_path / source, tmp_path / target, "2022-2025")
    assert text in str(error.value)


def test_it_refuses_a_csv_that_is_not_utf8_and_an_unknown_standard(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("household_id,area\nH1,nông thôn\n".encode("cp1258"))
    with pytest.raises(CommandError, match="không phải văn bản UTF-8"):
        assess(source, tmp_path / "out.csv", "2022-2025")
    with pytest.raises(CommandError, match="Không có chuẩn nghèo mã “2019”"):
        assess(source, tmp_path / "out.csv", "2019")


def test_it_parses_money_as_whole_dong():
    assert fileassess.parse_money("1.500.000") == (1_500_000, "")
    assert fileassess.parse_money("1500000") == (1_500_000, "")
    assert fileassess.parse_money(1_500_000.0) == (1_500_000, "")
    # Spaces between groups and a trailing unit are read (ansinh.lib.parsing; they were refused before).
    assert fileassess.parse_money("1 500 000") == fileassess.parse_money("1500000đ") == (1_500_000, "")
    for bad in ("1.5", "1.500.00", "1,5", "2.5e3", True, -1, float("nan")):
        value, error = fileassess.parse_money(bad)
        assert value is None and error


# --- Members layout -------------------------------------------------------------------------------

HOUSEHOLD_HEADER = ["household_id", "area", "income_per_capita", "region", "housing", "floor_area", "water_source",
                    "latrine", "waste_treated", "has_tv", "has_radio", "has_computer", "has_phone",
                    "hears_loudspeaker"]
MEMBER_HEADER = ["household_id", "full_name", "birth_date", "sex", "health_insurance", "schooling", "education",
                 "in_training", "employment", "can_work", "disability", "pension", "social_allowance", "meritorious",
                 "stunted", "underweight", "uses_internet", "sick_untreated"]


def member(household: str, name: str, born: object, sex: str, **facts: object) -> list[object]:
    values: dict[str, object] = {"health_insurance": 1, "schooling": "none", "education": "upper_secondary",
                                 "in_training": 0, "employment": "contract", "can_work": 1, "disability": "none",
                                 "pension": 0, "social_allowance": 0, "meritorious": 0, "stunted": 0,
                                 "underweight": 0, "uses_internet": 1, "sick_untreated": 0}
    values.update(facts)
    return [household, name, born, sex, *(values[name] for name in MEMBER_HEADER[4:])]


def members_workbook(path: Path, households: list[list[object]], members: list[list[object]], *,
                     household_header: list[str] = HOUSEHOLD_HEADER,
                     member_header: list[str] = MEMBER_HEADER) -> Path:
    return write_xlsx(path, {"households": [household_header, *households], "members": [member_header, *members]})


GOOD_HOME = ["durable", 60, "piped", "flush", 1, 1, 0, 0, 1, 0]


def test_it_computes_flags_from_member_facts_and_names_the_members(tmp_path):
    source = members_workbook(tmp_path / "in.xlsx", [
        ["H1", "nông thôn", 1_200_000, "", "Đơn sơ", 12, "surface", "flush", 1, 1, 0, 0, 1, 0],
        ["H2", "urban", 5_000_000, "", *GOOD_HOME],
    ], [
        member("H1", "Nguyễn Văn An", dt.date(1991, 6, 1), "nam", health_insurance=0),
        member("H1", "Trần Thị Bé", "15/03/2020", "nữ", schooling="preschool", education="none"),
        member("H2", "Lê Văn Cường", "1980-01-01", "male"),
    ])
    message = assess(source, tmp_path / "out.xlsx", "2022-2025", "--on", "2025-12-14")
    out = read_xlsx(tmp_path / "out.xlsx")
    header = out[0]
    h1, h2 = (dict(zip(header, row, strict=True)) for row in out[1:])
    assert header[:len(HOUSEHOLD_HEADER)] == HOUSEHOLD_HEADER
    assert h1["member_count"] == 2 and h1["income_used"] == 1_200_000 and h1["income_method"] == "declared"
    assert h1["deprived_health_insurance"] == 1 and h1["deprived_housing_quality"] == 1
    assert h1["deprived_water"] == 1 and h1["deprived_latrine"] == 0 and h1["latrine"] == "flush"
    assert h1["deprived_housing_area"] == 1  # 12 m² for 2 people
    assert h1["deprived_dependants"] == 0 and h1["deprived_telecom"] == 0
    assert h1["deprivation_count"] == 4 and h1["status"] == "poor"
    assert "bảo hiểm y tế (Nguyễn Văn An, 34 tuổi)" in h1["reason"]
    assert h2["deprivation_count"] == 0 and h2["status"] == "not_poor"
    assert "Đã đánh giá 2 hộ" in message


def test_it_estimates_income_from_the_regions_scoring_table_when_none_is_declared(tmp_path):
    from ansinh.poverty.models import IncomeScoringTable

    table = IncomeScoringTable.objects.get(standard__code="2022-2025", region="mekong_delta")
    points = {item["code"]: item["points"] for item in table.items}
    header = [*HOUSEHOLD_HEADER, "b1_has_motorbike", "b2_nutrition"]
    source = members_workbook(tmp_path / "in.xlsx", [
        ["H1", "rural", None, "86", *GOOD_HOME, 1, 1],
        ["H2", "rural", "", "", *GOOD_HOME, 0, None],
    ], [member("H1", "A", "01/01/1990", "nam"), member("H2", "B", "01/01/1990", "nu")], household_header=header)
    assess(source, tmp_path / "out.xlsx", "2022-2025", "--region", "Đồng bằng sông Cửu Long", "--on", "2025-12-14")
    h1, h2 = (dict(zip(read_xlsx(tmp_path / "out.xlsx")[0], row, strict=True))
              for row in read_xlsx(tmp_path / "out.xlsx")[1:])
    assert h1["income_method"] == "estimated" and h1["income_used"] == table.base + points["has_motorbike"]
    assert h2["income_used"] == table.base
    assert h1["deprived_nutrition"] == 1 and h2["deprived_nutrition"] == 0  # form B2 answer where the facts say nothing


def test_it_needs_a_region_to_estimate_income(tmp_path):
    source = members_workbook(tmp_path / "in.xlsx", [["H1", "rural", None, "", *GOOD_HOME]],
                              [member("H1", "A", "01/01/1990", "nam")])
    with pytest.raises(CommandError, match="Trang tính households, dòng 2, cột region .*--region"):
        assess(source, tmp_path / "out.xlsx", "2022-2025")


def test_it_uses_the_registers_defaults_for_member_facts_left_out(tmp_path):
    source = members_workbook(tmp_path / "in.xlsx", [["H1", "rural", 1_000_000, "", *GOOD_HOME]],
                              [["H1", "A", "01/01/1990", "nam"]], member_header=MEMBER_HEADER[:4])
    message = assess(source, tmp_path / "out.csv", "2022-2025", "--on", "2025-12-14")
    assert "không có cột health_insurance" in message
    row = read_csv(tmp_path / "out.csv")[0]
    # Member defaults: insured, inactive, no internet → only telecom is deprived.
    assert row["deprived_telecom"] == "1" and row["deprivation_count"] == "1" and row["status"] == "near_poor"


def test_it_reports_bad_member_rows_by_sheet_row_and_column(tmp_path):
    source = members_workbook(tmp_path / "in.xlsx", [
        ["H1", "rural", 1_000_000, "", "lâu đài", 40, "piped", "flush", 1, 1, 0, 0, 1, 0],
        ["H2", "rural", 1_000_000, "", *GOOD_HOME],
    ], [
        member("H1", "A", "31/02/1990", "nam"),
        member("H9", "B", "01/01/1990", "nữ"),
        member("H1", "C", "01/01/2030", "x", schooling="đại học"),
    ])
    target = tmp_path / "out.xlsx"
    with pytest.raises(CommandError) as error:
        assess(source, target, "2022-2025", "--on", "2025-12-14")
    message = str(error.value)
    assert "Trang tính households, dòng 2, cột housing (E): “lâu đài” không hợp lệ" in message
    assert "Trang tính households, dòng 3, cột household_id (A): hộ “H2” không có thành viên nào" in message
    assert ("Trang tính members, dòng 2, cột birth_date (C): Ngày «31/02/1990» không hợp lệ: tháng 2 năm 1990 "
            "không có ngày 31.") in message
    assert "Trang tính members, dòng 3, cột household_id (A): mã hộ “H9” không có" in message
    assert ("Trang tính members, dòng 4, cột birth_date (C): ngày sinh 01/01/2030 sau ngày tính tuổi "
            "14/12/2025") in message
    assert "Trang tính members, dòng 4, cột sex (D)" in message
    assert "Trang tính members, dòng 4, cột schooling (F)" in message
    assert not target.exists()


def test_it_takes_ages_on_the_reference_date_of_the_review_that_applies_the_standard():
    today = dt.date(2026, 11, 23)
    assert fileassess.default_reference_date("2027-2030", today) == dt.date(2026, 12, 14)
    assert fileassess.default_reference_date("2022-2025", today) == today
    assert fileassess.default_reference_date("2016-2020", today) == dt.date(2021, 12, 31)
    assert fileassess.default_reference_date("2027-2030", dt.date(2025, 3, 1)) == dt.date(2026, 12, 14)
    assert fileassess.default_reference_date("2022-2025", dt.date(2021, 12, 20)) == dt.date(2021, 12, 14)


def test_it_assesses_the_sample_file_of_the_guide(tmp_path):
    sample = Path(__file__).resolve().parents[3] / "examples" / "poverty-assess-sample.csv"
    assess(sample, tmp_path / "out.csv", "2022-2025")
    statuses = [row["status"] for row in read_csv(tmp_path / "out.csv")]
    assert statuses == ["poor", "near_poor", "average", "average", "poor", "average", "not_poor"]


def test_it_reads_floor_areas_as_the_register_import_does(tmp_path):
    """"1.200" is 1.200 m² (a thousands dot), "0,5" half a m², as in the household import."""
    from ansinh.poverty.fileassess import _area_m2
    assert _area_m2("1.200") == (1200.0, "") and _area_m2("35,5") == (35.5, "") and _area_m2(36) == (36.0, "")
    assert _area_m2("2.5e3")[0] is None and _area_m2("-3")[0] is None


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]


def test_it_neutralises_formulas_in_the_csv_it_writes(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1_200_000, 3)] * len(FORMULAS))
    rows[0].append("ghi chú")
    for row, text in zip(rows[1:], FORMULAS, strict=True):
        row.append(text)
    assess(write_csv(tmp_path / "in.csv", rows), tmp_path / "out.csv", "2022-2025")
    raw = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")" in raw  # quoted by csv, with a leading apostrophe
    notes = [row["ghi chú"] for row in read_csv(tmp_path / "out.csv")]
    assert notes == [f"'{text}" for text in FORMULAS]


def test_it_neutralises_formulas_in_the_xlsx_it_writes_but_keeps_negative_numbers(tmp_path):
    rows = household_rows(CODES_2022, [("rural", 1_200_000, 3)] * len(FORMULAS))
    rows[0] += ["ghi chú", "chênh lệch"]
    for row, text in zip(rows[1:], FORMULAS, strict=True):
        row += [text, -5]
    # From a CSV (an .xlsx written by openpyxl would hold real formulas, not text).
    assess(write_csv(tmp_path / "in.csv", rows), tmp_path / "out.xlsx", "2022-2025")
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    notes = [sheet.cell(row, header.index("ghi chú") + 1) for row in range(2, 2 + len(FORMULAS))]
    assert [cell.value for cell in notes] == [f"'{text}" for text in FORMULAS]
    assert all(cell.data_type == "s" for cell in notes)
    assert sheet.cell(2, header.index("chênh lệch") + 1).value == "-5"  # a CSV's text, kept as it was
