"""Poverty standards to and from JSON, so a department can correct a provisional standard
(a threshold, an income line, an indicator's wording) without a code change.

`ansinh poverty standards --dump FILE.json`, edit, `ansinh poverty standards --load FILE.json`.
Loading validates the whole file before changing anything, then creates or updates each
standard in one transaction with one audit row per standard that changed. Standards absent
from the file are left as they are: nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ansinh.accounts import audit
from ansinh.accounts.audit import Actor

from . import facts
from .models import Assessment, IncomeScoringTable, PovertyStandard, Rule, StandardIndicator
from .standards_data import REGIONS

FORMAT = "ansinh-poverty-standards"
VERSION = 1
LINES = ["poverty_line_rural", "poverty_line_urban", "near_poor_line_rural", "near_poor_line_urban",
         "average_line_rural", "average_line_urban"]
STANDARD_FIELDS = ["code", "name", "basis", "valid_from", "valid_to", "rule", *LINES, "min_deprivations",
                   "provisional", "note"]
INDICATOR_FIELDS = ["code", "dimension", "name", "definition", "rule", "params", "basis", "provisional"]
TABLE_FIELDS = ["region", "base", "items", "basis", "provisional"]
# Indicator codes are column names of the files `ansinh poverty assess` reads.
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def standard_as_dict(standard: PovertyStandard) -> dict[str, Any]:
    """A standard with its indicators (in order) and scoring tables, as JSON-able data."""
    out = {name: _plain(getattr(standard, name)) for name in STANDARD_FIELDS}
    out["indicators"] = [{name: getattr(indicator, name) for name in INDICATOR_FIELDS}
                         for indicator in standard.indicators.order_by("position")]
    out["scoring_tables"] = [{name: _plain(getattr(table, name)) for name in TABLE_FIELDS}
                             for table in standard.scoring_tables.order_by("region")]
    return out


def standards_export(*, codes: list[str] | None = None) -> dict[str, Any]:
    standards = PovertyStandard.objects.order_by("valid_from")
    if codes:
        standards = standards.filter(code__in=codes)
    return {"format": FORMAT, "version": VERSION, "standards": [standard_as_dict(s) for s in standards]}


# --- Validation -------------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, text: str) -> None:
        self.errors.append(f"{where}: {text}")

    def text(self, where: str, record: dict[str, Any], name: str, *, max_length: int | None = None,
             blank: bool = False) -> str:
        value = record.get(name)
        if not isinstance(value, str) or (not blank and not value.strip()):
            self.fail(f"{where}, trường {name}", "cần một chuỗi ký tự" + ("" if blank else " không trống") + ".")
            return ""
        if max_length and len(value) > max_length:
            self.fail(f"{where}, trường {name}", f"dài quá {max_length} ký tự.")
        return value

    def flag(self, where: str, record: dict[str, Any], name: str) -> bool:
        value = record.get(name)
        if not isinstance(value, bool):
            self.fail(f"{where}, trường {name}", "cần true hoặc false.")
            return False
        return value

    def money(self, where: str, record: dict[str, Any], name: str, *, null: bool = False) -> int | None:
        value = record.get(name)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(f"{where}, trường {name}", "cần số đồng nguyên không âm" + (" hoặc null" if null else "") + ".")
            return None
        return value

    def date(self, where: str, record: dict[str, Any], name: str, *, null: bool = False) -> dt.date | None:
        value = record.get(name)
        if value is None and null:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(f"{where}, trường {name}", f"“{value}” không phải ngày dạng YYYY-MM-DD.")
        return None


def _check_standard(checker: _Checker, position: int, record: Any) -> dict[str, Any] | None:
    """One standard of the file, checked field by field; returns it normalised."""
    if not isinstance(record, dict):
        checker.fail(f"Chuẩn thứ {position}", "cần một đối tượng JSON.")
        return None
    code = record.get("code")
    where = f"Chuẩn {code}" if isinstance(code, str) and code else f"Chuẩn thứ {position}"
    unknown = sorted(set(record) - {*STANDARD_FIELDS, "indicators", "scoring_tables"})
    if unknown:
        checker.fail(where, f"trường không biết: {', '.join(unknown)}.")
    out: dict[str, Any] = {
        "code": checker.text(where, record, "code", max_length=16),
        "name": checker.text(where, record, "name", max_length=200),
        "basis": checker.text(where, record, "basis", max_length=300),
        "valid_from": checker.date(where, record, "valid_from"),
        "valid_to": checker.date(where, record, "valid_to", null=True),
        "rule": record.get("rule"),
        "provisional": checker.flag(where, record, "provisional"),
        "note": checker.text(where, record, "note", blank=True) if "note" in record else "",
    }
    if out["rule"] not in Rule.values:
        checker.fail(f"{where}, trường rule", f"quy tắc “{out['rule']}” không có; dùng một trong: "
                                             f"{', '.join(Rule.values)}.")
    for name in LINES:
        out[name] = checker.money(where, record, name, null=not name.startswith("poverty"))
    for band in ("near_poor_line", "average_line"):
        if (out[f"{band}_rural"] is None) != (out[f"{band}_urban"] is None):
            checker.fail(f"{where}, trường {band}_rural/{band}_urban", "cần cả hai mức (nông thôn, thành thị) "
                                                                      "hoặc để cả hai là null.")
    if out["rule"] == Rule.INCOME_OR_DEPRIVATION and out["near_poor_line_rural"] is None:
        checker.fail(f"{where}, trường near_poor_line_rural", f"quy tắc {out['rule']} cần chuẩn cận nghèo.")
    if out["valid_from"] and out["valid_to"] and out["valid_to"] < out["valid_from"]:
        checker.fail(f"{where}, trường valid_to", "ngày hết hiệu lực trước ngày có hiệu lực.")
    indicators = record.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        checker.fail(f"{where}, trường indicators", "cần danh sách chỉ số (không trống).")
        indicators = []
    out["indicators"] = []
    seen: set[str] = set()
    for number, indicator in enumerate(indicators, start=1):
        out["indicators"].append(_check_indicator(checker, f"{where}, chỉ số thứ {number}", indicator, seen))
    minimum = record.get("min_deprivations")
    if isinstance(minimum, bool) or not isinstance(minimum, int) or not 1 <= minimum <= max(len(indicators), 1):
        checker.fail(f"{where}, trường min_deprivations", f"cần số nguyên từ 1 đến {len(indicators)} (số chỉ số).")
    out["min_deprivations"] = minimum
    if "scoring_tables" in record:
        tables = record["scoring_tables"]
        if not isinstance(tables, list):
            checker.fail(f"{where}, trường scoring_tables", "cần danh sách bảng chấm điểm.")
            tables = []
        out["scoring_tables"] = [_check_table(checker, f"{where}, bảng chấm điểm thứ {number}", table)
                                 for number, table in enumerate(tables, start=1)]
    return out


def _check_indicator(checker: _Checker, where: str, record: Any, seen: set[str]) -> dict[str, Any]:
    if not isinstance(record, dict):
        checker.fail(where, "cần một đối tượng JSON.")
        return {}
    unknown = sorted(set(record) - set(INDICATOR_FIELDS))
    if unknown:
        checker.fail(where, f"trường không biết: {', '.join(unknown)}.")
    code = record.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        checker.fail(f"{where}, trường code", f"“{code}” không hợp lệ: chữ thường không dấu, số và dấu gạch dưới, "
                                             "bắt đầu bằng chữ, tối đa 32 ký tự (là tên cột trong tệp).")
    elif code in seen:
        checker.fail(f"{where}, trường code", f"mã chỉ số “{code}” trùng.")
    else:
        seen.add(code)
    rule = record.get("rule", "")
    if not isinstance(rule, str) or (rule and rule not in facts.RULES):
        checker.fail(f"{where}, trường rule", f"quy tắc tính “{rule}” không có; dùng một trong: "
                                             f"{', '.join(sorted(facts.RULES))}, hoặc \"\" (chỉ theo phiếu B2).")
    params = record.get("params", {})
    if not isinstance(params, dict) or not all(
            isinstance(key, str) and isinstance(value, (int, float)) for key, value in params.items()):
        checker.fail(f"{where}, trường params", "cần đối tượng JSON tên tham số → số.")
        params = {}
    return {
        "code": code, "rule": rule, "params": params,
        "dimension": checker.text(where, record, "dimension", max_length=100),
        "name": checker.text(where, record, "name", max_length=200),
        "definition": checker.text(where, record, "definition"),
        "basis": checker.text(where, record, "basis", max_length=300, blank=True) if "basis" in record else "",
        "provisional": checker.flag(where, record, "provisional"),
    }


def _check_table(checker: _Checker, where: str, record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        checker.fail(where, "cần một đối tượng JSON.")
        return {}
    region = record.get("region")
    if region not in REGIONS:
        checker.fail(f"{where}, trường region", f"vùng “{region}” không có; dùng một trong: {', '.join(REGIONS)}.")
    items = record.get("items")
    if not isinstance(items, list) or not all(
            isinstance(item, dict) and isinstance(item.get("code"), str) and isinstance(item.get("label", ""), str)
            and isinstance(item.get("points"), (int, float)) for item in items):
        checker.fail(f"{where}, trường items", 'cần danh sách [{"code": …, "label": …, "points": số đồng}, …].')
    return {
        "region": region, "base": checker.money(where, record, "base"), "items": items,
        "basis": checker.text(where, record, "basis", max_length=300, blank=True) if "basis" in record else "",
        "provisional": checker.flag(where, record, "provisional") if "provisional" in record else True,
    }


def _check_overlaps(checker: _Checker, periods: dict[str, tuple[dt.date, dt.date | None]]) -> None:
    """Two standards in force on the same day would make `PovertyStandard.in_force_on` ambiguous."""
    ordered = sorted(periods.items(), key=lambda item: item[1][0])
    for (code, (_, until)), (next_code, (start, _)) in zip(ordered, ordered[1:], strict=False):
        if until is None or until >= start:
            checker.fail(f"Chuẩn {code}", f"thời gian hiệu lực chồng lên chuẩn {next_code} (từ {start:%d/%m/%Y}).")


def _check_positions(checker: _Checker, standard: PovertyStandard, codes: list[str]) -> None:
    """Assessments store deprivations as bits by indicator position: once a standard has
    assessments, its indicators may be corrected but not added, removed or reordered."""
    current = list(standard.indicators.order_by("position").values_list("code", flat=True))
    if current != codes and Assessment.objects.filter(round__standard=standard).exists():
        checker.fail(f"Chuẩn {standard.code}", "đã có kết quả rà soát theo chuẩn này nên không được thêm, bớt hay "
                                               "đổi thứ tự chỉ số (chỉ sửa ngưỡng, tham số, tên); hãy tạo chuẩn mới.")


# --- Loading ----------------------------------------------------------------------------------


def _apply(standard: PovertyStandard | None, record: dict[str, Any]) -> PovertyStandard:
    fields = {name: record[name] for name in STANDARD_FIELDS if name != "code"}
    if standard is None:
        standard = PovertyStandard.objects.create(code=record["code"], **fields)
    else:
        for name, value in fields.items():
            setattr(standard, name, value)
        standard.save(update_fields=list(fields))
    codes = [indicator["code"] for indicator in record["indicators"]]
    standard.indicators.exclude(code__in=codes).delete()
    # Move the kept ones out of the way first: positions are unique per standard.
    for indicator in standard.indicators.all():
        indicator.position += 1000
        indicator.save(update_fields=["position"])
    for position, indicator in enumerate(record["indicators"]):
        values = {name: indicator[name] for name in INDICATOR_FIELDS if name != "code"}
        StandardIndicator.objects.update_or_create(standard=standard, code=indicator["code"],
                                                   defaults={**values, "position": position})
    if "scoring_tables" in record:
        regions = [table["region"] for table in record["scoring_tables"]]
        standard.scoring_tables.exclude(region__in=regions).delete()
        for table in record["scoring_tables"]:
            IncomeScoringTable.objects.update_or_create(
                standard=standard, region=table["region"],
                defaults={name: table[name] for name in TABLE_FIELDS if name != "region"})
    return standard


def standards_import(*, data: Any, actor: Actor) -> list[str]:
    """Creates or updates the standards of an exported file; returns the codes that changed.

    1. Check every standard, indicator and scoring table; report all problems at once.
    2. Check that validity periods do not overlap, and that standards with assessments keep
       their indicators' codes and order.
    3. In one transaction, write each standard that differs from the database, with one audit
       row (before and after) per standard.
    """
    checker = _Checker()
    records = data.get("standards") if isinstance(data, dict) else data
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        checker.fail("Tệp", f"không phải tệp chuẩn nghèo của ansinh (format cần là “{FORMAT}”).")
    if not isinstance(records, list) or not records:
        raise ValidationError(f"Tệp không có danh sách chuẩn nghèo: cần {{\"format\": \"{FORMAT}\", "
                              "\"standards\": [ … ]}, như tệp tạo bởi --dump.")
    checked = [_check_standard(checker, number, record) for number, record in enumerate(records, start=1)]
    codes = [record["code"] for record in checked if record]
    for code in {code for code in codes if codes.count(code) > 1}:
        checker.fail(f"Chuẩn {code}", "xuất hiện hai lần trong tệp.")
    if checker.errors:
        raise ValidationError(checker.errors)
    existing = {s.code: s for s in PovertyStandard.objects.filter(code__in=codes)}
    periods = {s.code: (s.valid_from, s.valid_to) for s in PovertyStandard.objects.exclude(code__in=codes)}
    for record in checked:
        assert record is not None
        periods[record["code"]] = (record["valid_from"], record["valid_to"])
        if record["code"] in existing:
            _check_positions(checker, existing[record["code"]], [i["code"] for i in record["indicators"]])
    _check_overlaps(checker, periods)
    if checker.errors:
        raise ValidationError(checker.errors)
    changed = []
    with transaction.atomic():
        for record in checked:
            assert record is not None
            standard = existing.get(record["code"])
            before = standard_as_dict(standard) if standard else None
            wanted = {**record, "valid_from": record["valid_from"].isoformat(),
                      "valid_to": record["valid_to"].isoformat() if record["valid_to"] else None}
            if before is not None and "scoring_tables" not in record:
                wanted["scoring_tables"] = before["scoring_tables"]
            if before == wanted:
                continue
            standard = _apply(standard, record)
            audit.record(actor=actor, action="households.standard.update" if before else "households.standard.create",
                         obj=standard, before=before, after=standard_as_dict(standard))
            changed.append(standard.code)
    return changed
