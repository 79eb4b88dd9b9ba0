"""FROZEN for migration `households.0002_standards`: a copy of `ansinh/poverty/standards_data.py` as it
was when the migration was frozen. Never edit it: a change to the shipped standards is a new
migration (or `ansinh poverty standards --load`), so an old migration always loads the same rows.

The original docstring follows.

The multidimensional poverty standards, as data with their legal basis and dates.

Loaded into the database by migration (`load_standards`), where a later decree is a new row and
a provisional standard can be corrected without a code change (`ansinh poverty standards
--load FILE.json`). Rules name functions of `ansinh.poverty.facts`; `params` are their
thresholds. Marks as in shared/domain/regulations.md: facts from secondary summaries are
flagged `provisional`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D59 = "Quyết định 59/2015/QĐ-TTg ngày 19/11/2015 của Thủ tướng Chính phủ"
D07 = "Nghị định 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ"
D351 = "Nghị định 351/2025/NĐ-CP ngày 30/12/2025 của Chính phủ"


def _ind(code: str, dimension: str, name: str, definition: str, rule: str, basis: str,
         params: dict[str, Any] | None = None, provisional: bool = False) -> dict[str, Any]:
    return {"code": code, "dimension": dimension, "name": name, "definition": definition, "rule": rule,
            "basis": basis, "params": params or {}, "provisional": provisional}


STANDARDS: list[dict[str, Any]] = [
    {
        "code": "2016-2020",
        "name": "Chuẩn nghèo tiếp cận đa chiều giai đoạn 2016–2020",
        "basis": f"{D59}, Điều 2; tiếp tục áp dụng đến hết năm 2021 theo {D07}",
        "valid_from": dt.date(2016, 1, 1),
        "valid_to": dt.date(2021, 12, 31),
        "rule": "income_or_deprivation",
        "poverty_line_rural": 700_000, "poverty_line_urban": 900_000,
        "near_poor_line_rural": 1_000_000, "near_poor_line_urban": 1_300_000,
        "average_line_rural": 1_500_000, "average_line_urban": 1_950_000,
        "min_deprivations": 3,
        "provisional": True,
        "note": "Hộ nghèo: thu nhập bình quân đầu người/tháng từ đủ chuẩn nghèo trở xuống; hoặc trên chuẩn "
                "nghèo đến chuẩn cận nghèo và thiếu hụt từ 03 chỉ số trở lên. Hộ cận nghèo: trên chuẩn nghèo "
                "đến chuẩn cận nghèo và thiếu hụt dưới 03 chỉ số. Mức sống trung bình (đến 1.500.000 đồng "
                "nông thôn, 1.950.000 đồng thành thị) và ngưỡng các chỉ số chưa đối chiếu được văn bản gốc.",
        "indicators": [
            _ind("health_access", "Y tế", "Tiếp cận các dịch vụ y tế",
                 "Hộ có người bị ốm đau nhưng không đi khám chữa bệnh.", "health_access", f"{D59}, Điều 1"),
            _ind("health_insurance", "Y tế", "Bảo hiểm y tế",
                 "Hộ có ít nhất 01 thành viên từ 6 tuổi trở lên hiện không có thẻ bảo hiểm y tế.",
                 "health_insurance", f"{D59}, Điều 1", {"min_age": 6}),
            _ind("adult_education", "Giáo dục", "Trình độ giáo dục của người lớn",
                 "Hộ có ít nhất 01 thành viên từ 15 đến dưới 30 tuổi không tốt nghiệp trung học cơ sở và hiện "
                 "không đi học.", "adult_education_2016", f"{D59}, Điều 1", {"min_age": 15, "max_age": 29}),
            _ind("school_attendance", "Giáo dục", "Tình trạng đi học của trẻ em",
                 "Hộ có ít nhất 01 trẻ em từ 5 đến dưới 15 tuổi hiện không đi học.", "school_attendance_2016",
                 f"{D59}, Điều 1", {"min_age": 5, "max_age": 14}),
            _ind("housing_quality", "Nhà ở", "Chất lượng nhà ở",
                 "Hộ đang ở nhà thiếu kiên cố hoặc nhà đơn sơ.", "housing_quality", f"{D59}, Điều 1"),
            _ind("housing_area", "Nhà ở", "Diện tích nhà ở bình quân đầu người",
                 "Diện tích nhà ở bình quân đầu người của hộ nhỏ hơn 8 m².", "housing_area",
                 f"{D59}, Điều 1", {"min_m2_per_person": 8}),
            _ind("water", "Điều kiện sống", "Nguồn nước sinh hoạt",
                 "Hộ không được tiếp cận nguồn nước hợp vệ sinh.", "water", f"{D59}, Điều 1"),
            _ind("latrine", "Điều kiện sống", "Hố xí/nhà tiêu hợp vệ sinh",
                 "Hộ không sử dụng hố xí/nhà tiêu hợp vệ sinh.", "latrine", f"{D59}, Điều 1"),
            _ind("telecom", "Tiếp cận thông tin", "Sử dụng dịch vụ viễn thông",
                 "Hộ không có thành viên nào sử dụng thuê bao điện thoại và internet.", "telecom_2016",
                 f"{D59}, Điều 1"),
            _ind("information_assets", "Tiếp cận thông tin", "Tài sản phục vụ tiếp cận thông tin",
                 "Hộ không có tài sản nào trong số: ti vi, radio, máy tính; và không nghe được hệ thống loa "
                 "đài truyền thanh xã/thôn.", "information_assets_2016", f"{D59}, Điều 1"),
        ],
    },
    {
        "code": "2022-2025",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "basis": f"{D07}, Điều 3; tiếp tục áp dụng đến hết năm 2026 theo {D351}",
        "valid_from": dt.date(2022, 1, 1),
        "valid_to": dt.date(2026, 12, 31),
        "rule": "income_and_deprivation",
        "poverty_line_rural": 1_500_000, "poverty_line_urban": 2_000_000,
        "near_poor_line_rural": None, "near_poor_line_urban": None,
        "average_line_rural": 2_250_000, "average_line_urban": 3_000_000,
        "min_deprivations": 3,
        "provisional": False,
        "note": "Hộ nghèo: thu nhập bình quân đầu người/tháng từ 1.500.000 đồng trở xuống (thành thị "
                "2.000.000 đồng) và thiếu hụt từ 03 chỉ số đo lường mức độ thiếu hụt dịch vụ xã hội cơ bản "
                "trở lên. Hộ cận nghèo: cùng mức thu nhập và thiếu hụt dưới 03 chỉ số. Hộ có mức sống trung "
                "bình: thu nhập trên chuẩn đến 2.250.000 đồng (thành thị 3.000.000 đồng).",
        "indicators": [
            _ind("employment", "Việc làm", "Việc làm",
                 "Hộ có ít nhất 01 người trong độ tuổi lao động đang thất nghiệp, hoặc làm công ăn lương mà "
                 "không có hợp đồng lao động.", "employment", f"{D07}, Điều 3",
                 {"min_age": 15}, True),
            _ind("dependants", "Việc làm", "Người phụ thuộc trong hộ gia đình",
                 "Tỷ lệ người phụ thuộc (trẻ em dưới 16 tuổi; người cao tuổi, người khuyết tật đang hưởng trợ "
                 "cấp xã hội hằng tháng) trong tổng số nhân khẩu của hộ lớn hơn 50%.", "dependants",
                 f"{D07}, Điều 3", {"child_under": 16, "elderly_from": 60, "max_share": 0.5,
                                     "elderly_needs_allowance": 0, "disabled_needs_allowance": 1}, True),
            _ind("nutrition", "Y tế", "Dinh dưỡng",
                 "Hộ có ít nhất 01 trẻ em dưới 16 tuổi bị suy dinh dưỡng chiều cao theo tuổi hoặc cân nặng "
                 "theo tuổi.", "nutrition", f"{D07}, Điều 3", {"child_under": 16}),
            _ind("health_insurance", "Y tế", "Bảo hiểm y tế",
                 "Hộ có ít nhất 01 thành viên từ 6 tuổi trở lên hiện không có bảo hiểm y tế.", "health_insurance",
                 f"{D07}, Điều 3", {"min_age": 6}),
            _ind("adult_education", "Giáo dục", "Trình độ giáo dục của người lớn",
                 "Hộ có ít nhất 01 thành viên từ 16 đến 30 tuổi không tham gia các khóa đào tạo hoặc không có "
                 "bằng cấp, chứng chỉ giáo dục đào tạo so với độ tuổi tương ứng (16 đến dưới 18 tuổi: trung học "
                 "cơ sở; 18–30 tuổi: trung học phổ thông hoặc giáo dục nghề nghiệp).", "adult_education",
                 f"{D07}, Điều 3", {"min_age": 16, "max_age": 30, "secondary_from": 18}),
            _ind("school_attendance", "Giáo dục", "Tình trạng đi học của trẻ em",
                 "Hộ có ít nhất 01 trẻ em từ 3 đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp với "
                 "độ tuổi.", "school_attendance", f"{D07}, Điều 3", {"min_age": 3, "max_age": 15}, True),
            _ind("housing_quality", "Nhà ở", "Chất lượng nhà ở",
                 "Hộ đang ở trong ngôi nhà/căn hộ thiếu kiên cố hoặc đơn sơ.", "housing_quality",
                 f"{D07}, Điều 3"),
            _ind("housing_area", "Nhà ở", "Diện tích nhà ở bình quân đầu người",
                 "Diện tích nhà ở bình quân đầu người của hộ nhỏ hơn 8 m².", "housing_area", f"{D07}, Điều 3",
                 {"min_m2_per_person": 8}),
            _ind("water", "Nước sinh hoạt và vệ sinh", "Nguồn nước sinh hoạt",
                 "Hộ không tiếp cận được nguồn nước sinh hoạt an toàn.", "water", f"{D07}, Điều 3"),
            _ind("latrine", "Nước sinh hoạt và vệ sinh", "Nhà tiêu hợp vệ sinh",
                 "Hộ không sử dụng hố xí/nhà tiêu hợp vệ sinh.", "latrine", f"{D07}, Điều 3"),
            _ind("telecom", "Thông tin", "Sử dụng dịch vụ viễn thông",
                 "Hộ gia đình không có thành viên nào sử dụng dịch vụ internet.", "telecom", f"{D07}, Điều 3"),
            _ind("information_assets", "Thông tin", "Phương tiện phục vụ tiếp cận thông tin",
                 "Hộ không có phương tiện nào trong số: ti vi, radio, máy tính, điện thoại.", "information_assets",
                 f"{D07}, Điều 3", None, True),
        ],
    },
    {
        "code": "2027-2030",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2027–2030",
        "basis": f"{D351}",
        "valid_from": dt.date(2027, 1, 1),
        "valid_to": dt.date(2030, 12, 31),
        "rule": "income_and_deprivation",
        "poverty_line_rural": 2_200_000, "poverty_line_urban": 2_800_000,
        "near_poor_line_rural": None, "near_poor_line_urban": None,
        "average_line_rural": None, "average_line_urban": None,
        "min_deprivations": 3,
        "provisional": True,
        "note": "Chuẩn thu nhập 2.200.000 đồng (nông thôn) và 2.800.000 đồng (thành thị). Danh mục chỉ số và "
                "ngưỡng thiếu hụt theo bản dự thảo, chưa đối chiếu được với văn bản gốc: là dữ liệu cấu hình "
                "được. Chưa có quy định về hộ có mức sống trung bình cho giai đoạn này.",
        "indicators": [
            _ind("employment", "Việc làm", "Việc làm",
                 "Hộ có ít nhất 01 người trong độ tuổi lao động đang thất nghiệp, hoặc làm công ăn lương mà "
                 "không có hợp đồng lao động.", "employment", D351, {"min_age": 15}, True),
            _ind("dependants", "Việc làm", "Người phụ thuộc trong hộ gia đình",
                 "Tỷ lệ người phụ thuộc trong tổng số nhân khẩu của hộ lớn hơn 50%.", "dependants", D351,
                 {"child_under": 16, "elderly_from": 60, "max_share": 0.5, "elderly_needs_allowance": 0,
                  "disabled_needs_allowance": 1}, True),
            _ind("health_insurance", "Y tế", "Bảo hiểm y tế",
                 "Hộ có ít nhất 01 thành viên từ 6 tuổi trở lên hiện không có bảo hiểm y tế.", "health_insurance",
                 D351, {"min_age": 6}, True),
            _ind("nutrition", "Y tế", "Dinh dưỡng",
                 "Hộ có ít nhất 01 trẻ em dưới 16 tuổi bị suy dinh dưỡng.", "nutrition", D351,
                 {"child_under": 16}, True),
            _ind("adult_education", "Giáo dục", "Trình độ giáo dục của người lớn",
                 "Hộ có ít nhất 01 thành viên từ 16 đến 30 tuổi không có bằng cấp, chứng chỉ phù hợp với độ "
                 "tuổi và không tham gia đào tạo.", "adult_education", D351,
                 {"min_age": 16, "max_age": 30, "secondary_from": 18}, True),
            _ind("school_attendance", "Giáo dục", "Tình trạng đi học của trẻ em",
                 "Hộ có ít nhất 01 trẻ em từ 3 đến dưới 16 tuổi không được học đúng bậc, cấp học.",
                 "school_attendance", D351, {"min_age": 3, "max_age": 15}, True),
            _ind("housing_area", "Nhà ở", "Diện tích nhà ở bình quân đầu người",
                 "Diện tích nhà ở bình quân đầu người của hộ nhỏ hơn 8 m².", "housing_area", D351,
                 {"min_m2_per_person": 8}, True),
            _ind("housing_quality", "Nhà ở", "Chất lượng nhà ở",
                 "Hộ đang ở trong nhà thiếu kiên cố hoặc đơn sơ.", "housing_quality", D351, None, True),
            _ind("telecom", "Thông tin", "Sử dụng dịch vụ viễn thông",
                 "Hộ không có thành viên nào sử dụng dịch vụ internet.", "telecom", D351, None, True),
            _ind("water", "Nước, vệ sinh và môi trường", "Nguồn nước sinh hoạt",
                 "Hộ không tiếp cận được nguồn nước sinh hoạt an toàn.", "water", D351, None, True),
            _ind("latrine", "Nước, vệ sinh và môi trường", "Nhà tiêu hợp vệ sinh",
                 "Hộ không sử dụng nhà tiêu hợp vệ sinh.", "latrine", D351, None, True),
            _ind("waste", "Nước, vệ sinh và môi trường", "Thu gom, xử lý rác thải sinh hoạt",
                 "Rác thải sinh hoạt của hộ không được thu gom hoặc xử lý.", "waste", D351, None, True),
        ],
    },
]

# The thresholds of Decision 59/2015/QĐ-TTg were read in secondary summaries only, and so was its
# average-living band: configurable, marked provisional.
for _indicator in STANDARDS[0]["indicators"]:
    _indicator["provisional"] = True

# Form B1 in the style of Circular 07/2021/TT-BLĐTBXH: income estimated from household
# characteristics, per socio-economic region. The official items and points were not found
# (regulations.md §2 [U]); these are illustrative, configurable and marked provisional.
REGIONS = {
    "northern_mountains": "Trung du và miền núi phía Bắc",
    "red_river_delta": "Đồng bằng sông Hồng",
    "central_coast": "Bắc Trung Bộ và duyên hải miền Trung",
    "central_highlands": "Tây Nguyên",
    "south_east": "Đông Nam Bộ",
    "mekong_delta": "Đồng bằng sông Cửu Long",
}
_B1_ITEMS = [
    {"code": "earners_share", "label": "Tỷ lệ thành viên có việc làm tạo thu nhập (0–1)", "points": 1_400_000},
    {"code": "has_motorbike", "label": "Có xe máy", "points": 250_000},
    {"code": "has_fridge", "label": "Có tủ lạnh", "points": 300_000},
    {"code": "has_aircon", "label": "Có điều hòa nhiệt độ", "points": 600_000},
    {"code": "has_car", "label": "Có ô tô", "points": 1_500_000},
    {"code": "durable_house", "label": "Nhà kiên cố", "points": 400_000},
    {"code": "farm_land_ha", "label": "Đất sản xuất (ha, tối đa 3)", "points": 350_000},
    {"code": "livestock", "label": "Có chăn nuôi gia súc", "points": 200_000},
    {"code": "remittances", "label": "Có người thân gửi tiền về đều đặn", "points": 500_000},
]
_B1_BASE = {"northern_mountains": 350_000, "red_river_delta": 650_000, "central_coast": 500_000,
            "central_highlands": 450_000, "south_east": 750_000, "mekong_delta": 550_000}
SCORING_TABLES = [
    {"region": region, "base": base, "items": _B1_ITEMS,
     "basis": "Theo mẫu phiếu B1, Thông tư 07/2021/TT-BLĐTBXH (bảng điểm minh họa, cấu hình được)"}
    for region, base in _B1_BASE.items()
]

# Province codes (current and legacy maps) to socio-economic regions (GSO classification).
_REGION_CODES = {
    "northern_mountains": "02 04 06 08 10 11 12 14 15 17 19 20 24 25",
    "red_river_delta": "01 22 26 27 30 31 33 34 35 36 37",
    "central_coast": "38 40 42 44 45 46 48 49 51 52 54 56 58 60",
    "central_highlands": "62 64 66 67 68",
    "south_east": "70 72 74 75 77 79 80",
    "mekong_delta": "82 83 84 86 87 89 91 92 93 94 95 96",
}
PROVINCE_REGION = {code: region for region, codes in _REGION_CODES.items() for code in codes.split()}


def load_standards(standard_model: Any, indicator_model: Any, scoring_model: Any) -> None:
    """Creates or updates the shipped standards (models passed in, so migrations can use it)."""
    for spec in STANDARDS:
        fields = {key: value for key, value in spec.items() if key not in ("code", "indicators")}
        standard, _ = standard_model.objects.update_or_create(code=spec["code"], defaults=fields)
        for position, indicator in enumerate(spec["indicators"]):
            values = {key: value for key, value in indicator.items() if key != "code"}
            indicator_model.objects.update_or_create(
                standard=standard, code=indicator["code"], defaults={**values, "position": position})
        for table in SCORING_TABLES:
            scoring_model.objects.update_or_create(
                standard=standard, region=table["region"],
                defaults={"base": table["base"], "items": table["items"], "basis": table["basis"],
                          "provisional": True})
