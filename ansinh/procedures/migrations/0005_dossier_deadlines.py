"""One deadline logic (issue 14 item 1): the catalogue versions that set the deadline of the
system's other dossiers are marked with their use, and the processing times the labour app kept
in tables of its own are carried into the catalogue, with whatever an administrator had changed:

- benefit dossiers: the catalogue already held the figures of `benefits.services.DEADLINES` (a
  Python table, never edited in the database): 1.001776 (17, then 10 working days), 1.014027 (10),
  DP.NCC.CHEDO (12), DP.NCC.DICHUYEN (10), DP.NCC.THOIHUONG (12);
- unemployment dossiers: `UnemploymentRule.decision_working_days` (20, Law 38/2013 Art. 46.2 and
  Law 74/2025) becomes the days of DP.BHTN.HUONG / 1.014748 of the same start;
- work permits: each `PermitRule` row (its working days, legal basis, provisional mark and end)
  becomes the days of the DP.LDNN.* version of the same start, or a new version when the
  catalogue has none (e.g. the Decree 11/2016 rows the labour example adds). The refusal time
  stays on `PermitRule`: it is not the dossier's deadline.

Frozen here: the mapping by code is the catalogue of `0002_catalogue`."""

from __future__ import annotations

from typing import Any

from django.db import migrations

USES: dict[str, str] = {
    "1.001776": "benefit_social_assistance",
    "1.014027": "benefit_social_pension",
    "DP.NCC.CHEDO": "benefit_meritorious",
    "DP.NCC.DICHUYEN": "benefit_meritorious_move",
    "DP.NCC.THOIHUONG": "benefit_meritorious_stop",
    "DP.BHTN.HUONG": "unemployment",
    "1.014748": "unemployment",
    "DP.LDNN.CAPGP": "permit_issue",
    "DP.LDNN.CAPLAI": "permit_reissue",
    "DP.LDNN.GIAHAN": "permit_extend",
    "DP.LDNN.MIEN": "permit_exemption",
}
PERMIT_CODES = {"issue": "DP.LDNN.CAPGP", "reissue": "DP.LDNN.CAPLAI", "extend": "DP.LDNN.GIAHAN",
                "exemption": "DP.LDNN.MIEN"}
PERMIT_NAMES = {
    "issue": "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
    "reissue": "Cấp lại giấy phép lao động",
    "extend": "Gia hạn giấy phép lao động",
    "exemption": "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
}
MOVED_NOTE = "Chuyển từ bảng thời hạn giải quyết giấy phép lao động."


def forwards(apps: Any, schema_editor: Any) -> None:
    procedure = apps.get_model("procedures", "Procedure")
    for code, use in USES.items():
        procedure.objects.filter(code=code).update(used_for=use)
    permit_rule = apps.get_model("labour", "PermitRule")
    for rule in permit_rule.objects.order_by("kind", "valid_from"):
        use = f"permit_{rule.kind}"
        values = {"days": rule.working_days, "legal_basis": rule.legal_basis[:400], "provisional": rule.provisional,
                  "valid_to": rule.valid_to}
        found = procedure.objects.filter(used_for=use, valid_from=rule.valid_from).first()
        if found is not None:
            procedure.objects.filter(pk=found.pk).update(**values)
            continue
        code = PERMIT_CODES[rule.kind]
        procedure.objects.update_or_create(
            code=code, valid_from=rule.valid_from,
            defaults={**values, "name": PERMIT_NAMES[rule.kind], "field": "labour", "receiving_level": "province",
                      "deciding_level": "province", "fee": 0, "note": MOVED_NOTE, "used_for": use})
    unemployment_rule = apps.get_model("labour", "UnemploymentRule")
    for rule in unemployment_rule.objects.order_by("valid_from"):
        found = procedure.objects.filter(used_for="unemployment", valid_from=rule.valid_from).first()
        if found is None:  # a rule added by an administrator: its period gets a version of its own
            last = procedure.objects.filter(used_for="unemployment").order_by("-valid_from").first()
            procedure.objects.update_or_create(
                code=last.code if last is not None else "1.014748", valid_from=rule.valid_from,
                defaults={"name": "Giải quyết hưởng trợ cấp thất nghiệp", "field": "labour",
                          "receiving_level": "province", "deciding_level": "province", "fee": 0,
                          "legal_basis": rule.legal_basis[:400], "valid_to": rule.valid_to,
                          "provisional": rule.provisional, "days": rule.decision_working_days,
                          "note": "Chuyển từ quy định trợ cấp thất nghiệp.", "used_for": "unemployment"})
        else:
            procedure.objects.filter(pk=found.pk).update(days=rule.decision_working_days)


def backwards(apps: Any, schema_editor: Any) -> None:
    procedure = apps.get_model("procedures", "Procedure")
    procedure.objects.filter(note__in=[MOVED_NOTE, "Chuyển từ quy định trợ cấp thất nghiệp."],
                             dossiers__isnull=True).delete()
    procedure.objects.exclude(used_for="").update(used_for="")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_procedure_used_for"), ("labour", "0004_unemployment_law")]
    operations = [migrations.RunPython(forwards, backwards)]
