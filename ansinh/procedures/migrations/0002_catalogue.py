"""The catalogue of procedures the system's other capabilities open (benefit dossiers,
unemployment insurance, work permits, people with meritorious service) and a few common ones,
with the one-stop shop's hand-over rule, frozen here (a migration imports no live module).

Marked provisional: a procedure code not read in the national database of administrative
procedures, or a time read only in a secondary source. Fees set by each province's People's
Council are left at 0 with a note. Sources: the research digest `labour-procedures-care.md`
(sections 1, 3, 5) and `ansinh.benefits.services.DEADLINES`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

D61 = "Nghị định 61/2018/NĐ-CP, Điều 18"
D118 = "Nghị định 118/2025/NĐ-CP (thay thế Nghị định 61/2018/NĐ-CP)"
FEE_NOTE = "Phí, lệ phí theo Nghị quyết của Hội đồng nhân dân tỉnh."
CODE_NOTE = "Mã thủ tục chưa đối chiếu với Cơ sở dữ liệu quốc gia về thủ tục hành chính."

# code, name, field, receives, decides, days, fee, legal basis, valid from, valid to, provisional, note
PROCEDURES: list[tuple[Any, ...]] = [
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng "
     "hằng tháng", "social_assistance", "commune", "district", 17, 0,
     "Điều 8 khoản 1 Nghị định 20/2021/NĐ-CP (xã 07 + phòng Lao động - Thương binh và Xã hội 07 + Chủ tịch UBND "
     "huyện 03 ngày làm việc)", "2021-07-01", "2025-06-30", True, CODE_NOTE),
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng "
     "hằng tháng", "social_assistance", "commune", "commune", 10, 0,
     "Điều 5 Nghị định 147/2025/NĐ-CP (chính quyền địa phương hai cấp)", "2025-07-01", None, True, CODE_NOTE),
    ("1.014027", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội", "social_assistance", "commune",
     "commune", 10, 0, "Điều 4 Nghị định 176/2025/NĐ-CP", "2025-07-01", None, True, CODE_NOTE),
    ("DP.BTXH.MAITANG", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "social_assistance", "commune",
     "commune", 5, 0, "Điều 11 Nghị định 20/2021/NĐ-CP", "2021-07-01", None, True, CODE_NOTE),
    ("DP.NCC.CHEDO", "Giải quyết chế độ ưu đãi đối với người có công với cách mạng và thân nhân", "meritorious",
     "commune", "province", 12, 0, "Nghị định 131/2021/NĐ-CP (thủ tục công nhận, điều chỉnh theo từng đối tượng)",
     "2022-02-15", None, True, CODE_NOTE),
    ("DP.NCC.DICHUYEN", "Di chuyển hồ sơ người có công với cách mạng", "meritorious", "province", "province", 10, 0,
     "Điều 126 Nghị định 131/2021/NĐ-CP (nơi đi 05 + nơi đến 05 ngày làm việc)", "2022-02-15", None, True, CODE_NOTE),
    ("DP.NCC.THOIHUONG", "Thôi hưởng, tạm đình chỉ chế độ ưu đãi người có công", "meritorious", "commune", "province",
     12, 0, "Điều 122, 123 Nghị định 131/2021/NĐ-CP", "2022-02-15", None, True, CODE_NOTE),
    ("DP.BHTN.HUONG", "Giải quyết hưởng trợ cấp thất nghiệp", "labour", "province", "province", 20, 0,
     "Điều 46 Luật Việc làm 38/2013/QH13; Điều 17, 18 Nghị định 28/2015/NĐ-CP (sửa đổi bởi Nghị định 61/2020/NĐ-CP): "
     "20 ngày làm việc", "2015-01-01", "2025-12-31", True, CODE_NOTE),
    ("1.014748", "Giải quyết hưởng trợ cấp thất nghiệp", "labour", "province", "province", 20, 0,
     "Luật Việc làm 74/2025/QH15; Nghị định 374/2025/NĐ-CP (thời hạn 20 ngày làm việc giữ như trước, chưa đối chiếu "
     "văn bản)", "2026-01-01", None, True, "Mã thủ tục theo nguồn thứ cấp."),
    ("DP.LDNN.NHUCAU", "Chấp thuận nhu cầu sử dụng người lao động nước ngoài", "labour", "province", "province", 10, 0,
     "Điều 4 Nghị định 152/2020/NĐ-CP", "2021-02-15", "2025-08-06", False, CODE_NOTE),
    ("DP.LDNN.CAPGP", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "labour",
     "province", "province", 5, 0, "Điều 11 Nghị định 152/2020/NĐ-CP", "2021-02-15", "2025-08-06", False,
     f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.CAPGP", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "labour",
     "province", "province", 10, 0, "Nghị định 219/2025/NĐ-CP; Quyết định 886/QĐ-BNV (10 ngày làm việc; 03 ngày "
     "làm việc khi từ chối)", "2025-08-07", None, False, f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.CAPLAI", "Cấp lại giấy phép lao động", "labour", "province", "province", 3, 0,
     "Điều 14 Nghị định 152/2020/NĐ-CP", "2021-02-15", "2025-08-06", False, f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.CAPLAI", "Cấp lại giấy phép lao động", "labour", "province", "province", 3, 0,
     "Nghị định 219/2025/NĐ-CP; Quyết định 886/QĐ-BNV", "2025-08-07", None, False, f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.GIAHAN", "Gia hạn giấy phép lao động", "labour", "province", "province", 5, 0,
     "Điều 16, 18 Nghị định 152/2020/NĐ-CP", "2021-02-15", "2025-08-06", False, f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.GIAHAN", "Gia hạn giấy phép lao động", "labour", "province", "province", 10, 0,
     "Nghị định 219/2025/NĐ-CP; Quyết định 886/QĐ-BNV", "2025-08-07", None, False, f"{CODE_NOTE} {FEE_NOTE}"),
    ("DP.LDNN.MIEN", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "labour",
     "province", "province", 5, 0, "Điều 8 Nghị định 152/2020/NĐ-CP", "2021-02-15", "2025-08-06", False, CODE_NOTE),
    ("DP.LDNN.MIEN", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "labour",
     "province", "province", 5, 0, "Nghị định 219/2025/NĐ-CP; Quyết định 886/QĐ-BNV (03 ngày làm việc khi từ chối)",
     "2025-08-07", None, False, CODE_NOTE),
    ("DP.GN.HONGHEO", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "poverty", "commune", "commune", 7, 0,
     "Quyết định 24/2021/QĐ-TTg (rà soát thường xuyên)", "2021-07-16", None, True, CODE_NOTE),
    ("DP.TE.CANTHIEP", "Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường "
     "hoặc người gây tổn hại cho trẻ em", "children", "commune", "commune", 1, 0,
     "Luật Trẻ em 2016, Điều 52; Nghị định 56/2017/NĐ-CP", "2017-07-01", None, True, CODE_NOTE),
]

RULES = [
    (dt.time(15, 0), False, D61, "2018-06-21", "2025-06-30", False),
    (dt.time(15, 0), False, D118, "2025-07-01", None, True),
]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load(apps: Any, schema_editor: Any) -> None:
    procedure = apps.get_model("procedures", "Procedure")
    for code, name, field, receives, decides, days, fee, basis, start, end, provisional, note in PROCEDURES:
        procedure.objects.update_or_create(
            code=code, valid_from=_date(start),
            defaults={"name": name, "field": field, "receiving_level": receives, "deciding_level": decides,
                      "days": days, "fee": fee, "legal_basis": basis, "valid_to": _date(end),
                      "provisional": provisional, "note": note})
    rule = apps.get_model("procedures", "HandoverRule")
    for cutoff, shift, basis, start, end, provisional in RULES:
        rule.objects.update_or_create(
            legal_basis=basis, valid_from=_date(start),
            defaults={"cutoff": cutoff, "shift_start": shift, "valid_to": _date(end), "provisional": provisional})


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("procedures", "Procedure").objects.filter(
        code__in=[row[0] for row in PROCEDURES], dossiers__isnull=True).delete()
    apps.get_model("procedures", "HandoverRule").objects.filter(legal_basis__in=[D61, D118]).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
