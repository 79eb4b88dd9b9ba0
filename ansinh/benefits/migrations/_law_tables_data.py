"""FROZEN for migration `benefits.0002_law_tables`: a copy of `ansinh/benefits/law_data.py` as it
was when the migration was frozen. Never edit it: a change to the shipped law is a new migration
(or, better, a row an administrator adds in the UI), so an old migration always loads the same rows.

The original docstring follows.

The law of the people served, as data: categories, base levels and amount rules from 1 Jul 2021.

Loaded by migration `benefits.0002_law_tables` (a frozen copy beside it); a later decree is a row
an administrator adds in the UI (`benefits/law/`), never an edit here.

Sources (checked in `docs/benefits-sources.md`):
- social assistance: Decree 20/2021/NĐ-CP Arts. 4–6 and 20 (official codification, confirmed);
  the base level 500.000 of Decree 76/2024/NĐ-CP (text not seen: provisional) and 540.000 of
  Decree 335/2026/NĐ-CP (issued 21/8/2026, applied from 1/7/2026: provisional);
- social pension: Law 41/2024/QH15 Arts. 21–22 and Decree 176/2025/NĐ-CP (500.000, secondary
  sources only: provisional); 540.000 from 1/7/2026 (one source: provisional);
- people with meritorious service: Decree 75/2021/NĐ-CP as amended by Decree 55/2023/NĐ-CP
  (tables from 1/7/2023, VBHN 834/VBHN-BLĐTBXH) and Decree 77/2024/NĐ-CP (tables from 1/7/2024,
  VBHN 4804/VBHN-BLĐTBXH), confirmed. The original 2021 appendix amounts (1/7/2021–30/6/2023) were
  not found in any copy (the official codification leaves the appendices out): no rows, so the
  engine refuses those months with a clear message rather than guess. The 2026 base level
  3.012.000 ("Decree 321/2026", one source) is shipped as a provisional base level only; its
  appendix tables are not known, so the 2024 tables stay in force until an administrator adds them.

Rows: a rule's `flag` selects a case the bands cannot: `especially_severe` (vết thương / bệnh tật
đặc biệt nặng), `living_alone` (tuất nuôi dưỡng), `medal` (helpers with the Resistance Medal,
Appendix I row 10.2), and the Decree 20 Art. 20 cases of a disabled mother (`one_child`,
`two_children`) and of a household taking a person in (`taken_in`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

D = dt.date
START = D(2021, 7, 1)
Y2023 = D(2023, 7, 1)
END2023 = D(2024, 6, 30)
Y2024 = D(2024, 7, 1)
SA_END_5B_5C = D(2025, 6, 30)  # provisional: Decree 176/2025 moves these groups to the social pension
PENSION_START = D(2025, 7, 1)

SA = "social_assistance"
SP = "social_pension"
MC = "meritorious"

D20 = "Nghị định 20/2021/NĐ-CP"
D20_AM = "Nghị định 20/2021/NĐ-CP, sửa đổi bởi Nghị định 76/2024/NĐ-CP"
PENSION_BASIS = "Luật Bảo hiểm xã hội 41/2024/QH15 Điều 21–22; Nghị định 176/2025/NĐ-CP"
ORD = "Pháp lệnh 02/2020/UBTVQH14"
D55 = "Nghị định 75/2021/NĐ-CP, sửa đổi bởi Nghị định 55/2023/NĐ-CP (VBHN 834/VBHN-BLĐTBXH)"
D77 = "Nghị định 75/2021/NĐ-CP, sửa đổi bởi Nghị định 77/2024/NĐ-CP (VBHN 4804/VBHN-BLĐTBXH)"


def _cat(code: str, scheme: str, name: str, article: str, legal_basis: str, *, kind: str = "allowance",
         parents: tuple[str, ...] = (), rate: bool = False, martyrs: bool = False, children: bool = False,
         years: bool = False, valid_from: dt.date = START, valid_to: dt.date | None = None,
         provisional: bool = False) -> dict[str, Any]:
    return {"code": code, "scheme": scheme, "kind": kind, "name": name, "article": article,
            "legal_basis": legal_basis, "parents": parents, "uses_rate": rate, "uses_martyrs": martyrs,
            "uses_children": children, "uses_years": years, "valid_from": valid_from, "valid_to": valid_to,
            "provisional": provisional}


DISABILITY = ("sa_disability_especially_severe", "sa_disability_severe")
SURVIVORS = ("merit_survivor_pre1945", "merit_survivor_pre_uprising", "merit_survivor_invalid",
             "merit_survivor_sick_soldier", "merit_survivor_toxic_chemical")

CATEGORIES: list[dict[str, Any]] = [
    # --- Social assistance: Decree 20/2021 Art. 5 --------------------------------------------
    _cat("sa_orphan", SA, "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng", "Điều 5 khoản 1 " + D20, D20),
    _cat("sa_orphan_student", SA, "Người từ đủ 16 tuổi đến 22 tuổi không có nguồn nuôi dưỡng, đang học",
         "Điều 5 khoản 2 " + D20, D20),
    _cat("sa_child_hiv", SA, "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo", "Điều 5 khoản 3 " + D20, D20),
    _cat("sa_single_parent", SA, "Người đơn thân thuộc hộ nghèo, hộ cận nghèo đang nuôi con",
         "Điều 5 khoản 4 " + D20, D20, children=True),
    _cat("sa_elderly_poor_alone", SA, "Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng",
         "Điều 5 khoản 5 điểm a " + D20, D20),
    _cat("sa_elderly_75", SA, "Người từ đủ 75 tuổi đến 80 tuổi thuộc hộ nghèo, cận nghèo ở xã, thôn vùng "
         "đồng bào dân tộc thiểu số và miền núi đặc biệt khó khăn", "Điều 5 khoản 5 điểm b " + D20,
         D20 + "; thôi áp dụng từ 01/7/2025 (Nghị định 176/2025/NĐ-CP, trợ cấp hưu trí xã hội)",
         valid_to=SA_END_5B_5C, provisional=True),
    _cat("sa_elderly_80", SA, "Người từ đủ 80 tuổi không có lương hưu, trợ cấp bảo hiểm xã hội hằng tháng, "
         "trợ cấp xã hội hằng tháng", "Điều 5 khoản 5 điểm c " + D20,
         D20 + "; thôi áp dụng từ 01/7/2025 (Nghị định 176/2025/NĐ-CP, trợ cấp hưu trí xã hội)",
         valid_to=SA_END_5B_5C, provisional=True),
    _cat("sa_elderly_community_care", SA, "Người cao tuổi thuộc hộ nghèo đủ điều kiện vào cơ sở trợ giúp "
         "xã hội nhưng được chăm sóc tại cộng đồng", "Điều 5 khoản 5 điểm d " + D20, D20),
    _cat("sa_disability_especially_severe", SA, "Người khuyết tật đặc biệt nặng", "Điều 5 khoản 6 " + D20, D20),
    _cat("sa_disability_severe", SA, "Người khuyết tật nặng", "Điều 5 khoản 6 " + D20, D20),
    _cat("sa_child_under_3", SA, "Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng đồng bào dân tộc "
         "thiểu số và miền núi đặc biệt khó khăn", "Điều 5 khoản 7 " + D20, D20),
    _cat("sa_hiv_poor", SA, "Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn thu nhập ổn định",
         "Điều 5 khoản 8 " + D20, D20),
    # --- Social assistance: carers, Decree 20/2021 Art. 20 ------------------------------------
    _cat("sa_carer_foster_child", SA, "Hộ gia đình, cá nhân nhận chăm sóc, nuôi dưỡng trẻ em tại cộng đồng",
         "Điều 20 khoản 1 " + D20, D20, kind="carer", parents=("sa_orphan",)),
    _cat("sa_carer_foster_elderly", SA, "Hộ gia đình, cá nhân nhận chăm sóc, nuôi dưỡng người cao tuổi "
         "tại cộng đồng", "Điều 20 khoản 1 " + D20, D20, kind="carer", parents=("sa_elderly_community_care",)),
    _cat("sa_carer_disabled_mother", SA, "Người khuyết tật nặng, đặc biệt nặng đang mang thai hoặc nuôi con "
         "dưới 36 tháng tuổi", "Điều 20 khoản 2 điểm a, b " + D20, D20, kind="carer", parents=DISABILITY),
    _cat("sa_carer_disability", SA, "Hộ gia đình chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng; "
         "hộ gia đình, cá nhân nhận chăm sóc người khuyết tật đặc biệt nặng", "Điều 20 khoản 2 điểm c, d " + D20,
         D20, kind="carer", parents=("sa_disability_especially_severe",)),
    # --- Social pension ------------------------------------------------------------------------
    _cat("social_pension", SP, "Người hưởng trợ cấp hưu trí xã hội", "Điều 21 Luật Bảo hiểm xã hội 41/2024/QH15",
         PENSION_BASIS, valid_from=PENSION_START),
    # --- People with meritorious service: Ordinance 02/2020 Art. 3, Decree 75/2021 Appendix I ---
    _cat("merit_pre1945_fulltime", MC, "Người hoạt động cách mạng trước ngày 01/01/1945 (diện thoát ly)",
         "Điều 3 khoản 1 điểm a " + ORD, ORD),
    _cat("merit_pre1945_parttime", MC, "Người hoạt động cách mạng trước ngày 01/01/1945 (diện không thoát ly)",
         "Điều 3 khoản 1 điểm a " + ORD, ORD),
    _cat("merit_pre1945_seniority", MC, "Phụ cấp thâm niên của người hoạt động cách mạng trước 01/01/1945 "
         "(diện thoát ly), theo năm", "Phụ lục I mục 1.1 Nghị định 75/2021/NĐ-CP", ORD, kind="supplement",
         parents=("merit_pre1945_fulltime",), years=True),
    _cat("merit_pre_uprising", MC, "Người hoạt động cách mạng từ ngày 01/01/1945 đến ngày khởi nghĩa tháng Tám "
         "năm 1945", "Điều 3 khoản 1 điểm b " + ORD, ORD),
    _cat("merit_martyr_relative", MC, "Thân nhân liệt sĩ", "Điều 3 khoản 1 điểm c, khoản 2 " + ORD, ORD,
         martyrs=True),
    _cat("merit_martyr_spouse_remarried", MC, "Vợ hoặc chồng liệt sĩ lấy chồng hoặc vợ khác đã nuôi con liệt sĩ "
         "hoặc chăm sóc cha mẹ liệt sĩ", "Phụ lục I mục 3.5 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_heroic_mother", MC, "Bà mẹ Việt Nam anh hùng", "Điều 3 khoản 1 điểm d " + ORD, ORD),
    _cat("merit_heroic_mother_supplement", MC, "Phụ cấp hằng tháng của Bà mẹ Việt Nam anh hùng",
         "Phụ lục I mục 4 Nghị định 75/2021/NĐ-CP", ORD, kind="supplement", parents=("merit_heroic_mother",)),
    _cat("merit_heroic_mother_carer", MC, "Người phục vụ Bà mẹ Việt Nam anh hùng sống ở gia đình",
         "Phụ lục I mục 4 Nghị định 75/2021/NĐ-CP", ORD, kind="carer", parents=("merit_heroic_mother",)),
    _cat("merit_hero", MC, "Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động trong thời kỳ kháng chiến",
         "Điều 3 khoản 1 điểm đ, e " + ORD, ORD),
    _cat("merit_war_invalid", MC, "Thương binh, người hưởng chính sách như thương binh",
         "Điều 3 khoản 1 điểm g " + ORD, ORD, rate=True),
    _cat("merit_war_invalid_b", MC, "Thương binh loại B", "Điều 3 khoản 1 điểm g " + ORD, ORD, rate=True),
    _cat("merit_invalid_81_supplement", MC, "Phụ cấp hằng tháng của thương binh suy giảm khả năng lao động "
         "từ 81% trở lên", "Phụ lục I mục 6.1 Nghị định 75/2021/NĐ-CP", ORD, kind="supplement",
         parents=("merit_war_invalid", "merit_war_invalid_b"), rate=True),
    _cat("merit_invalid_carer", MC, "Người phục vụ thương binh suy giảm khả năng lao động từ 81% trở lên sống "
         "ở gia đình", "Phụ lục I mục 6.1 Nghị định 75/2021/NĐ-CP", ORD, kind="carer",
         parents=("merit_war_invalid", "merit_war_invalid_b"), rate=True),
    _cat("merit_sick_soldier", MC, "Bệnh binh", "Điều 3 khoản 1 điểm h " + ORD, ORD, rate=True),
    _cat("merit_sick_soldier_81_supplement", MC, "Phụ cấp hằng tháng của bệnh binh suy giảm khả năng lao động "
         "từ 81% trở lên", "Phụ lục I mục 7.1 Nghị định 75/2021/NĐ-CP", ORD, kind="supplement",
         parents=("merit_sick_soldier",), rate=True),
    _cat("merit_sick_soldier_carer", MC, "Người phục vụ bệnh binh suy giảm khả năng lao động từ 81% trở lên "
         "sống ở gia đình", "Phụ lục I mục 7.1 Nghị định 75/2021/NĐ-CP", ORD, kind="carer",
         parents=("merit_sick_soldier",), rate=True),
    _cat("merit_toxic_chemical", MC, "Người hoạt động kháng chiến bị nhiễm chất độc hóa học",
         "Điều 3 khoản 1 điểm i " + ORD, ORD, rate=True),
    _cat("merit_toxic_chemical_81_supplement", MC, "Phụ cấp hằng tháng của người hoạt động kháng chiến bị nhiễm "
         "chất độc hóa học suy giảm khả năng lao động từ 81% trở lên", "Phụ lục I mục 8.1 Nghị định 75/2021/NĐ-CP",
         ORD, kind="supplement", parents=("merit_toxic_chemical",), rate=True),
    _cat("merit_toxic_chemical_carer", MC, "Người phục vụ người hoạt động kháng chiến bị nhiễm chất độc hóa học "
         "suy giảm khả năng lao động từ 81% trở lên sống ở gia đình", "Phụ lục I mục 8.1 Nghị định 75/2021/NĐ-CP",
         ORD, kind="carer", parents=("merit_toxic_chemical",), rate=True),
    _cat("merit_toxic_chemical_child", MC, "Con đẻ còn sống của người hoạt động kháng chiến bị nhiễm chất độc "
         "hóa học bị dị dạng, dị tật", "Phụ lục I mục 8.2 Nghị định 75/2021/NĐ-CP", ORD, rate=True),
    _cat("merit_former_prisoner", MC, "Người hoạt động cách mạng, kháng chiến, bảo vệ Tổ quốc, làm nghĩa vụ "
         "quốc tế bị địch bắt tù, đày", "Điều 3 khoản 1 điểm k " + ORD, ORD),
    _cat("merit_resistance", MC, "Người hoạt động kháng chiến giải phóng dân tộc, bảo vệ Tổ quốc, làm nghĩa vụ "
         "quốc tế (trợ cấp một lần theo Phụ lục IV, không có trợ cấp hằng tháng)",
         "Điều 3 khoản 1 điểm l " + ORD, ORD),
    _cat("merit_helper", MC, "Người có công giúp đỡ cách mạng", "Điều 3 khoản 1 điểm m " + ORD, ORD),
    # Survivors' monthly allowances (tuất hằng tháng) and tuất nuôi dưỡng.
    _cat("merit_survivor_pre1945", MC, "Thân nhân của người hoạt động cách mạng trước 01/01/1945 từ trần: "
         "trợ cấp tuất hằng tháng", "Phụ lục I mục 1.2 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_survivor_pre_uprising", MC, "Thân nhân của người hoạt động cách mạng từ 01/01/1945 đến khởi nghĩa "
         "tháng Tám 1945 từ trần: trợ cấp tuất hằng tháng", "Phụ lục I mục 2.2 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_survivor_invalid", MC, "Thân nhân của thương binh suy giảm khả năng lao động từ 61% trở lên từ "
         "trần: trợ cấp tuất hằng tháng", "Phụ lục I mục 6.2 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_survivor_sick_soldier", MC, "Thân nhân của bệnh binh suy giảm khả năng lao động từ 61% trở lên "
         "từ trần: trợ cấp tuất hằng tháng", "Phụ lục I mục 7.2 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_survivor_toxic_chemical", MC, "Thân nhân của người hoạt động kháng chiến bị nhiễm chất độc hóa "
         "học suy giảm khả năng lao động từ 61% trở lên từ trần: trợ cấp tuất hằng tháng",
         "Phụ lục I mục 8.2 Nghị định 75/2021/NĐ-CP", ORD),
    # Monthly study allowances (Appendix I row 11, Decree 75/2021 Art. 8 and Ordinance Art. 5(2)đ).
    _cat("merit_study_full", MC, "Trợ cấp hằng tháng khi theo học (con của người có công, thân nhân liệt sĩ, con "
         "của thương binh, bệnh binh, người nhiễm chất độc hóa học từ 61% trở lên …)",
         "Phụ lục I mục 11.1 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_study_partial", MC, "Trợ cấp hằng tháng khi theo học (con của thương binh 21–60%, bệnh binh 41–60%, "
         "người nhiễm chất độc hóa học 21–60%)", "Phụ lục I mục 11.2 Nghị định 75/2021/NĐ-CP", ORD),
    _cat("merit_living_alone", MC, "Trợ cấp tuất nuôi dưỡng (thân nhân sống cô đơn, con mồ côi cả cha mẹ)",
         "Phụ lục I mục 1.2, 2.2, 3.4, 6.2, 7.2, 8.2, 10.3 Nghị định 75/2021/NĐ-CP", ORD, kind="supplement",
         parents=("merit_martyr_relative", "merit_helper", *SURVIVORS)),
]

# --- Base levels -----------------------------------------------------------------------------
BASES: list[dict[str, Any]] = [
    {"kind": "sa_base", "amount": 360_000, "valid_from": START, "decided_on": D(2021, 3, 15),
     "legal_basis": "Điều 4 khoản 2 Nghị định 20/2021/NĐ-CP", "provisional": False, "note": ""},
    {"kind": "sa_base", "amount": 500_000, "valid_from": Y2024, "decided_on": D(2024, 7, 1),
     "legal_basis": "Nghị định 76/2024/NĐ-CP", "provisional": True,
     "note": "Chưa đối chiếu văn bản gốc Nghị định 76/2024/NĐ-CP."},
    {"kind": "sa_base", "amount": 540_000, "valid_from": D(2026, 7, 1), "decided_on": D(2026, 8, 21),
     "legal_basis": "Nghị định 335/2026/NĐ-CP (hiệu lực 05/10/2026, áp dụng từ 01/7/2026)", "provisional": True,
     "note": "Chưa đối chiếu văn bản gốc; truy lĩnh phần chênh lệch từ 01/7/2026."},
    {"kind": "social_pension", "amount": 500_000, "valid_from": PENSION_START, "decided_on": D(2025, 6, 30),
     "legal_basis": "Điều 3 Nghị định 176/2025/NĐ-CP", "provisional": True,
     "note": "Chưa đối chiếu văn bản gốc Nghị định 176/2025/NĐ-CP."},
    {"kind": "social_pension", "amount": 540_000, "valid_from": D(2026, 7, 1), "decided_on": D(2026, 8, 21),
     "legal_basis": "Nghị định 335/2026/NĐ-CP (hiệu lực 05/10/2026, áp dụng từ 01/7/2026)", "provisional": True,
     "note": "Một nguồn thứ cấp; chưa đối chiếu văn bản gốc."},
    {"kind": "merit_base", "amount": 1_624_000, "valid_from": START, "decided_on": D(2021, 7, 24),
     "legal_basis": "Điều 3 Nghị định 75/2021/NĐ-CP (hiệu lực 15/9/2021, áp dụng từ 01/7/2021)",
     "provisional": False, "note": ""},
    {"kind": "merit_base", "amount": 2_055_000, "valid_from": Y2023, "decided_on": D(2023, 7, 21),
     "legal_basis": "Điều 1 khoản 2 Nghị định 55/2023/NĐ-CP (hiệu lực 05/9/2023, áp dụng từ 01/7/2023)",
     "provisional": False, "note": ""},
    {"kind": "merit_base", "amount": 2_789_000, "valid_from": Y2024, "decided_on": D(2024, 7, 1),
     "legal_basis": "Điều 1 khoản 1 Nghị định 77/2024/NĐ-CP", "provisional": False, "note": ""},
    {"kind": "merit_base", "amount": 3_012_000, "valid_from": D(2026, 7, 1), "decided_on": None,
     "legal_basis": "Nghị định 321/2026/NĐ-CP (hiệu lực 01/10/2026, áp dụng từ 01/7/2026)", "provisional": True,
     "note": "Một nguồn thứ cấp; các bảng phụ lục mới chưa có."},
    {"kind": "base_salary", "amount": 2_340_000, "valid_from": Y2024, "decided_on": D(2024, 6, 30),
     "legal_basis": "Điều 3 khoản 2 Nghị định 73/2024/NĐ-CP", "provisional": False, "note": ""},
    {"kind": "base_salary", "amount": 2_530_000, "valid_from": D(2026, 7, 1), "decided_on": D(2026, 5, 15),
     "legal_basis": "Điều 3 khoản 2 Nghị định 161/2026/NĐ-CP", "provisional": False, "note": ""},
]


# --- Amount rules ----------------------------------------------------------------------------
def _coef(code: str, coefficient: str, article: str, *, base: str = "sa_base", age: tuple[int | None, int | None]
          = (None, None), flag: str = "", per_unit: bool = False, valid_from: dt.date = START,
          valid_to: dt.date | None = None, legal_basis: str = D20, provisional: bool = False) -> dict[str, Any]:
    return {"category": code, "method": "coefficient", "base": base, "coefficient": Decimal(coefficient), "amount": None,
            "age_from": age[0], "age_to": age[1], "rate_from": None, "rate_to": None, "count_from": None,
            "count_to": None, "flag": flag, "per_unit": per_unit, "valid_from": valid_from, "valid_to": valid_to,
            "legal_basis": f"{article} {legal_basis}", "provisional": provisional}


def _fixed(code: str, amount: int, basis: str, valid_from: dt.date, valid_to: dt.date | None, *,
           rate: tuple[int | None, int | None] = (None, None), count: tuple[int | None, int | None] = (None, None),
           flag: str = "", per_unit: bool = False, provisional: bool = False) -> dict[str, Any]:
    return {"category": code, "method": "fixed", "base": "", "coefficient": None, "amount": amount,
            "age_from": None, "age_to": None, "rate_from": rate[0], "rate_to": rate[1], "count_from": count[0],
            "count_to": count[1], "flag": flag, "per_unit": per_unit, "valid_from": valid_from,
            "valid_to": valid_to, "legal_basis": basis, "provisional": provisional}


A6 = "Điều 6 khoản 1 điểm"
A20 = "Điều 20"
CHILD, ADULT, ELDER = (None, 16), (16, 60), (60, None)

RULES: list[dict[str, Any]] = [
    # Decree 20 Art. 6(1): base level × coefficient; "elderly" = 60+ (Law on the Elderly), child < 16.
    _coef("sa_orphan", "2.5", f"{A6} a", age=(None, 4)),
    _coef("sa_orphan", "1.5", f"{A6} a", age=(4, 16)),
    _coef("sa_orphan_student", "1.5", f"{A6} b", age=(16, 23)),
    _coef("sa_child_hiv", "2.5", f"{A6} c", age=(None, 4)),
    _coef("sa_child_hiv", "2.0", f"{A6} c", age=(4, 16)),
    _coef("sa_single_parent", "1.0", f"{A6} d", per_unit=True),
    _coef("sa_elderly_poor_alone", "1.5", f"{A6} đ", age=(60, 80)),
    _coef("sa_elderly_poor_alone", "2.0", f"{A6} đ", age=(80, None)),
    # 5(5)b and 5(5)c end with the categories (their `valid_to`, provisional): one date to change.
    _coef("sa_elderly_75", "1.0", f"{A6} đ", age=(75, 80)),
    _coef("sa_elderly_80", "1.0", f"{A6} đ", age=(80, None)),
    _coef("sa_elderly_community_care", "3.0", f"{A6} đ", age=(60, None)),
    _coef("sa_disability_especially_severe", "2.5", f"{A6} e", age=CHILD),
    _coef("sa_disability_especially_severe", "2.0", f"{A6} e", age=ADULT),
    _coef("sa_disability_especially_severe", "2.5", f"{A6} e", age=ELDER),
    _coef("sa_disability_severe", "2.0", f"{A6} e", age=CHILD),
    _coef("sa_disability_severe", "1.5", f"{A6} e", age=ADULT),
    _coef("sa_disability_severe", "2.0", f"{A6} e", age=ELDER),
    _coef("sa_child_under_3", "1.5", f"{A6} g", age=(None, 3)),
    _coef("sa_hiv_poor", "1.5", f"{A6} g"),
    # Decree 20 Art. 20: carers (the age is the cared-for person's).
    _coef("sa_carer_foster_child", "2.5", f"{A20} khoản 1", age=(None, 4)),
    _coef("sa_carer_foster_child", "1.5", f"{A20} khoản 1", age=(4, 16)),
    _coef("sa_carer_foster_elderly", "1.5", f"{A20} khoản 1"),
    _coef("sa_carer_disabled_mother", "1.5", f"{A20} khoản 2 điểm a", flag="one_child"),
    _coef("sa_carer_disabled_mother", "2.0", f"{A20} khoản 2 điểm a", flag="two_children"),
    _coef("sa_carer_disability", "1.0", f"{A20} khoản 2 điểm c"),
    _coef("sa_carer_disability", "2.5", f"{A20} khoản 2 điểm d", flag="taken_in", age=CHILD),
    _coef("sa_carer_disability", "1.5", f"{A20} khoản 2 điểm d", flag="taken_in", age=(16, None)),
    # Social pension: the amount set by the Government (its own base level), from 1 Jul 2025.
    _coef("social_pension", "1.0", "Điều 3", base="social_pension", age=(70, None), valid_from=PENSION_START,
          legal_basis="Nghị định 176/2025/NĐ-CP; Điều 22 Luật Bảo hiểm xã hội 41/2024/QH15"),
]

# Appendix I of Decree 75/2021: (code, amount from 1/7/2023, amount from 1/7/2024, row, extra keywords).
# The pair (2023, 2024) amounts; `None` where the 2023 row was not read.
APPENDIX_I: list[tuple[str, int, int, str, dict[str, Any]]] = [
    ("merit_pre1945_fulltime", 2_297_000, 3_117_000, "1.1", {}),
    ("merit_pre1945_seniority", 390_000, 529_000, "1.1", {"per_unit": True}),
    ("merit_pre1945_parttime", 3_899_000, 5_291_000, "1.1", {}),
    ("merit_survivor_pre1945", 2_055_000, 2_789_000, "1.2", {}),
    ("merit_pre_uprising", 2_125_000, 2_884_000, "2.1", {}),
    ("merit_survivor_pre_uprising", 1_153_000, 1_565_000, "2.2", {}),
    ("merit_martyr_relative", 2_055_000, 2_789_000, "3.1", {"count": (1, 1)}),
    ("merit_martyr_relative", 4_110_000, 5_578_000, "3.2", {"count": (2, 2)}),
    ("merit_martyr_relative", 6_165_000, 8_367_000, "3.3", {"count": (3, None)}),
    ("merit_martyr_spouse_remarried", 2_055_000, 2_789_000, "3.5", {}),
    ("merit_heroic_mother", 6_165_000, 8_367_000, "4", {}),
    ("merit_heroic_mother_supplement", 1_722_000, 2_337_000, "4", {}),
    ("merit_heroic_mother_carer", 2_055_000, 2_789_000, "4", {}),
    ("merit_hero", 1_722_000, 2_337_000, "5", {}),
    ("merit_invalid_81_supplement", 1_031_000, 1_399_000, "6.1", {"rate": (81, 100)}),
    ("merit_invalid_81_supplement", 2_113_000, 2_867_000, "6.1", {"rate": (81, 100), "flag": "especially_severe"}),
    ("merit_invalid_carer", 2_055_000, 2_789_000, "6.1", {"rate": (81, 100)}),
    ("merit_invalid_carer", 2_640_000, 3_582_000, "6.1", {"rate": (81, 100), "flag": "especially_severe"}),
    ("merit_survivor_invalid", 1_153_000, 1_565_000, "6.2", {}),
    ("merit_sick_soldier", 2_145_000, 2_911_000, "7.1", {"rate": (41, 50)}),
    ("merit_sick_soldier", 2_673_000, 3_627_000, "7.1", {"rate": (51, 60)}),
    ("merit_sick_soldier", 3_406_000, 4_622_000, "7.1", {"rate": (61, 70)}),
    ("merit_sick_soldier", 3_927_000, 5_329_000, "7.1", {"rate": (71, 80)}),
    ("merit_sick_soldier", 4_700_000, 6_378_000, "7.1", {"rate": (81, 90)}),
    ("merit_sick_soldier", 5_235_000, 7_104_000, "7.1", {"rate": (91, 100)}),
    ("merit_sick_soldier_81_supplement", 1_031_000, 1_399_000, "7.1", {"rate": (81, 100)}),
    ("merit_sick_soldier_81_supplement", 2_055_000, 2_789_000, "7.1",
     {"rate": (81, 100), "flag": "especially_severe"}),
    ("merit_sick_soldier_carer", 2_055_000, 2_789_000, "7.1", {"rate": (81, 100)}),
    ("merit_sick_soldier_carer", 2_640_000, 3_582_000, "7.1", {"rate": (81, 100), "flag": "especially_severe"}),
    ("merit_survivor_sick_soldier", 1_153_000, 1_565_000, "7.2", {}),
    ("merit_toxic_chemical", 1_562_000, 2_120_000, "8.1", {"rate": (21, 40)}),
    ("merit_toxic_chemical", 2_610_000, 3_542_000, "8.1", {"rate": (41, 60)}),
    ("merit_toxic_chemical", 3_658_000, 4_964_000, "8.1", {"rate": (61, 80)}),
    ("merit_toxic_chemical", 4_685_000, 6_358_000, "8.1", {"rate": (81, 100)}),
    # The 2023 toxic-chemical supplement and carer rows were not read; the sick soldiers' 2023
    # amounts (the same multiples of the base) are shipped provisional (see PROVISIONAL_2023).
    ("merit_toxic_chemical_81_supplement", 1_031_000, 1_399_000, "8.1", {"rate": (81, 100)}),
    ("merit_toxic_chemical_81_supplement", 2_055_000, 2_789_000, "8.1",
     {"rate": (81, 100), "flag": "especially_severe"}),
    # No "especially severe" carer row for toxic-chemical victims (only 2.789.000).
    ("merit_toxic_chemical_carer", 2_055_000, 2_789_000, "8.1", {"rate": (81, 100)}),
    ("merit_survivor_toxic_chemical", 1_153_000, 1_565_000, "8.2", {}),
    ("merit_toxic_chemical_child", 1_233_000, 1_673_000, "8.2", {"rate": (61, 80)}),
    ("merit_toxic_chemical_child", 2_055_000, 2_789_000, "8.2", {"rate": (81, 100)}),
    ("merit_former_prisoner", 1_233_000, 1_673_000, "9", {}),
    ("merit_helper", 2_055_000, 2_789_000, "10.1", {}),
    ("merit_helper", 1_208_000, 1_639_000, "10.2", {"flag": "medal"}),
    ("merit_study_full", 2_055_000, 2_789_000, "11.1", {}),
    ("merit_study_partial", 1_031_000, 1_399_000, "11.2", {}),
    ("merit_living_alone", 1_644_000, 2_231_000, "1.2, 2.2, 3.4, 6.2, 7.2, 8.2, 10.3", {"flag": "living_alone"}),
]
PROVISIONAL_2023 = {"merit_toxic_chemical_81_supplement", "merit_toxic_chemical_carer", "merit_heroic_mother_carer"}

# Appendix II (war invalids) and III (grade B), rate 21–100 %: amounts in thousand đồng.
APPENDIX_II_2023 = [
    1384, 1451, 1513, 1580, 1648, 1712, 1777, 1846, 1908, 1977, 2041, 2109, 2174, 2240, 2308, 2371, 2435, 2505, 2571,
    2635, 2702, 2766, 2829, 2899, 2965, 3031, 3095, 3161, 3229, 3293, 3361, 3427, 3490, 3557, 3624, 3691, 3753, 3821,
    3889, 3953, 4016, 4086, 4148, 4216, 4281, 4349, 4414, 4481, 4547, 4611, 4674, 4743, 4812, 4876, 4943, 5007, 5073,
    5136, 5203, 5269, 5335, 5403, 5469, 5532, 5601, 5664, 5728, 5796, 5865, 5932, 5994, 6059, 6127, 6189, 6260, 6324,
    6388, 6456, 6522, 6589]
APPENDIX_II_2024 = [
    1878, 1969, 2053, 2144, 2236, 2323, 2411, 2505, 2589, 2683, 2770, 2862, 2950, 3040, 3132, 3217, 3304, 3399, 3489,
    3576, 3667, 3753, 3839, 3934, 4024, 4113, 4200, 4289, 4382, 4469, 4561, 4650, 4736, 4827, 4918, 5009, 5093, 5185,
    5277, 5364, 5450, 5545, 5629, 5721, 5809, 5902, 5990, 6081, 6170, 6257, 6343, 6436, 6530, 6617, 6708, 6794, 6884,
    6970, 7060, 7150, 7240, 7332, 7421, 7507, 7601, 7686, 7773, 7865, 7959, 8050, 8134, 8222, 8314, 8398, 8495, 8582,
    8669, 8761, 8850, 8941]
APPENDIX_III_2023 = [
    1144, 1198, 1249, 1306, 1362, 1413, 1467, 1518, 1575, 1629, 1680, 1736, 1791, 1846, 1899, 1950, 2004, 2060, 2114,
    2166, 2222, 2276, 2331, 2383, 2435, 2490, 2538, 2594, 2647, 2702, 2757, 2807, 2864, 2918, 3023, 3076, 3134, 3188,
    3239, 3293, 3348, 3401, 3457, 3508, 3563, 3619, 3672, 3723, 3776, 3832, 3889, 3940, 3995, 4048, 4105, 4157, 4209,
    4261, 4318, 4374, 4425, 4481, 4531, 4587, 4645, 4695, 4750, 4802, 4859, 4910, 4964, 5019, 5073, 5129, 5181, 5235,
    5287, 5340, 5396, 5451]
APPENDIX_III_2024 = [
    1552, 1626, 1695, 1772, 1848, 1917, 1991, 2060, 2137, 2211, 2280, 2356, 2430, 2505, 2577, 2646, 2719, 2795, 2869,
    2939, 3015, 3089, 3163, 3234, 3304, 3379, 3444, 3520, 3592, 3667, 3741, 3809, 3886, 3960, 4102, 4174, 4253, 4326,
    4395, 4469, 4543, 4615, 4691, 4760, 4835, 4911, 4983, 5052, 5124, 5200, 5277, 5347, 5421, 5493, 5570, 5641, 5712,
    5782, 5860, 5936, 6005, 6081, 6149, 6225, 6303, 6371, 6446, 6516, 6594, 6663, 6736, 6811, 6884, 6960, 7031, 7104,
    7174, 7246, 7322, 7397]
RATES = range(21, 101)


def _merit_rules() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for code, a2023, a2024, row, extra in APPENDIX_I:
        for amount, start, end, basis in ((a2023, Y2023, END2023, D55), (a2024, Y2024, None, D77)):
            provisional = start == Y2023 and code in PROVISIONAL_2023
            out.append(_fixed(code, amount, f"Phụ lục I mục {row} {basis}", start, end, provisional=provisional,
                              **extra))
    for code, appendix, tables in (("merit_war_invalid", "II", (APPENDIX_II_2023, APPENDIX_II_2024)),
                                   ("merit_war_invalid_b", "III", (APPENDIX_III_2023, APPENDIX_III_2024))):
        for table, start, end, basis in ((tables[0], Y2023, END2023, D55), (tables[1], Y2024, None, D77)):
            assert len(table) == 80
            for rate, thousands in zip(RATES, table, strict=True):
                out.append(_fixed(code, thousands * 1000, f"Phụ lục {appendix} {basis}", start, end,
                                  rate=(rate, rate)))
    return out


RULES += _merit_rules()


def load_law(apps: Any, schema_editor: Any = None) -> None:
    """Creates the categories, base levels and amount rules (a migration's RunPython)."""
    Category = apps.get_model("benefits", "Category")
    BaseLevel = apps.get_model("benefits", "BaseLevel")
    AmountRule = apps.get_model("benefits", "AmountRule")
    by_code: dict[str, Any] = {}
    for order, row in enumerate(CATEGORIES):
        fields = {k: v for k, v in row.items() if k != "parents"}
        by_code[row["code"]] = Category.objects.create(order=order, **fields)
    for row in CATEGORIES:
        if row["parents"]:
            by_code[row["code"]].parents.set([by_code[code] for code in row["parents"]])
    BaseLevel.objects.bulk_create([BaseLevel(**row) for row in BASES])
    AmountRule.objects.bulk_create([AmountRule(**{**{k: v for k, v in row.items() if k != "category"},
                                                  "category": by_code[row["category"]]}) for row in RULES])


def unload_law(apps: Any, schema_editor: Any = None) -> None:
    for name in ("AmountRule", "BaseLevel", "TopUp"):
        apps.get_model("benefits", name).objects.all().delete()
    apps.get_model("benefits", "Category").objects.all().delete()
