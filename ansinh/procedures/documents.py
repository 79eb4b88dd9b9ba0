"""The apology slip and new appointment (Phiếu xin lỗi và hẹn lại ngày trả kết quả), Form 04 of
Circular 01/2018/TT-VPCP, printed through the Decree 30/2020 layout (`ansinh.documents.layout`)."""

from __future__ import annotations

from django.utils import timezone

from ansinh.documents import layout

from .models import Dossier


def apology_docx(dossier: Dossier) -> bytes:
    """Form 04: the dossier, its appointment, the reason it is late, the one new appointment."""
    assert dossier.new_due_on is not None
    issued = timezone.localtime(dossier.apology_at).date() if dossier.apology_at else timezone.localdate()
    province = dossier.province.name
    doc = layout.document()
    layout.heading(doc, parent_body=f"Ủy ban nhân dân {province}" if dossier.unit_id != dossier.province_id else "",
                   issuing_body=dossier.agency, number=f"{dossier.code}/PXL",
                   place_date=layout.place_and_date(dossier.unit.name, issued, issued.year))
    layout.title(doc, "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "")
    layout.body(doc, f"Ngày {dossier.received_at:%d/%m/%Y}, {dossier.agency} tiếp nhận hồ sơ của ông/bà "
                     f"{dossier.applicant_name}, mã hồ sơ {dossier.code}, đề nghị giải quyết thủ tục "
                     f"{dossier.procedure.name}.")
    layout.body(doc, f"Thời hẹn trả kết quả giải quyết hồ sơ: ngày {dossier.due_on:%d/%m/%Y}.")
    layout.body(doc, f"Tuy nhiên đến nay, {dossier.agency} chưa trả kết quả giải quyết hồ sơ của ông/bà đúng hẹn "
                     f"ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do: {dossier.apology_reason}")
    layout.body(doc, f"Sự chậm trễ này đã gây phiền hà cho ông/bà, {dossier.agency} xin lỗi ông/bà và sẽ trả kết "
                     f"quả giải quyết hồ sơ cho ông/bà vào ngày {dossier.new_due_on:%d/%m/%Y}.")
    layout.body(doc, f"Xin trân trọng cảm ơn sự hợp tác của ông/bà. (Mẫu số 04, Thông tư 01/2018/TT-VPCP; "
                     f"Điều 19 Nghị định 61/2018/NĐ-CP: hẹn lại ngày trả kết quả một lần.)", italic=True)
    layout.closing(doc, recipients=layout.recipient_lines([f"Ông/bà {dossier.applicant_name}", "Lưu: VT"]),
                   authority=dossier.agency, signer_title="Thủ trưởng", name="")
    return layout.save(doc)
