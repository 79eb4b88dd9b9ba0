"""A fast streaming reader of .xlsx cell values, for big imports.

openpyxl's read-only mode builds an object per cell and, for files without a <dimension>
element (those written in streaming mode), scans every sheet once more when the workbook opens:
about 30 s for 50,000 rows. This reader feeds the sheet XML to the standard library's expat
parser chunk by chunk (callbacks, no element objects), keeps a chunk's rows in memory at a
time and yields plain values, as openpyxl would with data_only=True: shared and inline strings as str, numbers as
int or float, numbers in a date format as datetime, booleans as bool, formula results as cached.
Both the transitional and the strict OOXML namespaces are read. Expat (2.4 and later) refuses
entity-expansion attacks, and no handler fetches external entities.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import pyexpat
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
RELS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships")


def _tags(name: str) -> frozenset[str]:
    """Element names as expat reports them with namespace_separator="}" (also without a namespace)."""
    return frozenset({f"{ns}}}{name}" for ns in MAIN} | {name})


ROW, CELL, VALUE, TEXT, SHARED, PHONETIC = (_tags(n) for n in ("row", "c", "v", "t", "si", "rPh"))
CHUNK = 1 << 16


class XlsxError(ValueError):
    """The file is not a readable .xlsx workbook."""


def _column(ref: str) -> int:
    """"AB12" -> 27 (0-based column index)."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


class XlsxReader:
    def __init__(self, source: str | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(source)
            self.sheets = self._sheets()
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
            raise XlsxError(str(error)) from None
        self._shared: list[str] | None = None
        self._dates: set[int] | None = None

    def close(self) -> None:
        self.zip.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def _xml(self, path: str) -> ElementTree.Element:
        with self.zip.open(path) as part:
            return ElementTree.parse(part).getroot()

    def _sheets(self) -> dict[str, str]:
        """Sheet name -> part path, in workbook order."""
        root = self._xml("xl/workbook.xml")
        self.epoch = CALENDAR_WINDOWS_1900
        for child in root:
            if child.tag.endswith("}workbookPr") and child.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
        rels = {rel.get("Id"): rel.get("Target", "") for rel in self._xml("xl/_rels/workbook.xml.rels")}
        out: dict[str, str] = {}
        for sheets in root:
            if not sheets.tag.endswith("}sheets"):
                continue
            for sheet in sheets:
                rid = next((sheet.get(f"{{{ns}}}id") for ns in RELS if sheet.get(f"{{{ns}}}id")), None)
                target = rels.get(rid, "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                out[sheet.get("name", "")] = path
        return out

    @property
    def shared(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if "xl/sharedStrings.xml" in self.zip.namelist():
                handler = _Strings(self._shared)
                for _ in self._parse("xl/sharedStrings.xml", handler):
                    pass
        return self._shared

    def _parse(self, path: str, handler: _Handler) -> Iterator[None]:
        """Feeds a part to expat a chunk at a time, yielding after each chunk."""
        parser = pyexpat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        try:
            with self.zip.open(path) as part:
                while chunk := part.read(CHUNK):
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
                yield
        except (pyexpat.ExpatError, zipfile.BadZipFile, KeyError, ValueError, IndexError) as error:
            raise XlsxError(str(error)) from None

    @property
    def dates(self) -> set[int]:
        """Indexes of the cell styles whose number format is a date."""
        if self._dates is None:
            self._dates = set()
            if "xl/styles.xml" in self.zip.namelist():
                root = self._xml("xl/styles.xml")
                formats = dict(BUILTIN_FORMATS)
                for child in root:
                    if child.tag.endswith("}numFmts"):
                        formats.update({int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in child})
                for child in root:
                    if child.tag.endswith("}cellXfs"):
                        for index, xf in enumerate(child):
                            code = formats.get(int(xf.get("numFmtId", 0)), "")
                            if code and is_date_format(code):
                                self._dates.add(index)
        return self._dates

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, values) of every row that has cells, in order; missing cells are None."""
        handler = _Cells(self.shared, self.dates, self.epoch)
        if name not in self.sheets or self.sheets[name] not in self.zip.namelist():
            raise XlsxError(f"no sheet {name}")
        for _ in self._parse(self.sheets[name], handler):
            yield from handler.done
            handler.done.clear()


class _Handler:
    def start(self, name: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        raise NotImplementedError


class _Strings(_Handler):
    """The shared strings: each <si>'s text, rich-text runs joined, phonetic hints (<rPh>) left out."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.parts: list[str] = []
        self.collecting = False
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in TEXT and not self.phonetic:
            self.collecting = True
        elif name in PHONETIC:
            self.phonetic += 1

    def end(self, name: str) -> None:
        if name in TEXT:
            self.collecting = False
        elif name in PHONETIC:
            self.phonetic -= 1
        elif name in SHARED:
            self.out.append("".join(self.parts))
            self.parts = []

    def text(self, data: str) -> None:
        if self.collecting:
            self.parts.append(data)


class _Cells(_Handler):
    """Collects the cells of each row; finished rows wait in `done` until the reader yields them."""

    def __init__(self, shared: list[str], dates: set[int], epoch: dt.datetime) -> None:
        self.shared, self.dates, self.epoch = shared, dates, epoch
        self.done: list[tuple[int, list[Any]]] = []
        self.number = 0
        self.values: list[Any] = []
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.parts: list[str] = []
        self.collecting = False
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name in CELL:
            ref = attrs.get("r")
            self.column = _column(ref) if ref else len(self.values)
            self.kind = attrs.get("t", "n")
            self.style = int(attrs.get("s") or 0)
            self.parts = []
        elif name in VALUE or (name in TEXT and not self.phonetic):
            self.collecting = True
        elif name in ROW:
            self.number = int(attrs.get("r") or self.number + 1)
            self.values = []
        elif name in PHONETIC:
            self.phonetic += 1

    def text(self, data: str) -> None:
        if self.collecting:
            self.parts.append(data)

    def end(self, name: str) -> None:
        if name in CELL:
            self._cell()
        elif name in VALUE or name in TEXT:
            self.collecting = False
        elif name in ROW:
            self.done.append((self.number, self.values))
        elif name in PHONETIC:
            self.phonetic -= 1

    def _cell(self) -> None:
        raw = "".join(self.parts)
        kind = self.kind
        value: Any
        if kind == "inlineStr":
            value = raw
        elif not self.parts:
            value = None
        elif kind == "s":
            value = self.shared[int(raw)]
        elif kind in ("str", "e"):
            value = raw
        elif kind == "b":
            value = raw.strip() in ("1", "true")
        elif kind == "d":
            value = dt.datetime.fromisoformat(raw)
        else:
            value = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            if self.style in self.dates:
                value = from_excel(value, self.epoch)
        values = self.values
        if self.column >= len(values):
            values.extend([None] * (self.column - len(values) + 1))
        values[self.column] = value
