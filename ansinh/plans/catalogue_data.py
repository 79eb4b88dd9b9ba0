"""The indicators of the seed plans and reports, shipped as data (loaded by migration 0002).

Each row names how its value arises: *counted* from a registry by a registered query
(`counted.QUERIES`), *declared* by units in periodic forms, or *derived* by a formula of other
indicators (codes, with `code.breakdown` for a part). A department edits names, sentences and
breakdowns in the UI; a changed definition gets a new row with new dates.

Sentence templates (editable per department): placeholders {value}, {unit}, {target},
{percent}, {breakdowns}, {change}, {period}, and any indicator's code for that
indicator's value ({poor_rate}); a part in [[…]] is left out when a placeholder
inside it has no value (no target, no breakdowns, nothing last year).

Legal basis of the sector's indicators: Circular 04/2024/TT-BLĐTBXH (indicator system of the
labour, meritorious-people and social sector) [S]; poverty figures: Decree 07/2021/NĐ-CP and
Decision 24/2021/QĐ-TTg; reporting: Decree 09/2019/NĐ-CP.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

C04 = "Thông tư 04/2024/TT-BLĐTBXH (hệ thống chỉ tiêu thống kê ngành)"
CHILDREN_BASIS = "Luật Trẻ em 102/2016/QH13 (Điều 1, 4, 10)"
CHILD_FRIENDLY_BASIS = "Quyết định 06/QĐ-TTg ngày 03/01/2019 của Thủ tướng Chính phủ"
POVERTY_BASIS = "Nghị định 07/2021/NĐ-CP; Quyết định 24/2021/QĐ-TTg (rà soát hộ nghèo, hộ cận nghèo)"

SEX = [{"code": "female", "name": "nữ", "dimension": "sex"}]
JOBS_BREAKDOWNS = [
    {"code": "female", "name": "nữ", "dimension": "sex"},
    {"code": "ethnic_minority", "name": "dân tộc", "dimension": "ethnicity"},
    {"code": "youth", "name": "lao động là thanh niên", "dimension": "age"},
]
DESTINATIONS = [
    {"code": "taiwan", "name": "Đài Loan", "dimension": "destination"},
    {"code": "japan", "name": "Nhật Bản", "dimension": "destination"},
    {"code": "korea", "name": "Hàn Quốc", "dimension": "destination"},
    {"code": "other", "name": "nước khác", "dimension": "destination"},
]
TRAINING = [
    {"code": "intermediate", "name": "trình độ trung cấp", "dimension": "training_level"},
    {"code": "elementary", "name": "sơ cấp", "dimension": "training_level"},
    {"code": "under_3_months", "name": "đào tạo dưới 03 tháng", "dimension": "training_level"},
    {"code": "non_farm", "name": "lĩnh vực phi nông nghiệp", "dimension": "training_field"},
    {"code": "farm", "name": "lĩnh vực nông nghiệp", "dimension": "training_field"},
]
NATIONALITIES = [
    {"code": "CN", "name": "người Trung Quốc", "dimension": "nationality"},
    {"code": "KR", "name": "người Hàn Quốc", "dimension": "nationality"},
    {"code": "JP", "name": "người Nhật Bản", "dimension": "nationality"},
    {"code": "TW", "name": "người Đài Loan (Trung Quốc)", "dimension": "nationality"},
    {"code": "other", "name": "quốc tịch khác", "dimension": "nationality"},
]
FUNDING = [
    {"code": "central", "name": "kinh phí Trung ương", "dimension": "funding"},
    {"code": "local", "name": "kinh phí địa phương", "dimension": "funding"},
]


# Care facilities and drug rehabilitation (issue 14 item 2).
CARE_BASIS = "Nghị định 20/2021/NĐ-CP, Chương V; Nghị định 103/2017/NĐ-CP"
REHAB_BASIS = "Luật Phòng, chống ma túy 73/2021/QH14 (Điều 28–40)"
CARE_GROUPS = [
    {"code": "elderly_disabled", "name": "người cao tuổi, người khuyết tật", "dimension": "group"},
    {"code": "mental_illness", "name": "người tâm thần", "dimension": "group"},
    {"code": "orphan", "name": "trẻ em mồ côi", "dimension": "group"},
]
REHAB_KINDS = [{"code": "compulsory", "name": "cai nghiện bắt buộc", "dimension": "group"},
               {"code": "voluntary", "name": "cai nghiện tự nguyện", "dimension": "group"}]


# The people served (issue 11): counted from entitlements and dossiers (ansinh.benefits.indicators).
MERIT_BASIS = "Pháp lệnh 02/2020/UBTVQH14; Nghị định 75/2021/NĐ-CP (sửa đổi bởi 55/2023, 77/2024)"
PENSION_BASIS = "Luật Bảo hiểm xã hội 41/2024/QH15 (Điều 21, 22); Nghị định 176/2025/NĐ-CP"
DOSSIER_BASIS = "Nghị định 20/2021/NĐ-CP; Nghị định 176/2025/NĐ-CP; Nghị định 131/2021/NĐ-CP"
SOCIAL_PENSION_FROM = dt.date(2025, 7, 1)
MERIT_BREAKDOWNS = [
    {"code": "pre1945", "name": "người hoạt động cách mạng trước ngày 01/01/1945", "dimension": "group"},
    {"code": "pre_uprising", "name": "người hoạt động cách mạng từ 01/01/1945 đến khởi nghĩa tháng Tám năm 1945",
     "dimension": "group"},
    {"code": "heroic_mother", "name": "Bà mẹ Việt Nam anh hùng", "dimension": "group"},
    {"code": "hero", "name": "Anh hùng Lực lượng vũ trang nhân dân, Anh hùng Lao động", "dimension": "group"},
    {"code": "war_invalid", "name": "thương binh", "dimension": "group"},
    {"code": "sick_soldier", "name": "bệnh binh", "dimension": "group"},
    {"code": "toxic_chemical", "name": "người hoạt động kháng chiến bị nhiễm chất độc hóa học", "dimension": "group"},
    {"code": "former_prisoner", "name": "người bị địch bắt tù, đày", "dimension": "group"},
    {"code": "resistance", "name": "người hoạt động kháng chiến", "dimension": "group"},
    {"code": "helper", "name": "người có công giúp đỡ cách mạng", "dimension": "group"},
]
SCHEME_BREAKDOWNS = [
    {"code": "social_assistance", "name": "trợ cấp xã hội", "dimension": "group"},
    {"code": "social_pension", "name": "trợ cấp hưu trí xã hội", "dimension": "group"},
    {"code": "meritorious", "name": "ưu đãi người có công", "dimension": "group"},
]


# The inspectorate (issue 14 item 4).
INSPECTION_BASIS = "Luật Thanh tra 11/2022/QH15; Nghị định 12/2022/NĐ-CP (xử phạt vi phạm hành chính lĩnh vực lao động)"
PETITIONS_BASIS = "Luật Khiếu nại 02/2011/QH13; Luật Tố cáo 25/2018/QH14; Luật 136/2025/QH15"


def _ind(code: str, name: str, unit: str, sector: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "name": name, "unit_of_measure": unit, "sector": sector, "source": "declared",
        "query": "", "formula": "", "aggregation": "sum", "over_time": "flow", "direction": "higher",
        "decimals": 0, "breakdowns": [], "sentence": "", "legal_basis": C04,
    }
    row.update(extra)
    return row


INDICATORS: list[dict[str, Any]] = [
    # --- Labour, employment, vocational training (seeds 001, 003, 004) ---
    _ind("jobs_created", "Số lao động được giải quyết việc làm", "lao động", "employment",
         source="counted", query="jobs_created", breakdowns=JOBS_BREAKDOWNS,
         sentence="Giải quyết việc làm cho {value} {unit}[[, đạt {percent} so với kế hoạch]]"
                  "[[ (trong đó {breakdowns})]]"),
    _ind("jobs_added", "Số việc làm tăng thêm", "lao động", "employment",
         source="counted", query="jobs_added", sentence="Tạo việc làm tăng thêm cho {value} {unit}[[, đạt {percent} kế hoạch]]"),
    _ind("overseas_workers", "Số lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng", "lao động",
         "employment", source="counted", query="overseas_workers", breakdowns=DESTINATIONS,
         sentence="Đưa {value} {unit} đi làm việc có thời hạn ở nước ngoài theo hợp đồng"
                  "[[, đạt {percent} kế hoạch]][[ (trong đó có {breakdowns})]]"),
    _ind("employed_regularly", "Số lao động trong độ tuổi có việc làm thường xuyên", "lao động", "employment",
         source="counted", query="employed_regularly", over_time="stock",
         sentence="Số lao động trong độ tuổi có việc làm thường xuyên {value} {unit}"
                  "[[, đạt {percent} kế hoạch]]"),
    _ind("job_counselling", "Số lượt lao động được tư vấn việc làm", "lượt", "employment",
         source="counted", query="job_counselling",
         breakdowns=[{"code": "unemployment_insurance", "name": "lượt người lao động đang hưởng trợ cấp thất nghiệp",
                      "dimension": "group"}],
         sentence="Tư vấn cho {value} {unit} lao động[[ (trong đó có {breakdowns})]]"),
    _ind("job_fairs", "Số phiên giao dịch việc làm", "phiên", "employment",
         source="counted", query="job_fairs", sentence="Tổ chức {value} {unit} giao dịch việc làm"),
    _ind("unemployment_dossiers", "Số hồ sơ hưởng bảo hiểm thất nghiệp được giải quyết", "hồ sơ", "employment",
         source="counted", query="unemployment_dossiers", sentence="Giải quyết {value} {unit} hưởng bảo hiểm thất nghiệp"),
    _ind("unemployment_amount", "Số tiền trợ cấp thất nghiệp đã giải quyết", "triệu đồng", "employment",
         source="counted", query="unemployment_amount", sentence="Tổng số tiền trợ cấp thất nghiệp {value} {unit}"),
    _ind("trained_workers", "Số người được tuyển sinh, đào tạo nghề", "người", "employment",
         source="counted", query="trained_workers", breakdowns=TRAINING,
         sentence="Tuyển sinh, đào tạo nghề cho {value} {unit}[[, đạt {percent} so với kế hoạch]]"
                  "[[ (trong đó: {breakdowns})]]"),
    _ind("trained_labour_rate", "Tỷ lệ lao động qua đào tạo", "%", "employment", source="counted", query="trained_labour_rate", aggregation="none",
         over_time="stock", decimals=2,
         sentence="Tỷ lệ lao động qua đào tạo đạt {value}{unit}[[ (kế hoạch {target}{unit})]]"),
    _ind("certified_labour_rate", "Tỷ lệ lao động qua đào tạo có văn bằng, chứng chỉ", "%", "employment",
         source="counted", query="certified_labour_rate", aggregation="none", over_time="stock", decimals=2,
         sentence="Tỷ lệ lao động qua đào tạo có văn bằng, chứng chỉ đạt {value}{unit}"
                  "[[ (kế hoạch {target}{unit})]]"),
    _ind("foreign_workers", "Số lao động nước ngoài đang làm việc trên địa bàn", "lao động", "employment",
         source="counted", query="foreign_workers", over_time="stock", breakdowns=NATIONALITIES,
         legal_basis="Bộ luật Lao động 45/2019/QH14 (Điều 151–157); Nghị định 152/2020/NĐ-CP; "
                     "Nghị định 219/2025/NĐ-CP",
         sentence="Quản lý {value} {unit} nước ngoài đang làm việc trên địa bàn[[ (trong đó {breakdowns})]]"),
    # --- Meritorious people (seeds 001, 004) ---
    _ind("merit_gift_recipients", "Số người có công được tặng quà", "người", "meritorious",
         source="counted", query="merit_gift_recipients",  # ansinh.payments.indicators_packages
         sentence="Tặng quà cho {value} {unit} có công với cách mạng"),
    _ind("merit_gift_amount", "Kinh phí tặng quà người có công", "triệu đồng", "meritorious", breakdowns=FUNDING,
         source="counted", query="merit_gift_amount",
         sentence="Tổng kinh phí tặng quà người có công {value} {unit}[[ (trong đó {breakdowns})]]"),
    _ind("merit_dossiers", "Số hồ sơ người có công được giải quyết", "hồ sơ", "meritorious", source="counted",
         query="merit_dossiers", legal_basis=MERIT_BASIS, sentence="Duyệt {value} {unit} tăng, giảm các loại"),
    # Counted from the registry of people served (ansinh.benefits.indicators), month at the period's end.
    _ind("merit_recipients", "Số người có công với cách mạng đang hưởng trợ cấp ưu đãi hằng tháng", "người",
         "meritorious", source="counted", query="merit_recipients", over_time="stock", legal_basis=MERIT_BASIS,
         breakdowns=MERIT_BREAKDOWNS,
         sentence="Chi trả trợ cấp ưu đãi hằng tháng cho {value} {unit} có công với cách mạng"
                  "[[ (trong đó {breakdowns})]]"),
    _ind("merit_relatives", "Số thân nhân người có công đang hưởng trợ cấp hằng tháng", "người", "meritorious",
         source="counted", query="merit_relatives", over_time="stock", legal_basis=MERIT_BASIS,
         breakdowns=[{"code": "martyr", "name": "thân nhân liệt sĩ", "dimension": "group"}],
         sentence="Chi trả trợ cấp hằng tháng cho {value} {unit} là thân nhân người có công[[ (trong đó {breakdowns})]]"),
    _ind("merit_amount", "Kinh phí trợ cấp ưu đãi người có công hằng tháng", "triệu đồng/tháng", "meritorious",
         source="counted", query="merit_amount", over_time="stock", legal_basis=MERIT_BASIS,
         sentence="Tổng kinh phí trợ cấp ưu đãi hằng tháng {value} {unit}"),
    _ind("gratitude_fund", "Số tiền vận động Quỹ Đền ơn đáp nghĩa", "triệu đồng", "meritorious",
         breakdowns=[{"code": "district_level", "name": "ở cấp huyện, thị xã", "dimension": "level"},
                     {"code": "commune_level", "name": "ở các xã, phường", "dimension": "level"}],
         sentence="Vận động Quỹ Đền ơn đáp nghĩa {value} {unit}[[, đạt {percent} kế hoạch]]"
                  "[[ (trong đó {breakdowns})]]"),
    # --- Poverty: counted from the household registry (Decree 07/2021, Decision 24/2021) ---
    _ind("households", "Tổng số hộ dân cư", "hộ", "poverty", source="counted", query="households",
         over_time="stock", legal_basis=POVERTY_BASIS, sentence=""),
    _ind("khmer_households", "Số hộ dân tộc Khmer", "hộ", "poverty", source="counted", query="khmer_households",
         over_time="stock", legal_basis=POVERTY_BASIS, sentence=""),
    _ind("poor_households", "Số hộ nghèo", "hộ", "poverty", source="counted", query="poor_households",
         over_time="stock", direction="lower", legal_basis=POVERTY_BASIS,
         breakdowns=[{"code": "khmer", "name": "hộ nghèo dân tộc Khmer", "dimension": "ethnicity"},
                     {"code": "minority", "name": "hộ nghèo dân tộc thiểu số", "dimension": "ethnicity"},
                     {"code": "no_working_capacity", "name": "hộ nghèo không có khả năng lao động",
                      "dimension": "group"},
                     {"code": "social_protection", "name": "hộ nghèo thuộc chính sách bảo trợ xã hội",
                      "dimension": "group"},
                     {"code": "meritorious", "name": "hộ nghèo có người có công", "dimension": "group"}],
         sentence="Tổng số hộ nghèo là {value} {unit}, chiếm {poor_rate} so với tổng số hộ dân cư"
                  "[[ (trong đó: {breakdowns})]]"
                  "[[; hộ nghèo dân tộc Khmer chiếm {khmer_poor_rate} so với tổng số hộ dân tộc Khmer]]"),
    _ind("near_poor_households", "Số hộ cận nghèo", "hộ", "poverty", source="counted",
         query="near_poor_households", over_time="stock", direction="lower", legal_basis=POVERTY_BASIS,
         breakdowns=[{"code": "khmer", "name": "hộ cận nghèo dân tộc Khmer", "dimension": "ethnicity"}],
         sentence="Tổng số hộ cận nghèo là {value} {unit}, chiếm {near_poor_rate} so với tổng số hộ dân cư"
                  "[[ (trong đó: {breakdowns})]]"
                  "[[; hộ cận nghèo dân tộc Khmer chiếm {khmer_near_poor_rate} so với tổng số hộ dân tộc Khmer]]"),
    _ind("poor_rate", "Tỷ lệ hộ nghèo", "%", "poverty", source="derived", aggregation="formula",
         formula="poor_households / households * 100", over_time="stock", direction="lower", decimals=2,
         legal_basis=POVERTY_BASIS, sentence=""),
    _ind("near_poor_rate", "Tỷ lệ hộ cận nghèo", "%", "poverty", source="derived", aggregation="formula",
         formula="near_poor_households / households * 100", over_time="stock", direction="lower", decimals=2,
         legal_basis=POVERTY_BASIS, sentence=""),
    _ind("khmer_poor_rate", "Tỷ lệ hộ nghèo dân tộc Khmer", "%", "poverty", source="derived",
         aggregation="formula", formula="poor_households.khmer / khmer_households * 100", over_time="stock",
         direction="lower", decimals=2, legal_basis=POVERTY_BASIS, sentence=""),
    _ind("khmer_near_poor_rate", "Tỷ lệ hộ cận nghèo dân tộc Khmer", "%", "poverty", source="derived",
         aggregation="formula", formula="near_poor_households.khmer / khmer_households * 100", over_time="stock",
         direction="lower", decimals=2, legal_basis=POVERTY_BASIS, sentence=""),
    _ind("poor_reduction", "Số hộ nghèo giảm so với kỳ rà soát trước", "hộ", "poverty", source="counted",
         query="poor_reduction", over_time="stock", legal_basis=POVERTY_BASIS,
         sentence="Số hộ nghèo {fall} so với kỳ rà soát trước[[, đạt {percent} kế hoạch]]"),
    _ind("previous_households", "Tổng số hộ dân cư kỳ rà soát trước", "hộ", "poverty", source="counted",
         query="previous_households", over_time="stock", legal_basis=POVERTY_BASIS, sentence=""),
    _ind("previous_poor_households", "Số hộ nghèo kỳ rà soát trước", "hộ", "poverty", source="counted",
         query="previous_poor_households", over_time="stock", direction="lower", legal_basis=POVERTY_BASIS,
         sentence=""),
    _ind("poor_rate_reduction", "Mức giảm tỷ lệ hộ nghèo so với kỳ rà soát trước", "%", "poverty",
         source="derived", aggregation="formula", over_time="stock", decimals=2, legal_basis=POVERTY_BASIS,
         formula="previous_poor_households / previous_households * 100 - poor_households / households * 100",
         sentence="Tỷ lệ hộ nghèo {fall}[[ (kế hoạch giảm {target}{unit})]]"),
    _ind("escaped_poverty", "Số hộ thoát nghèo", "hộ", "poverty", source="counted", query="escaped_poverty",
         over_time="stock", legal_basis=POVERTY_BASIS, sentence="Có {value} {unit} thoát nghèo"),
    _ind("new_poor", "Số hộ nghèo phát sinh", "hộ", "poverty", source="counted", query="new_poor",
         over_time="stock", direction="lower", legal_basis=POVERTY_BASIS,
         sentence="Phát sinh {value} {unit} nghèo mới"),
    _ind("near_poor_tet_gifts", "Số hộ cận nghèo được tặng quà Tết", "hộ", "poverty",
         source="counted", query="near_poor_tet_gifts",
         sentence="Tặng quà Tết cho {value} {unit} cận nghèo"),
    _ind("near_poor_health_insurance_rate", "Tỷ lệ người thuộc hộ cận nghèo tham gia bảo hiểm y tế", "%",
         "poverty", aggregation="none", over_time="stock", decimals=1,
         sentence="Tỷ lệ người thuộc hộ cận nghèo tham gia bảo hiểm y tế đạt {value}{unit}"
                  "[[ (kế hoạch {target}{unit})]]"),
    # --- Social protection (seed 001) ---
    _ind("social_allowance_recipients", "Số người hưởng trợ cấp xã hội hàng tháng", "người", "social_protection",
         source="counted", query="social_allowance_recipients", over_time="stock",
         legal_basis="Nghị định 20/2021/NĐ-CP",
         sentence="Chi trả trợ cấp xã hội hàng tháng cho {value} {unit}"),
    _ind("social_allowance_amount", "Kinh phí trợ cấp xã hội hàng tháng", "triệu đồng/tháng", "social_protection",
         source="counted", query="social_allowance_amount", over_time="stock", legal_basis="Nghị định 20/2021/NĐ-CP",
         sentence="Tổng kinh phí trợ cấp xã hội hàng tháng {value} {unit}"),
    _ind("social_pension_recipients", "Số người hưởng trợ cấp hưu trí xã hội", "người", "social_protection",
         source="counted", query="social_pension_recipients", over_time="stock", legal_basis=PENSION_BASIS,
         valid_from=SOCIAL_PENSION_FROM, sentence="Chi trả trợ cấp hưu trí xã hội hằng tháng cho {value} {unit}"),
    _ind("social_pension_amount", "Kinh phí trợ cấp hưu trí xã hội hằng tháng", "triệu đồng/tháng",
         "social_protection", source="counted", query="social_pension_amount", over_time="stock",
         legal_basis=PENSION_BASIS, valid_from=SOCIAL_PENSION_FROM,
         sentence="Tổng kinh phí trợ cấp hưu trí xã hội hằng tháng {value} {unit}"),
    _ind("benefit_dossiers_received", "Số hồ sơ đề nghị hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng tiếp nhận",
         "hồ sơ", "social_protection", source="counted", query="benefit_dossiers_received", legal_basis=DOSSIER_BASIS,
         breakdowns=SCHEME_BREAKDOWNS,
         sentence="Tiếp nhận {value} {unit} đề nghị hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng"
                  "[[ (trong đó {breakdowns})]]"),
    _ind("benefit_dossiers_decided", "Số hồ sơ hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng đã quyết định",
         "hồ sơ", "social_protection", source="counted", query="benefit_dossiers_decided", legal_basis=DOSSIER_BASIS,
         breakdowns=SCHEME_BREAKDOWNS,
         sentence="Quyết định {value} {unit} hưởng, điều chỉnh, thôi hưởng trợ cấp hằng tháng"
                  "[[ (trong đó {breakdowns})]]"),
    # Care facilities (issue 14 item 2): counted from the stays (ansinh.care.indicators_facilities).
    _ind("care_admissions", "Số đối tượng được quyết định tiếp nhận vào cơ sở trợ giúp xã hội", "đối tượng",
         "social_protection", source="counted", query="care_admissions", legal_basis=CARE_BASIS,
         sentence="Cơ sở bảo trợ xã hội quyết định tiếp nhận {value} {unit}"),
    _ind("care_discharges", "Số đối tượng được quyết định dừng trợ giúp tại cơ sở trợ giúp xã hội", "đối tượng",
         "social_protection", source="counted", query="care_discharges", legal_basis=CARE_BASIS,
         sentence="Quyết định dừng trợ giúp {value} {unit}"),
    _ind("care_centre_residents", "Số đối tượng đang được chăm sóc, nuôi dưỡng tại cơ sở bảo trợ xã hội",
         "đối tượng", "social_protection", over_time="stock", source="counted", query="care_centre_residents",
         legal_basis=CARE_BASIS, breakdowns=CARE_GROUPS,
         sentence="Cơ sở bảo trợ xã hội đang chăm sóc, nuôi dưỡng {value} {unit}[[ (trong đó {breakdowns})]]"),
    _ind("elderly_longevity_gifts", "Số người cao tuổi được chúc thọ, mừng thọ", "người", "social_protection",
         source="counted", query="elderly_longevity_gifts",
         breakdowns=[{"code": "age_100", "name": "cụ tròn 100 tuổi", "dimension": "age"},
                     {"code": "age_90", "name": "cụ tròn 90 tuổi", "dimension": "age"}],
         sentence="Chúc thọ, mừng thọ cho {value} {unit} cao tuổi[[ (trong đó {breakdowns})]]"),
    # --- Children and gender equality (seeds 001, 004) ---
    # The three rates of seed 004 (target 5): each a formula over two counted rows
    # (ansinh.care.indicators_children), so that numerators and denominators add up the map.
    _ind("child_friendly_communes", "Số xã, phường đạt tiêu chuẩn phù hợp với trẻ em", "xã", "children",
         source="counted", query="child_friendly_communes", over_time="stock", legal_basis=CHILD_FRIENDLY_BASIS),
    _ind("communes_total", "Tổng số xã, phường", "xã", "children", source="counted", query="communes_total",
         over_time="stock"),
    _ind("child_friendly_commune_rate", "Tỷ lệ xã, phường đạt tiêu chuẩn phù hợp với trẻ em", "%", "children",
         source="derived", aggregation="formula", formula="child_friendly_communes / communes_total * 100",
         over_time="stock", decimals=1, legal_basis=CHILD_FRIENDLY_BASIS,
         sentence="Tỷ lệ xã, phường đạt tiêu chuẩn phù hợp với trẻ em {value}{unit}[[ (kế hoạch {target}{unit})]]"),
    _ind("special_children", "Số trẻ em có hoàn cảnh đặc biệt", "em", "children", source="counted",
         query="special_children", over_time="stock", legal_basis=CHILDREN_BASIS),
    _ind("special_children_supported", "Số trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp", "em",
         "children", source="counted", query="special_children_supported", over_time="stock",
         legal_basis=CHILDREN_BASIS),
    _ind("special_children_care_rate", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp",
         "%", "children", source="derived", aggregation="formula",
         formula="special_children_supported / special_children * 100", over_time="stock", decimals=1,
         legal_basis=CHILDREN_BASIS,
         sentence="Tỷ lệ trẻ em có hoàn cảnh đặc biệt được chăm sóc, trợ giúp đạt {value}{unit}"
                  "[[ (kế hoạch {target}{unit})]]"),
    _ind("children_abused", "Số trẻ em bị xâm hại", "em", "children", source="counted", query="children_abused",
         over_time="stock", direction="lower", legal_basis=CHILDREN_BASIS),
    _ind("children_total", "Tổng số trẻ em", "em", "children", source="counted", query="children_total",
         over_time="stock", legal_basis=CHILDREN_BASIS),
    _ind("child_abuse_rate", "Tỷ lệ trẻ em bị xâm hại trên tổng số trẻ em", "%", "children", source="derived",
         aggregation="formula", formula="children_abused / children_total * 100", over_time="stock",
         direction="lower", decimals=2, legal_basis=CHILDREN_BASIS,
         sentence="Tỷ lệ trẻ em bị xâm hại {value}{unit}[[ (kế hoạch dưới {target}{unit})]]"),
    _ind("children_gifts", "Số trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn được tặng quà", "em", "children",
         source="counted", query="children_gifts",
         sentence="Thăm và tặng quà cho {value} trẻ em nghèo, có hoàn cảnh đặc biệt khó khăn"),
    # --- Social evils (seed 001) ---
    _ind("rehab_admissions", "Số học viên cai nghiện ma túy được tiếp nhận", "học viên", "social_evils",
         source="counted", query="rehab_admissions", legal_basis=REHAB_BASIS, breakdowns=REHAB_KINDS,
         sentence="Cơ sở cai nghiện ma túy tiếp nhận {value} {unit}[[ (trong đó {breakdowns})]]"),
    _ind("rehab_reintegrated", "Số học viên cai nghiện ma túy được giải quyết tái hòa nhập cộng đồng", "học viên",
         "social_evils", source="counted", query="rehab_reintegrated", legal_basis=REHAB_BASIS,
         breakdowns=REHAB_KINDS,
         sentence="Giải quyết tái hòa nhập cộng đồng {value} {unit}[[ (trong đó {breakdowns})]]"),
    _ind("rehab_residents", "Số học viên đang quản lý tại cơ sở cai nghiện", "học viên", "social_evils",
         over_time="stock", source="counted", query="rehab_residents", legal_basis=REHAB_BASIS,
         breakdowns=REHAB_KINDS,
         sentence="Cơ sở cai nghiện ma túy đang quản lý {value} {unit}[[ (trong đó {breakdowns})]]"),
    # Counted from the inspectorate's records (ansinh.care.indicators_inspections, issue 14 item 4).
    _ind("establishments_inspected", "Số cơ sở kinh doanh, dịch vụ được kiểm tra", "cơ sở", "social_evils",
         source="counted", query="establishments_inspected",
         sentence="Đội kiểm tra liên ngành kiểm tra {value} {unit} kinh doanh, dịch vụ"
                  "[[, phát hiện {establishments_with_violations} cơ sở vi phạm]]"),
    _ind("establishments_with_violations", "Số cơ sở kinh doanh, dịch vụ được kiểm tra phát hiện vi phạm", "cơ sở",
         "social_evils", source="counted", query="establishments_with_violations", direction="lower",
         legal_basis=INSPECTION_BASIS, sentence=""),
    # --- Inspection and administration (seed 001) ---
    _ind("citizens_received", "Số lượt công dân được tiếp", "lượt", "inspection",
         source="counted", query="citizens_received",
         sentence="Tiếp {value} {unit} công dân"),
    _ind("petitions_received", "Số đơn khiếu nại, tố cáo tiếp nhận", "đơn", "inspection",
         source="counted", query="petitions_received", legal_basis=PETITIONS_BASIS,
         sentence="Tiếp nhận {value} {unit} khiếu nại, tố cáo"),
    _ind("petitions_on_time", "Số đơn khiếu nại, tố cáo giải quyết đúng hạn", "đơn", "inspection",
         source="counted", query="petitions_on_time", legal_basis=PETITIONS_BASIS,
         sentence="Giải quyết đúng hạn {value} {unit} khiếu nại, tố cáo"),
    _ind("admin_dossiers", "Số hồ sơ thủ tục hành chính tiếp nhận", "hồ sơ", "administration",
         source="counted", query="admin_dossiers",  # ansinh.procedures.indicators
         sentence="Tiếp nhận {value} {unit} yêu cầu giải quyết thủ tục hành chính"),
    _ind("admin_dossiers_on_time", "Số hồ sơ thủ tục hành chính trả kết quả đúng và trước hạn", "hồ sơ",
         "administration", source="counted", query="admin_dossiers_on_time",
         sentence="Trả kết quả đúng và trước hạn {value} {unit}[[, đạt {admin_on_time_rate}]]"),
    _ind("admin_on_time_rate", "Tỷ lệ hồ sơ thủ tục hành chính trả đúng hạn", "%", "administration",
         source="derived", aggregation="formula", formula="admin_dossiers_on_time / admin_dossiers * 100",
         over_time="flow", decimals=1, sentence=""),
]


# Shipped sentences corrected since an earlier release: (code, the old text). A migration puts
# the new text (in INDICATORS) where a database still has the old one (a department's edit is kept).
SENTENCE_FIXES: list[tuple[str, str]] = [
    ("poor_households",
     "Tổng số hộ nghèo là {value} {unit}, chiếm {poor_rate} so với tổng số hộ dân cư[[ (trong đó: {breakdowns})]]"),
    ("near_poor_households",
     "Tổng số hộ cận nghèo là {value} {unit}, chiếm {near_poor_rate} so với tổng số hộ dân cư"
     "[[ (trong đó: {breakdowns})]]"),
    ("poor_reduction", "Số hộ nghèo giảm {value} {unit} so với kỳ rà soát trước[[, đạt {percent} kế hoạch]]"),
    ("poor_rate_reduction", "Tỷ lệ hộ nghèo giảm {value}{unit}[[ (kế hoạch giảm {target}{unit})]]"),
    ("admin_dossiers_on_time", "Trả kết quả đúng và trước hạn {value} {unit}[[, đạt {on_time_rate}]]"),
]


def fix_sentences(indicator_model: Any) -> None:
    """Replaces the shipped sentences listed in SENTENCE_FIXES where they were not edited."""
    current = {row["code"]: row["sentence"] for row in INDICATORS}
    for code, old in SENTENCE_FIXES:
        indicator_model.objects.filter(code=code, sentence=old).update(sentence=current[code])


def load_catalogue(indicator_model: Any) -> None:
    """Creates the shipped indicators that are missing (never overwrites a department's edits)."""
    existing = set(indicator_model.objects.values_list("code", flat=True))
    indicator_model.objects.bulk_create(
        indicator_model(order=10 * index, **row) for index, row in enumerate(INDICATORS) if row["code"] not in existing
    )
