"""The example workbooks in examples/: the plans of seeds 001, 003, 004 and the seed 001 report's
first-quarter form. `python -m ansinh.plans.examples` writes them (no database needed: names
come from the official map data, indicators from the shipped catalogue); the same content
always gives the same bytes. The tests import each file and check its figures.

Splits among units are invented (the seeds do not carry their appendices): a total is shared
by fixed weights (about the units' numbers of households) with the largest-remainder method,
so the parts add up exactly; rates per commune vary around the plan's rate.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
TRA_VINH_PLAN = "tra-vinh-2020-plan.xlsx"
TRA_VINH_Q1 = "tra-vinh-2020-q1.xlsx"
TRA_CU_PLAN = "tra-cu-2023-plan.xlsx"
DONG_HOA_PLAN = "dong-hoa-2022-plan.xlsx"
FILES = [TRA_VINH_PLAN, TRA_VINH_Q1, TRA_CU_PLAN, DONG_HOA_PLAN]

SO_LDTBXH = "Sở Lao động - Thương binh và Xã hội"
TRA_VINH_NUMBER = "15/KH-SLĐTBXH"
TRA_CU_NUMBER = "12/KH-UBND"
DONG_HOA_NUMBER = "20/KH-UBND"  # the seed leaves the number blank (an unsigned draft): invented
TRA_CU_DISTRICT = "849"  # Huyện Trà Cú, legacy map, in legacy Trà Vinh (84)
DONG_HOA_TOWN = "564"  # Thị xã Đông Hòa, legacy map, in legacy Phú Yên (54)
SEED_DEADLINES = {"deadline_quarter": "last:15", "deadline_half": "05-30", "deadline_year": "12-05"}  # seed 004


def split(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """`total` shared in proportion to `weights`, in whole numbers that add up to it exactly
    (largest remainder; ties go to the lower code)."""
    whole = sum(weights.values())
    shares = {code: total * weight / whole for code, weight in weights.items()}
    parts = {code: int(share) for code, share in shares.items()}
    rest = total - sum(parts.values())
    for code in sorted(weights, key=lambda c: (-(shares[c] - parts[c]), c))[:rest]:
        parts[code] += 1
    return parts


def unit_names(edition: str, parent: str) -> dict[str, str]:
    """Code → name of the units directly under `parent` on one map (official data, no database)."""
    from ansinh.geo.loader import official_rows

    return {row.code: row.name for row in official_rows() if row.edition == edition and row.parent == (edition, parent)}


def _names_for(weights: Mapping[str, float], edition: str, parent: str) -> dict[str, str]:
    names = unit_names(edition, parent)
    if set(names) != set(weights):
        raise RuntimeError(f"The units under {parent} changed: {sorted(set(names) ^ set(weights))}.")
    return names


def _indicator_names() -> dict[str, str]:
    from .catalogue_data import INDICATORS

    return {row["code"]: row["name"] for row in INDICATORS}


def _target(code: str, unit: str | None, unit_name: str, value: Any, *, breakdown: str = "", note: str = "",
            period: str = "") -> dict[str, Any]:
    return {"indicator": code, "indicator_name": _indicator_names()[code], "unit": unit, "unit_name": unit_name,
            "period": period or None, "breakdown": breakdown or None, "value": value, "note": note or None}


def _split_targets(code: str, total: int, weights: Mapping[str, float], names: Mapping[str, str], own_name: str,
                   *, note: str = "") -> list[dict[str, Any]]:
    """The plan unit's target (unit left blank: the plan's own) and its split among the units."""
    rows = [_target(code, None, own_name, total, note=note)]
    rows += [_target(code, c, names[c], v) for c, v in sorted(split(total, weights).items())]
    return rows


def _rates(code: str, own: Decimal, per_unit: Mapping[str, str], names: Mapping[str, str], own_name: str,
           *, note: str = "") -> list[dict[str, Any]]:
    rows = [_target(code, None, own_name, float(own), note=note)]
    rows += [_target(code, c, names[c], float(Decimal(v))) for c, v in sorted(per_unit.items())]
    return rows


def _task(order: int, sector: str, description: str, lead: str, partners: Sequence[str] = (), *,
          due_on: dt.date | None = None, due_period: str = "", condition: str = "", status: str = "") -> dict[str, Any]:
    from .importer import SECTOR_LABELS, TASK_STATUS_LABELS

    return {"order": order, "sector": SECTOR_LABELS[sector], "description": description, "lead": lead,
            "partners": "; ".join(partners) or None, "due_on": due_on, "due_period": due_period or None,
            "due_condition": condition or None, "status": TASK_STATUS_LABELS[status] if status else None}


# --- Seed 001: the plan of the Trà Vinh department of labour for 2020 ----------------------------
# The seed is the first-quarter report; its percentages give the plan's targets: 7,645 jobs are
# 33% of 23,000; 192 overseas workers 21.3% of 900; 2,650 trained 13.25% of 20,000.

TRA_VINH_DISTRICTS = {  # legacy districts of Trà Vinh (84): weights ≈ thousands of households
    "842": 29, "844": 40, "845": 28, "846": 28, "847": 37, "848": 33, "849": 45, "850": 15, "851": 13}
TRA_VINH_POOR_RATE_CUT = {  # the reduction of the poor rate each district is given (percentage points)
    "842": "0.3", "844": "0.8", "845": "1", "846": "0.9", "847": "1.1", "848": "1.4", "849": "1.5", "850": "1.3",
    "851": "0.7"}
TRA_VINH_FORM = ["jobs_created", "overseas_workers", "job_counselling", "job_fairs", "unemployment_dossiers",
                 "unemployment_amount", "trained_workers", "merit_gift_recipients", "merit_gift_amount",
                 "merit_dossiers", "gratitude_fund", "households", "khmer_households", "poor_households",
                 "near_poor_households", "near_poor_tet_gifts", "social_allowance_recipients",
                 "social_allowance_amount", "care_centre_residents", "elderly_longevity_gifts", "children_gifts",
                 "rehab_admissions", "rehab_residents", "establishments_inspected", "citizens_received",
                 "admin_dossiers", "admin_dossiers_on_time"]


def tra_vinh_plan() -> Any:
    from .importer import PlanBook

    names = _names_for(TRA_VINH_DISTRICTS, "legacy", "84")
    own = "Tỉnh Trà Vinh"
    poor_weights = {c: w * float(TRA_VINH_POOR_RATE_CUT[c]) for c, w in TRA_VINH_DISTRICTS.items()}
    targets = (
        _split_targets("jobs_created", 23000, TRA_VINH_DISTRICTS, names, own)
        + _split_targets("overseas_workers", 900, TRA_VINH_DISTRICTS, names, own)
        + _split_targets("trained_workers", 20000, TRA_VINH_DISTRICTS, names, own)
        + _split_targets("gratitude_fund", 4500, TRA_VINH_DISTRICTS, names, own)
        + _split_targets("poor_reduction", 2860, poor_weights, names, own,
                         note="1% của 286.149 hộ dân cư theo rà soát cuối năm 2019")
        + _rates("poor_rate_reduction", Decimal("1"), TRA_VINH_POOR_RATE_CUT, names, own)
    )
    lead_jobs, lead_training = "Phòng Lao động - Việc làm", "Phòng Giáo dục nghề nghiệp"
    lead_merit, lead_social = "Phòng Người có công", "Phòng Bảo trợ xã hội"
    q2 = "2020-Q2"
    tasks = [
        _task(1, "employment", "Tăng cường tổ chức các cuộc hội thảo, tư vấn giới thiệu việc làm, đẩy mạnh hoạt động "
              "tuyển dụng, đào tạo cung ứng lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng, sau khi hết "
              "dịch Covid-19. Khẩn trương triển khai cập nhật thông tin thị trường lao động năm 2020 cho các huyện, "
              "thị xã, thành phố. Phối hợp với các doanh nghiệp triển khai Tháng hành động An toàn vệ sinh lao động "
              "năm 2020. Tiếp nhận, thẩm định và thông báo nội quy lao động của doanh nghiệp. Thẩm định hồ sơ cấp "
              "phép lao động cho lao động là người nước ngoài.", lead_jobs, ["Trung tâm Dịch vụ việc làm"],
              due_period=q2),
        _task(2, "employment", "Tổ chức sơ khảo, lựa chọn mô hình trang thiết bị đào tạo tự làm của tỉnh, chuẩn bị "
              "tham gia Hội thi cấp quốc gia năm 2020. Triển khai kế hoạch kiểm tra giám sát công tác đào tạo nghề cho "
              "lao động nông thôn năm 2020 tại các huyện, thị xã, thành phố. Phối hợp Trường Cao đẳng nghề tổ chức "
              "ngày hội tuyển sinh định hướng giáo dục nghề nghiệp, việc làm năm 2020. Hướng dẫn các cơ sở giáo dục "
              "nghề nghiệp quy trình đăng ký hoạt động giáo dục nghề nghiệp trình độ trung cấp, sơ cấp và đào tạo "
              "dưới 03 tháng.", lead_training, ["Trường Cao đẳng nghề Trà Vinh"], due_period=q2),
        _task(3, "meritorious", "Tiếp tục thực hiện tốt các chế độ, chính sách ưu đãi đối với người có công với cách "
              "mạng. Phối hợp Hội đồng giám định Y khoa tỉnh giám định tỷ lệ thương tật, bệnh tật cho người hoạt động "
              "kháng chiến bị nhiễm chất độc hóa học. Thẩm định hồ sơ, trình UBND tỉnh giải quyết chế độ mai táng "
              "phí, BHYT cho người có công. Tổ chức đưa người có công đi điều dưỡng tập trung và tham quan Thủ đô Hà "
              "Nội. Tiếp tục rà soát hồ sơ người có công còn tồn đọng trên địa bàn tỉnh.", lead_merit,
              ["Hội đồng Giám định Y khoa tỉnh"], due_period=q2),
        _task(4, "poverty", "Triển khai kế hoạch kiểm tra, giám sát Chương trình mục tiêu quốc gia giảm nghèo bền vững "
              "trên địa bàn tỉnh. Tổ chức thực hiện dự án nhân rộng mô hình giảm nghèo trên địa bàn huyện Châu Thành. "
              "Xây dựng dự thảo báo cáo của Ủy ban nhân dân tỉnh tổng kết Chương trình mục tiêu quốc gia giảm nghèo "
              "bền vững giai đoạn 2016 – 2020. Xây dựng kế hoạch tổ chức đối thoại chính sách giảm nghèo; dự án nâng "
              "cao năng lực và giám sát đánh giá; dự án truyền thông về giảm nghèo.", lead_social,
              ["Ủy ban nhân dân huyện Châu Thành"], due_period=q2),
        _task(5, "social_protection", "Tổ chức hoạt động kỷ niệm ngày Công tác xã hội Việt Nam (25/3/2020), tổ chức "
              "mừng thọ cho các cụ tròn 100 tuổi và 90 tuổi. Tổng hợp ý kiến đóng góp dự thảo Nghị định thay thế "
              "Nghị định 136/2013/NĐ-CP. Triển khai kế hoạch tập huấn bồi dưỡng nghiệp vụ về chính sách trợ giúp xã "
              "hội cho cán bộ làm công tác bảo trợ xã hội cấp huyện, cấp xã và cộng tác viên ấp, khóm năm 2020.",
              lead_social, [], due_period=q2),
        _task(6, "children", "Triển khai các hoạt động của Chương trình mục tiêu Phát triển hệ thống trợ giúp xã hội "
              "trong lĩnh vực trẻ em năm 2020 (Quyết định số 565/QĐ-TTg của Thủ tướng Chính phủ). Hướng dẫn công tác "
              "trẻ em năm 2020. Tổng hợp báo cáo tình hình thực hiện mục tiêu quốc gia về bình đẳng giới năm 2019. Tổ "
              "chức các lớp tập huấn công tác bình đẳng giới, vì sự tiến bộ của phụ nữ.",
              "Phòng Bảo vệ, chăm sóc trẻ em và Bình đẳng giới", [], due_period=q2),
        _task(7, "social_evils", "Tăng cường tuyên truyền, thực hiện Nghị quyết Hội đồng nhân dân về chế độ, chính "
              "sách đối với người cai nghiện ma túy tự nguyện. Đội kiểm tra liên ngành 178 tăng cường kiểm tra, kiểm "
              "soát, quản lý chặt chẽ các hoạt động kinh doanh, dịch vụ nhạy cảm dễ phát sinh tệ nạn xã hội; kịp thời "
              "nắm bắt tình hình đối tượng, tụ điểm để có biện pháp đấu tranh và triệt xóa.",
              "Phòng Phòng, chống tệ nạn xã hội", ["Đội kiểm tra liên ngành 178", "Công an tỉnh"], due_period=q2),
        _task(8, "inspection", "Tiếp công dân theo đúng quy định. Tiếp tục thanh tra việc thực hiện chính sách trợ "
              "giúp đối với đối tượng bảo trợ xã hội tại cộng đồng của huyện Cầu Kè. Xây dựng kế hoạch thanh tra tại "
              "huyện Châu Thành. Thanh tra việc thực hiện pháp luật lao động, BHXH, BHYT, BHTN, ATVSLĐ tại các doanh "
              "nghiệp trên địa bàn tỉnh.", "Thanh tra Sở", [], due_period=q2),
        _task(9, "administration", "Tiếp tục thực hiện nghiêm chỉ đạo của Tỉnh ủy, Ủy ban nhân dân tỉnh về phòng, "
              "chống dịch bệnh viêm phổi do vi rút Covid-19 gây ra; tập trung cách ly số lao động người nước ngoài từ "
              "vùng dịch hoặc đi qua vùng dịch nhập cảnh vào Việt Nam để trở lại nơi làm việc.", lead_jobs,
              ["Sở Y tế", "Công an tỉnh"], due_period=q2),
    ]
    fields = {
        "doc_type": "KH", "number": TRA_VINH_NUMBER, "agency": SO_LDTBXH, "agency_symbol": "SLĐTBXH",
        "agency_kind": "Sở", "parent": "Ủy ban nhân dân tỉnh Trà Vinh", "parent_symbol": "UBND", "unit": "84",
        "edition": "legacy", "year": 2020, "place": "Trà Vinh", "issued_on": dt.date(2020, 1, 10),
        "title": "Thực hiện nhiệm vụ công tác lao động, người có công và xã hội năm 2020",
        "basis": ["Căn cứ Nghị quyết số 76/2014/QH13 ngày 24/6/2014 của Quốc hội về đẩy mạnh thực hiện mục tiêu giảm "
                  "nghèo bền vững đến năm 2020;",
                  "Căn cứ chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2020 do Ủy ban nhân dân tỉnh Trà Vinh "
                  "giao;"],
        "situation": ["Theo kết quả rà soát cuối năm 2019, toàn tỉnh còn 9.214 hộ nghèo, chiếm 3,22% so với tổng số "
                      "hộ dân cư (trong đó 5.394 hộ nghèo dân tộc Khmer, 1.573 hộ nghèo thuộc chính sách bảo trợ xã "
                      "hội) và 19.474 hộ cận nghèo."],
        "objectives": ["Giải quyết việc làm cho 23.000 lao động, trong đó đưa 900 lao động đi làm việc có thời hạn ở "
                       "nước ngoài theo hợp đồng; tuyển sinh, đào tạo nghề cho 20.000 người.",
                       "Giảm tỷ lệ hộ nghèo 1% (2.860 hộ) so với kết quả rà soát cuối năm 2019.",
                       "Vận động Quỹ Đền ơn đáp nghĩa 4.500 triệu đồng; thực hiện đầy đủ, kịp thời các chính sách ưu "
                       "đãi người có công, trợ giúp xã hội, bảo vệ và chăm sóc trẻ em."],
        "recipients": ["Bộ Lao động - TBXH;", "UBND tỉnh;", "Sở Kế hoạch và Đầu tư;", "Cục Thống kê;",
                       "Các phòng, đơn vị thuộc Sở;", "Phòng LĐTBXH các huyện, thị xã, thành phố;", "Lưu: VT, VP."],
        "signer_title": "GIÁM ĐỐC", "signer_name": "Nguyễn Văn Út",
        **SEED_DEADLINES,
        "form_codes": TRA_VINH_FORM, "percent_decimals": 1, "status": "Đã ban hành",
    }
    return PlanBook(fields, targets, tasks)


# Seed 001's figures for the first quarter of 2020 (code, breakdown) → value, with notes.
TRA_VINH_Q1_VALUES: dict[tuple[str, str], int] = {
    ("jobs_created", ""): 7645, ("jobs_created", "female"): 3899, ("jobs_created", "ethnic_minority"): 2142,
    ("jobs_created", "youth"): 4969,
    ("overseas_workers", ""): 192, ("overseas_workers", "taiwan"): 61, ("overseas_workers", "japan"): 128,
    ("overseas_workers", "korea"): 3,
    ("job_counselling", ""): 11913, ("job_counselling", "unemployment_insurance"): 11142,
    ("job_fairs", ""): 2, ("unemployment_dossiers", ""): 1506, ("unemployment_amount", ""): 13747,
    ("trained_workers", ""): 2650, ("trained_workers", "intermediate"): 419, ("trained_workers", "elementary"): 210,
    ("trained_workers", "under_3_months"): 2031,
    ("merit_gift_recipients", ""): 23435, ("merit_gift_amount", ""): 11076, ("merit_gift_amount", "central"): 4733,
    ("merit_gift_amount", "local"): 6342, ("merit_dossiers", ""): 166,
    ("households", ""): 286149, ("khmer_households", ""): 89157,
    ("poor_households", ""): 9214, ("poor_households", "khmer"): 5394, ("poor_households", "social_protection"): 1573,
    ("near_poor_households", ""): 19474, ("near_poor_households", "khmer"): 10181,
    ("near_poor_tet_gifts", ""): 19474,
    ("social_allowance_recipients", ""): 32413, ("social_allowance_amount", ""): 12220,
    ("care_centre_residents", ""): 155,
    ("elderly_longevity_gifts", ""): 770, ("elderly_longevity_gifts", "age_100"): 35,
    ("elderly_longevity_gifts", "age_90"): 735,
    ("children_gifts", ""): 948,
    ("rehab_admissions", ""): 25, ("rehab_admissions", "compulsory"): 19, ("rehab_admissions", "voluntary"): 6,
    ("rehab_residents", ""): 100, ("establishments_inspected", ""): 15, ("citizens_received", ""): 27,
    ("admin_dossiers", ""): 287, ("admin_dossiers_on_time", ""): 287,
}
TRA_VINH_Q1_NOTES: dict[tuple[str, str], str] = {
    ("job_fairs", ""): "Ngoài ra tổ chức 03 cuộc hội thảo việc làm",
    ("merit_gift_amount", ""): "Báo cáo ghi 11 tỷ 076 triệu; Trung ương 4.733 + địa phương 6.342 = 11.075 (làm tròn)",
    ("households", ""): "Kết quả rà soát cuối năm 2019",
    ("khmer_households", ""): "Kết quả rà soát cuối năm 2019",
    ("poor_households", ""): "Kết quả rà soát cuối năm 2019: 3,22% số hộ",
    ("near_poor_households", ""): "Kết quả rà soát cuối năm 2019: 6,81% của 286.149 hộ (báo cáo ghi 6,08%)",
    ("near_poor_tet_gifts", ""): "Quà Tết 300.000 đồng/hộ, kinh phí 5.842.200.000 đồng",
}


def tra_vinh_q1() -> tuple[Any, list[Any]]:
    from .catalogue_data import INDICATORS
    from .submission_io import FormHeader, FormLine

    rows = {row["code"]: row for row in INDICATORS}
    lines = []
    for code in TRA_VINH_FORM:
        row = rows[code]
        for breakdown, name in [("", row["name"]), *((b["code"], f"trong đó: {b['name']}") for b in row["breakdowns"])]:
            value = TRA_VINH_Q1_VALUES.get((code, breakdown))
            lines.append(FormLine(code, name, breakdown, row["unit_of_measure"],
                                  Decimal(value) if value is not None else None,
                                  TRA_VINH_Q1_NOTES.get((code, breakdown), "")))
    header = FormHeader(plan=TRA_VINH_NUMBER, year=2020, agency=SO_LDTBXH, unit_code="84", edition="legacy",
                        unit_name="Tỉnh Trà Vinh", period="2020-Q1", deadline=dt.date(2020, 3, 15))
    return header, lines


# --- Seed 003: Trà Cú district, 2023 -------------------------------------------------------------

TRA_CU_COMMUNES = {  # legacy communes and townships of Huyện Trà Cú (849): weights ≈ hundreds of households
    "29461": 30, "29462": 26, "29464": 36, "29467": 34, "29470": 26, "29473": 31, "29476": 29, "29479": 33,
    "29482": 19, "29485": 25, "29488": 22, "29489": 16, "29491": 30, "29494": 27, "29503": 24, "29506": 26,
    "29509": 29}
TRA_CU_POOR_RATE_CUT = {
    "29461": "0.85", "29462": "1.1", "29464": "1.6", "29467": "1.8", "29470": "1.75", "29473": "2.1", "29476": "1.9",
    "29479": "2.6", "29482": "1.95", "29485": "1.7", "29488": "2.5", "29489": "1.8", "29491": "1.6", "29494": "1.5",
    "29503": "1.4", "29506": "1.65", "29509": "1.55"}
TRA_CU_TRAINED_RATE = {
    "29461": "72.5", "29462": "70.1", "29464": "68", "29467": "67.2", "29470": "66.5", "29473": "65.8",
    "29476": "66.9", "29479": "63.4", "29482": "66", "29485": "67.7", "29488": "64.1", "29489": "65.5",
    "29491": "68.3", "29494": "67.9", "29503": "68.6", "29506": "67.1", "29509": "66.8"}
TRA_CU_CERTIFIED_RATE = {
    "29461": "38.2", "29462": "36.4", "29464": "34", "29467": "33.5", "29470": "32.6", "29473": "31.9",
    "29476": "32.8", "29479": "30.1", "29482": "32.2", "29485": "33.9", "29488": "30.7", "29489": "31.5",
    "29491": "34.4", "29494": "33.8", "29503": "34.6", "29506": "33.2", "29509": "33"}
PHONG_LDTBXH = "Phòng Lao động - Thương binh và Xã hội"


def tra_cu_plan() -> Any:
    from .importer import PlanBook

    names = _names_for(TRA_CU_COMMUNES, "legacy", TRA_CU_DISTRICT)
    own = "Huyện Trà Cú"
    targets = (
        _rates("poor_rate_reduction", Decimal("1.71"), TRA_CU_POOR_RATE_CUT, names, own,
               note="giảm hộ nghèo trong dân tộc Khmer 1,58%")
        + _split_targets("jobs_created", 3000, TRA_CU_COMMUNES, names, own, note="trong và ngoài địa phương")
        + _split_targets("employed_regularly", 85000, TRA_CU_COMMUNES, names, own)
        + _split_targets("overseas_workers", 140, TRA_CU_COMMUNES, names, own)
        + _rates("trained_labour_rate", Decimal("67.67"), TRA_CU_TRAINED_RATE, names, own)
        + _rates("certified_labour_rate", Decimal("33.77"), TRA_CU_CERTIFIED_RATE, names, own,
                 note="so với lao động trong độ tuổi tham gia hoạt động kinh tế")
    )
    communes = "Ủy ban nhân dân các xã, thị trấn"
    year = "2023"
    funded = "nếu có được phân bổ vốn"
    tasks = [
        _task(1, "poverty", "Tham mưu Ủy ban nhân dân huyện chỉ đạo công tác giảm nghèo trong toàn huyện; triển khai, "
              "hướng dẫn thực hiện toàn diện các chính sách hỗ trợ giảm nghèo; tổ chức sơ kết, tổng kết rút kinh "
              "nghiệm.", PHONG_LDTBXH, [], due_period=year),
        _task(2, "employment", "Nắm chắc tình hình lao động, tổ chức dạy nghề gắn với giải quyết việc làm, đưa người "
              "lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng; giám sát, đánh giá chương trình việc làm, "
              "dạy nghề, giảm nghèo bền vững; chỉ đạo rà soát hộ nghèo, hộ cận nghèo và lập danh sách cấp thẻ bảo hiểm "
              "y tế.", PHONG_LDTBXH, [communes], due_period=year),
        _task(3, "poverty", "Đánh giá, sơ kết, tổng kết các dự án đa dạng hóa sinh kế, phát triển sản xuất (dự án mô "
              "hình giảm nghèo hỗ trợ phát triển cộng đồng) trên địa bàn huyện.", PHONG_LDTBXH, [communes],
              due_period=year),
        _task(4, "poverty", "Hướng dẫn thực hiện quy trình, thẩm định, trình phê duyệt các dự án hỗ trợ phát triển sản "
              "xuất, đa dạng hóa sinh kế và nhân rộng mô hình giảm nghèo theo Thông tư số 18/2017/TT-BNNPTNT.",
              "Phòng Nông nghiệp và Phát triển nông thôn",
              [PHONG_LDTBXH, "Phòng Dân tộc", "Phòng Kinh tế và Hạ tầng", communes], due_period=year,
              condition=funded),
        _task(5, "employment", "Rà soát nắm nhu cầu, tư vấn đào tạo nghề cho lao động nông thôn thuộc lĩnh vực nông "
              "nghiệp; tập huấn chuyển giao khoa học kỹ thuật trồng trọt, chăn nuôi cho hộ nghèo, hộ cận nghèo.",
              "Phòng Nông nghiệp và Phát triển nông thôn", [PHONG_LDTBXH, communes], due_period=year,
              condition=funded),
        _task(6, "poverty", "Đánh giá, sơ kết, tổng kết các dự án đầu tư hỗ trợ sản xuất, đa dạng hóa sinh kế trên "
              "địa bàn huyện.", "Phòng Nông nghiệp và Phát triển nông thôn", [communes], due_period=year),
        _task(7, "poverty", "Theo dõi, đánh giá, rà soát tình hình biến động các tiêu chí xã đặc biệt khó khăn thuộc "
              "diện đầu tư Chương trình giảm nghèo.", "Phòng Dân tộc", [], due_period=year),
        _task(8, "poverty", "Tập huấn, bồi dưỡng nâng cao năng lực cho cán bộ cơ sở và cộng đồng ở các xã đặc biệt khó "
              "khăn thuộc Chương trình 135.", "Phòng Dân tộc", ["Phòng Nội vụ", communes], due_period=year,
              condition=funded),
        _task(9, "poverty", "Tham mưu Ủy ban nhân dân huyện triển khai các chính sách hỗ trợ hộ nghèo, người dân tộc "
              "thiểu số theo quy định của Chính phủ và Ủy ban Dân tộc.", "Phòng Dân tộc", [communes],
              due_period=year),
        _task(10, "poverty", "Hướng dẫn lựa chọn công trình, thẩm định, trình phê duyệt các dự án đầu tư phát triển cơ "
              "sở hạ tầng thiết yếu ở các xã đặc biệt khó khăn, xã thuộc Chương trình 135 và xã nâng chất nông thôn "
              "mới.", "Phòng Kinh tế và Hạ tầng", [communes], due_period=year, condition=funded),
        _task(11, "poverty", "Triển khai chương trình hỗ trợ nhà ở cho hộ nghèo; khảo sát lập dự án hỗ trợ kéo điện "
              "cho hộ nghèo, hộ cận nghèo; thực hiện chương trình khuyến công, truyền nghề, khởi sự doanh nghiệp.",
              "Phòng Kinh tế và Hạ tầng", [PHONG_LDTBXH, communes], due_period=year),
        _task(12, "poverty", "Hướng dẫn lồng ghép các chương trình, dự án, chính sách liên quan đến Chương trình mục "
              "tiêu quốc gia giảm nghèo; thẩm định, phân bổ nguồn vốn; đôn đốc giải ngân và quyết toán.",
              "Phòng Tài chính - Kế hoạch", [communes], due_period=year, condition=funded),
        _task(13, "poverty", "Thực hiện chính sách hỗ trợ giáo dục theo Nghị định số 81/2021/NĐ-CP; nắm chắc số học "
              "sinh có hoàn cảnh đặc biệt khó khăn để vận động hỗ trợ; phối hợp điều tra tình hình sinh viên tốt "
              "nghiệp chưa có việc làm.", "Phòng Giáo dục và Đào tạo", [PHONG_LDTBXH], due_period=year),
        _task(14, "employment", "Xây dựng các dự án đầu tư từ nguồn vốn quốc gia giải quyết việc làm; đầu tư tín dụng "
              "ưu đãi cho hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo, học sinh, sinh viên và lao động đi làm việc ở "
              "nước ngoài theo hợp đồng.", "Phòng Giao dịch Ngân hàng Chính sách xã hội huyện",
              [PHONG_LDTBXH, communes], due_period=year),
        _task(15, "social_protection", "Tuyên truyền, triển khai chính sách bảo hiểm xã hội, bảo hiểm thất nghiệp, bảo "
              "hiểm y tế; lập danh sách in và cấp thẻ bảo hiểm y tế đúng, đủ, kịp thời cho các đối tượng được ngân "
              "sách hỗ trợ.", "Bảo hiểm xã hội huyện", [PHONG_LDTBXH, communes], due_period=year),
        _task(16, "inspection", "Phối hợp kiểm tra thực hiện chính sách bảo hiểm xã hội, bảo hiểm thất nghiệp, bảo "
              "hiểm y tế cho người lao động ở các công ty, doanh nghiệp trên địa bàn huyện.", "Bảo hiểm xã hội huyện",
              [], due_period=year),
        _task(17, "poverty", "Tuyên truyền, thực hiện chính sách hỗ trợ về y tế đối với gia đình chính sách, người cao "
              "tuổi, trẻ em và người thuộc hộ nghèo, hộ cận nghèo; kiểm tra chính sách hỗ trợ tiền ăn, tiền xe cho "
              "bệnh nhân.", "Phòng Y tế", ["Trung tâm Y tế huyện"], due_period=year),
        _task(18, "children", "Hỗ trợ phòng, chống suy dinh dưỡng cho bà mẹ, trẻ em dưới 5 tuổi thuộc hộ nghèo và cận "
              "nghèo; cải thiện bữa ăn học đường; đánh giá các dự án cải thiện dinh dưỡng.", "Phòng Y tế",
              [communes], due_period=year),
        _task(19, "poverty", "Thực hiện Đề án hỗ trợ đất ở, đất sản xuất cho hộ nghèo; cấp giấy chứng nhận quyền sử "
              "dụng đất theo Nghị định số 28/2022/NĐ-CP.", "Phòng Tài nguyên và Môi trường", [communes],
              due_period=year, condition=funded),
        _task(20, "poverty", "Kiểm tra, vận động hộ gia đình được hỗ trợ đất ở, đất sản xuất sớm đưa vào sử dụng đúng "
              "mục đích.", "Phòng Tài nguyên và Môi trường", [communes], due_period=year),
        _task(21, "administration", "Tổ chức tập huấn, bồi dưỡng nâng cao năng lực cho cán bộ công chức; đề xuất khen "
              "thưởng đơn vị, tập thể, hộ gia đình có thành tích xuất sắc thực hiện Chương trình mục tiêu quốc gia "
              "giảm nghèo.", "Phòng Nội vụ", [PHONG_LDTBXH, "Phòng Nông nghiệp và Phát triển nông thôn",
                                              "Phòng Văn hóa và Thông tin"], due_period=year),
        _task(22, "poverty", "Thực hiện chính sách trợ giúp pháp lý cho người nghèo, đồng bào dân tộc thiểu số theo "
              "Quyết định số 32/2016/QĐ-TTg; tập huấn công chức Tư pháp – Hộ tịch và công chức Lao động - Thương binh "
              "và Xã hội các xã, thị trấn.", "Phòng Tư pháp", [], due_period=year),
        _task(23, "poverty", "Đẩy mạnh cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hóa góp phần giảm nghèo "
              "bền vững; tham mưu chương trình hỗ trợ phương tiện nghe, nhìn cho hộ nghèo.",
              "Phòng Văn hóa và Thông tin", [communes], due_period=year),
        _task(24, "poverty", "Tăng cường tuyên truyền sâu rộng các chính sách giảm nghèo bền vững đến mọi tầng lớp "
              "Nhân dân.", "Phòng Văn hóa và Thông tin", ["Trung tâm Văn hóa - Thông tin và Thể thao huyện"],
              due_period=year),
        _task(25, "poverty", "Xây dựng phóng sự, viết bài đưa tin, biểu dương người tốt, việc tốt, điển hình mô hình "
              "sản xuất giỏi, giảm nghèo bền vững.", "Trung tâm Văn hóa - Thông tin và Thể thao huyện",
              [PHONG_LDTBXH, communes], due_period=year),
        _task(26, "employment", "Chỉ đạo Trạm truyền thanh các xã, thị trấn đẩy mạnh thông tin chính sách giảm nghèo, "
              "giải quyết việc làm, đào tạo nghề, đưa người lao động đi làm việc ở nước ngoài theo hợp đồng.",
              "Trung tâm Văn hóa - Thông tin và Thể thao huyện", [], due_period=year),
        _task(27, "poverty", "Xây dựng các biểu mẫu thống kê, rà soát hộ nghèo, nhu cầu việc làm, nhu cầu học nghề và "
              "các chỉ số đánh giá thực hiện Chương trình mục tiêu quốc gia giảm nghèo.",
              "Chi cục Thống kê khu vực Tiểu Cần - Trà Cú", [PHONG_LDTBXH], due_period=year),
        _task(28, "poverty", "Xây dựng kế hoạch giảm nghèo và giao chỉ tiêu cụ thể cho từng ấp, khóm; kiện toàn Ban "
              "Chỉ đạo; phân công ngành, đoàn thể, đảng viên nhận đỡ đầu hộ "
              "nghèo.", communes, [], due_period="2023-Q1"),
        _task(29, "poverty", "Xây dựng các dự án đầu tư cơ sở hạ tầng thiết yếu và hỗ trợ phát triển sản xuất, đa dạng "
              "hóa sinh kế; lập danh sách nhu cầu vay vốn của hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo.", communes,
              ["Phòng Giao dịch Ngân hàng Chính sách xã hội huyện"], due_period=year, condition=funded),
        _task(30, "employment", "Rà soát thường xuyên nhu cầu việc làm, đào tạo nghề lao động nông thôn, sinh viên tốt "
              "nghiệp chưa có việc làm, lao động có nhu cầu đi làm việc ở nước ngoài theo hợp đồng.", communes, [],
              due_period=year),
        _task(31, "poverty", "Kiểm tra thực hiện chính sách hỗ trợ cho hộ nghèo đảm bảo đúng, đủ, kịp thời, công khai; "
              "sơ kết, tổng kết các dự án hỗ trợ sản xuất, đa dạng hóa sinh kế.", communes, [], due_period=year),
        _task(32, "poverty", "Đẩy mạnh tuyên truyền chủ trương, chính sách giảm nghèo trong đoàn viên, hội viên; tiếp "
              "tục cuộc vận động «Ngày vì người nghèo», xây dựng «Quỹ vì người nghèo», nhà Đại đoàn kết cho hộ nghèo.",
              "Ủy ban Mặt trận Tổ quốc Việt Nam huyện", ["Các hội, đoàn thể huyện"], due_period=year),
        _task(33, "employment", "Phối hợp tuyên truyền, tư vấn, giới thiệu việc làm, đào tạo nghề cho lao động nông "
              "thôn, đưa lao động đi làm việc có thời hạn ở nước ngoài theo hợp đồng.",
              "Ủy ban Mặt trận Tổ quốc Việt Nam huyện", [PHONG_LDTBXH], due_period=year),
    ]
    fields = {
        "doc_type": "KH", "number": TRA_CU_NUMBER, "agency": "Ủy ban nhân dân huyện Trà Cú", "agency_symbol": "UBND",
        "agency_kind": "Ủy ban nhân dân", "unit": TRA_CU_DISTRICT, "edition": "legacy", "year": 2023,
        "place": "Trà Cú", "issued_on": dt.date(2023, 2, 24),
        "title": "Thực hiện công tác việc làm - dạy nghề và giảm nghèo bền vững năm 2023",
        "basis": ["Căn cứ Quyết định số 4157/QĐ-UBND ngày 16/12/2022 của Ủy ban nhân dân huyện Trà Cú về việc giao chỉ "
                  "tiêu kế hoạch kinh tế - xã hội và dự toán ngân sách nhà nước năm 2023;",
                  "Căn cứ Kế hoạch số 07/KH-UBND ngày 16/02/2023 của Ủy ban nhân dân huyện Trà Cú về việc thực hiện "
                  "Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2023 trên địa bàn huyện Trà Cú;"],
        "situation": ["Theo kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm 2022 toàn huyện còn 1.938 hộ nghèo, chiếm "
                      "tỷ lệ 4,47% so với tổng số hộ dân cư toàn huyện, trong đó: hộ nghèo không có khả năng lao động "
                      "736 hộ, chiếm tỷ lệ 37,98% so với tổng số hộ nghèo; hộ nghèo có đối tượng người có công với "
                      "cách mạng (không có); hộ nghèo dân tộc Khmer 1.460 hộ (chiếm tỷ lệ 5,44% so với tổng số hộ dân "
                      "cư dân tộc Khmer).",
                      "Toàn huyện có 02 xã (Ngãi Xuyên, Hàm Giang) đặc biệt khó khăn vùng dân tộc thiểu số giai đoạn "
                      "2021 - 2025 theo Quyết định số 861/QĐ-TTg ngày 04/6/2021 và 03 ấp đặc biệt khó khăn (Trà Cú C, "
                      "xã Kim Sơn; Ba Trạch A, xã Tân Hiệp; Sóc Tro Trên, xã An Quảng Hữu)."],
        "objectives": ["Tiếp tục tạo điều kiện để hộ nghèo, cận nghèo được tiếp cận nguồn vốn tín dụng ưu đãi, tiếp "
                       "cận dịch vụ xã hội cơ bản, làm tốt công tác tuyên truyền, giáo dục, khơi dậy ý chí vươn lên "
                       "phát triển kinh tế, vượt qua nghèo khó; đào tạo nghề gắn với giải quyết việc làm, đưa lao động "
                       "đi làm việc ở nước ngoài theo hợp đồng.",
                       "100% hộ nghèo, hộ cận nghèo, người dân sinh sống các xã, ấp đặc biệt khó khăn thuộc Chương "
                       "trình 135 và đối tượng bảo trợ xã hội được cấp thẻ bảo hiểm y tế theo quy định.",
                       "100% học sinh, sinh viên thuộc hộ nghèo, hộ cận nghèo được miễn giảm học phí và hỗ trợ chi phí "
                       "học tập theo Nghị định số 81/2021/NĐ-CP; 100% hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo có "
                       "nhu cầu và đủ điều kiện được vay vốn tín dụng ưu đãi."],
        "solutions": [  # seed 003, III (abridged)
            "1. Phát triển cơ sở hạ tầng để hỗ trợ cho sản xuất phát triển",
            "Quan tâm chỉ đạo thực hiện vốn chương trình mục tiêu quốc gia giảm nghèo bền vững, phối hợp thực hiện "
            "tốt các dự án đầu tư phát triển cơ sở hạ tầng được phân bổ cho các xã, ấp đặc biệt khó khăn theo Chương "
            "trình 135.",
            "2. Hỗ trợ dự án đa dạng hóa sinh kế, phát triển mô hình giảm nghèo",
            "Phối hợp thực hiện tốt các dự án đa dạng hóa sinh kế, phát triển sản xuất mô hình giảm nghèo theo nguồn "
            "vốn được phân bổ cho các xã trên địa bàn huyện.",
            "3. Hỗ trợ tín dụng",
            "Thực hiện tốt chính sách cho vay ưu đãi từ nguồn vốn Phòng Giao dịch Ngân hàng Chính sách xã hội huyện, "
            "đảm bảo hộ nghèo, cận nghèo được tiếp cận nguồn vốn tín dụng ưu đãi đạt 100% so với số hộ có nhu cầu vay "
            "vốn phát triển sản xuất, kinh doanh.",
            "4. Chính sách giáo dục",
            "Triển khai thực hiện tốt chính sách hỗ trợ miễn, giảm học phí cho học sinh, sinh viên thuộc diện hộ "
            "nghèo, cận nghèo theo Nghị định số 81/2021/NĐ-CP ngày 27/8/2021 của Chính phủ.",
            "5. Hỗ trợ về y tế",
            "Đảm bảo 100% đối tượng hộ nghèo, hộ cận nghèo, người dân tộc thiểu số vùng khó khăn được cấp thẻ bảo "
            "hiểm y tế.",
            "6. Hỗ trợ khoa học - kỹ thuật",
            "Triển khai thực hiện tốt các chương trình khuyến công, khuyến nông, khuyến ngư nhằm chuyển giao khoa "
            "học, kỹ thuật sản xuất, kinh doanh cho người nghèo, cận nghèo.",
            "7. Hỗ trợ nhà ở cho hộ nghèo",
            "Thực hiện chính sách hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo theo Nghị quyết số 04/2021/NQ-HĐND của Hội "
            "đồng nhân dân tỉnh (nếu có phân bổ vốn).",
            "8. Thực hiện chính sách đào tạo nghề, việc làm",
            "Đẩy mạnh việc triển khai thực hiện đào tạo nghề cho lao động nông thôn, đáp ứng yêu cầu việc làm ở địa "
            "phương và các công ty, doanh nghiệp có nhu cầu sử dụng lao động.",
            "9. Về giảm nghèo bền vững",
            "- Thực hiện đồng bộ giữa 02 nhiệm vụ, vừa thực hiện hỗ trợ cho hộ nghèo từ chính sách của Đảng, Nhà "
            "nước, vừa phải thực hiện tốt tuyên truyền, giáo dục, động viên hộ nghèo khơi dậy ý chí để vươn lên "
            "thoát nghèo.",
            "10. Tăng cường thực hiện tốt truyền thông",
            "Tập trung tuyên truyền, phổ biến thông tin kịp thời các chính sách, pháp luật về giảm nghèo để Nhân dân "
            "nắm và thực hiện.",
            "11. Tăng cường bộ máy quản lý giảm nghèo",
            "Thường xuyên củng cố, kiện toàn Ban Chỉ đạo; thực hiện tốt công tác tập huấn, bồi dưỡng nghiệp vụ, nâng "
            "cao năng lực cán bộ làm công tác giảm nghèo.",
        ],
        "recipients": ["Sở LĐTBXH;", "Văn phòng BCĐ giảm nghèo tỉnh;", "TT HU, TT HĐND huyện;",
                       "CT, các PCT UBND huyện;", "Các ngành có liên quan;", "UBND các xã, thị trấn;",
                       "Lưu: VT, NCTH."],
        "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Tăng Thị Thắm",
        "percent_decimals": 1, "status": "Đã ban hành",
    }
    return PlanBook(fields, targets, tasks)


# --- Seed 004: Đông Hòa town (thị xã), 2022 ------------------------------------------------------

DONG_HOA_COMMUNES = {  # legacy communes and wards of Thị xã Đông Hòa (564): weights ≈ hundreds of households
    "22243": 32, "22246": 30, "22258": 46, "22261": 42, "22267": 24, "22279": 22, "22282": 29, "22291": 25,
    "22297": 16, "22300": 20}
DONG_HOA_POOR_RATE_CUT = {
    "22243": "0.12", "22246": "0.08", "22258": "0.06", "22261": "0.07", "22267": "0.15", "22279": "0.14",
    "22282": "0.09", "22291": "0.13", "22297": "0.2", "22300": "0.16"}
DONG_HOA_CARE_RATE = {c: "95" for c in DONG_HOA_COMMUNES}
DONG_HOA_ABUSE_RATE = {c: "4.5" for c in DONG_HOA_COMMUNES}


def dong_hoa_plan() -> Any:
    from .importer import PlanBook

    names = _names_for(DONG_HOA_COMMUNES, "legacy", DONG_HOA_TOWN)
    own = "Thị xã Đông Hòa"
    trained = split(200, DONG_HOA_COMMUNES)
    non_farm = split(150, DONG_HOA_COMMUNES)
    if any(non_farm[c] > trained[c] for c in trained):
        raise RuntimeError("a commune's non-farm training exceeds its total")
    trained_rows = [_target("trained_workers", None, own, 200),
                    _target("trained_workers", None, own, 150, breakdown="non_farm"),
                    _target("trained_workers", None, own, 50, breakdown="farm")]
    for code in sorted(DONG_HOA_COMMUNES):
        trained_rows += [_target("trained_workers", code, names[code], trained[code]),
                         _target("trained_workers", code, names[code], non_farm[code], breakdown="non_farm"),
                         _target("trained_workers", code, names[code], trained[code] - non_farm[code],
                                 breakdown="farm")]
    fund = [_target("gratitude_fund", None, own, 330),
            _target("gratitude_fund", None, own, 300, breakdown="district_level"),
            _target("gratitude_fund", None, own, 30, breakdown="commune_level")]
    fund += [_target("gratitude_fund", c, names[c], v) for c, v in sorted(split(30, DONG_HOA_COMMUNES).items())]
    poor_weights = {c: w * float(DONG_HOA_POOR_RATE_CUT[c]) for c, w in DONG_HOA_COMMUNES.items()}
    targets = (
        trained_rows
        + _split_targets("jobs_created", 3200, DONG_HOA_COMMUNES, names, own)
        + _split_targets("overseas_workers", 60, DONG_HOA_COMMUNES, names, own)
        + _split_targets("jobs_added", 600, DONG_HOA_COMMUNES, names, own)
        + _split_targets("poor_reduction", 34, poor_weights, names, own)
        + _rates("poor_rate_reduction", Decimal("0.1"), DONG_HOA_POOR_RATE_CUT, names, own)
        + fund
        + [_target("child_friendly_commune_rate", None, own, 80)]
        + _rates("special_children_care_rate", Decimal("95"), DONG_HOA_CARE_RATE, names, own, note="từ 95% trở lên")
        + _rates("child_abuse_rate", Decimal("4.5"), DONG_HOA_ABUSE_RATE, names, own, note="giảm xuống dưới 4,5%")
    )
    year = "2022"
    communes = "Ủy ban nhân dân các xã, phường"
    phong = "Phòng Lao động - Thương binh và Xã hội"
    tasks = [
        _task(1, "administration", "Cơ quan thường trực tham mưu giúp UBND thị xã chỉ đạo thực hiện tốt công tác lao "
              "động, thương binh và xã hội; định kỳ hàng quý, sáu tháng, cả năm tổng hợp, báo cáo UBND thị xã về tình "
              "hình và kết quả thực hiện kế hoạch.", phong, [], due_period=year),
        _task(2, "poverty", "Xác định đối tượng để thực hiện các chính sách, đề án thuộc các chương trình người có "
              "công, dạy nghề, việc làm, giảm nghèo, tệ nạn xã hội, trẻ em, bình đẳng giới; xây dựng và nhân rộng mô "
              "hình giảm nghèo bền vững; xây dựng hệ thống thông tin giám sát, đánh giá từng chính sách, dự án.", phong,
              [communes], due_period=year),
        _task(3, "employment", "Tăng cường truyền thông, củng cố đội ngũ cán bộ; hướng dẫn thực hiện chính sách dạy "
              "nghề, tạo việc làm, xuất khẩu lao động; công bố tỷ lệ hộ nghèo, hộ cận nghèo; kiểm tra, giám sát công "
              "tác lao động, thương binh và xã hội định kỳ hàng năm.", phong, [], due_period=year),
        _task(4, "poverty", "Lồng ghép nguồn lực từ chương trình mục tiêu quốc gia giảm nghèo bền vững để triển khai "
              "hiệu quả dạy nghề, giải quyết việc làm, giảm nghèo; tổng hợp nguồn lực, theo dõi cấp phát, giám sát chi "
              "tiêu tài chính.", "Phòng Tài chính - Kế hoạch", [], due_period=year),
        _task(5, "poverty", "Hướng dẫn, triển khai công tác điều tra, rà soát hộ nghèo, hộ cận nghèo; cung cấp số liệu "
              "dân số, tổng số hộ dân cư trên địa bàn.", "Chi cục Thống kê", [phong], due_period="2022-Q4"),
        _task(6, "employment", "Theo dõi lĩnh vực dạy nghề nông nghiệp, dự án khuyến nông - lâm - ngư và hỗ trợ phát "
              "triển sản xuất cho hộ nghèo, hộ cận nghèo; mở các lớp đào tạo nghề nông nghiệp cho 50 lao động nông "
              "thôn.", "Phòng Kinh tế", ["Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên"], due_period=year),
        _task(7, "poverty", "Triển khai dự án khuyến công và hỗ trợ phát triển sản xuất cho hộ nghèo, hộ cận nghèo.",
              "Phòng Quản lý đô thị", [phong], due_period=year),
        _task(8, "social_protection", "Thực hiện chính sách khám chữa bệnh cho đối tượng chính sách, người có công, "
              "bảo trợ xã hội, người nghèo, người cận nghèo.", "Trung tâm Y tế thị xã", [], due_period=year),
        _task(9, "poverty", "Thực hiện chính sách hỗ trợ ưu đãi về giáo dục cho học sinh nghèo, cận nghèo, bảo trợ xã "
              "hội.", "Phòng Giáo dục và Đào tạo", [], due_period=year),
        _task(10, "employment", "Thực hiện chính sách hỗ trợ vốn vay học nghề, giải quyết việc làm, xuất khẩu lao động "
              "và các nguồn vốn tín dụng ưu đãi khác cho người nghèo.",
              "Phòng Giao dịch Ngân hàng Chính sách xã hội thị xã", ["Các hội, đoàn thể", communes],
              due_period=year),
        _task(11, "poverty", "Triển khai chính sách hỗ trợ pháp lý cho người nghèo, đối tượng bảo trợ xã hội.",
              "Phòng Tư pháp", [], due_period=year),
        _task(12, "social_protection", "Tuyên truyền chính sách bảo hiểm xã hội và y tế; cấp thẻ bảo hiểm y tế cho "
              "người có công, đối tượng bảo trợ xã hội, hộ nghèo và trẻ em kịp thời; vận động hộ cận nghèo năm 2022 "
              "tham gia 100% bảo hiểm y tế.", "Bảo hiểm xã hội thị xã", [phong, communes], due_period=year),
        _task(13, "employment", "Xây dựng và thực hiện kế hoạch tuyển sinh dạy nghề cho 200 lao động nông thôn (phi "
              "nông nghiệp 150, nông nghiệp 50) đúng đối tượng, chương trình; định kỳ hàng quý, sáu tháng, cả năm báo "
              "cáo kết quả dạy nghề.", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
              [phong, "Phòng Kinh tế"], due_period=year),
        _task(14, "administration", "Tuyên truyền chủ trương, chính sách của Đảng và Nhà nước về công tác lao động, "
              "thương binh và xã hội; hướng dẫn công chức văn hóa - xã hội các xã, phường.",
              "Phòng Văn hóa và Thông tin", [phong], due_period=year),
        _task(15, "administration", "Tuyên truyền, phổ biến trên sóng Đài Truyền thanh thị xã các chính sách ưu đãi "
              "của Nhà nước về lao động, thương binh và xã "
              "hội.", "Trung tâm Văn hóa – Thể thao và Truyền thanh", [phong],
              due_period=year),
        _task(16, "administration", "Xây dựng kế hoạch cụ thể về công tác lao động, thương binh và xã hội của xã, "
              "phường, gửi về UBND thị xã (qua Phòng Lao động - TB&XH).", communes, [phong],
              due_on=dt.date(2022, 3, 15)),
        _task(17, "administration", "Kiện toàn các Ban Chỉ đạo thuộc lĩnh vực lao động, thương binh và xã hội; thường "
              "xuyên kiểm tra, giám sát việc thực hiện ở địa phương.", communes, [], due_period=year),
        _task(18, "administration", "Báo cáo kết quả thực hiện về UBND thị xã (qua Phòng Lao động - TB&XH): báo cáo "
              "quý trước ngày 15 tháng cuối quý, 06 tháng trước ngày 30/5, năm trước ngày 05/12.", communes, [phong],
              condition="hằng quý, 6 tháng và năm"),
        _task(19, "meritorious", "Tuyên truyền, vận động Nhân dân tham gia học nghề, giải quyết việc làm, xuất khẩu "
              "lao động, giảm nghèo và chăm sóc đời sống người có công; vận động Quỹ Đền ơn đáp nghĩa.",
              "Ủy ban Mặt trận Tổ quốc Việt Nam thị xã", ["Các hội, đoàn thể thị xã"], due_period=year),
    ]
    fields = {
        "doc_type": "KH", "number": DONG_HOA_NUMBER, "agency": "Ủy ban nhân dân thị xã Đông Hòa",
        "agency_symbol": "UBND", "agency_kind": "Ủy ban nhân dân", "unit": DONG_HOA_TOWN, "edition": "legacy",
        "year": 2022, "place": "Đông Hòa", "issued_on": dt.date(2022, 2, 15),
        "title": "Triển khai thực hiện công tác lao động, thương binh và xã hội năm 2022",
        "basis": ["Thực hiện Nghị quyết số 58/NQ-HĐND ngày 15/12/2021 của Hội đồng nhân dân thị xã Đông Hòa về nhiệm "
                  "vụ kinh tế - xã hội, quốc phòng - an ninh năm 2022;",
                  "Thông báo số 05/TB-SLĐTBXH ngày 13/01/2021 của Sở Lao động - Thương binh và Xã hội tỉnh Phú Yên về "
                  "việc giao chỉ tiêu công tác lao động, thương binh và xã hội năm 2022."],
        "objectives": ["Tiếp tục nâng cao chất lượng và sử dụng hiệu quả nguồn nhân lực; cải thiện, nâng cao mức sống "
                       "người có công với cách mạng; bảo đảm an sinh xã hội; trợ giúp có hiệu quả các nhóm đối tượng "
                       "dễ bị tổn thương; góp phần giữ vững ổn định chính trị và trật tự an toàn xã hội trên địa bàn "
                       "thị xã.",
                       "Đảm bảo việc đào tạo nghề, giải quyết việc làm, tăng thu nhập cho lao động; bảo vệ và chăm sóc "
                       "trẻ em; giảm thiểu tệ nạn xã hội; bình đẳng giới; nâng cao tỷ lệ người lao động tham gia bảo "
                       "hiểm xã hội.",
                       "Lồng ghép các nhiệm vụ trọng tâm vào việc thực hiện phát triển kinh tế - xã hội từ thị xã đến "
                       "cơ sở; thực hiện đầy đủ, kịp thời các chính sách hỗ trợ không sai sót, trùng lặp."],
        "recipients": ["Sở LĐTB&XH (b/c);", "Thường trực Thị ủy (b/c);", "CT, các PCT UBND thị xã;",
                       "Chánh, PCVP HĐND&UBND thị xã;", "Các cơ quan, đơn vị liên quan;", "UBND các xã, phường;",
                       "Lưu: VT."],
        "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Văn Hồng",
        **SEED_DEADLINES, "percent_decimals": 1, "status": "Đã ban hành",
    }
    return PlanBook(fields, targets, tasks)


# --- Writing ------------------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    """The four example files, by name."""
    from .importer import catalogue_info, plan_workbook
    from .submission_io import form_workbook

    indicators = catalogue_info()
    header, lines = tra_vinh_q1()
    return {
        TRA_VINH_PLAN: plan_workbook(tra_vinh_plan(), indicators=indicators, created=dt.datetime(2020, 1, 10, 8)),
        TRA_VINH_Q1: form_workbook(header, lines, created=dt.datetime(2020, 3, 16, 8)),
        TRA_CU_PLAN: plan_workbook(tra_cu_plan(), indicators=indicators, created=dt.datetime(2023, 2, 24, 8)),
        DONG_HOA_PLAN: plan_workbook(dong_hoa_plan(), indicators=indicators, created=dt.datetime(2022, 2, 15, 8)),
    }


def write(directory: Path = EXAMPLES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in build().items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    for path in write(Path(args[0]) if args else EXAMPLES_DIR):
        print(path)


if __name__ == "__main__":
    main()
