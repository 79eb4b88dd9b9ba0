"""The shared reader of an import's file (`ansinh.lib.uploads.read_source`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import override_settings

from ansinh.lib.spreadsheets import LimitError
from ansinh.lib.tabular import ImportProblems
from ansinh.lib.uploads import read_source


def test_it_reads_bytes_a_path_and_an_uploaded_file(tmp_path: Path) -> None:
    assert read_source(b"a;b\n") == (b"a;b\n", "")
    path = tmp_path / "ket_qua.csv"
    path.write_bytes(b"x\n")
    assert read_source(path) == (b"x\n", "ket_qua.csv")
    assert read_source(str(path)) == (b"x\n", "ket_qua.csv")
    upload = io.BytesIO(b"y\n")
    upload.name = "/tmp/ho_so.xlsx"  # type: ignore[attr-defined]
    assert read_source(upload) == (b"y\n", "ho_so.xlsx")


def test_it_says_a_missing_file_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(ImportProblems) as error:
        read_source(tmp_path / "khong_co.csv")
    assert "khong_co.csv" in str(error.value.problems[0])


@override_settings(ANSINH_UPLOAD_MAX_BYTES=1024 * 1024)
def test_it_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    big = b"0" * (1024 * 1024 + 1)
    with pytest.raises(LimitError):
        read_source(io.BytesIO(big))
    path = tmp_path / "lon.csv"
    path.write_bytes(big)
    with pytest.raises(LimitError):
        read_source(path)


def test_it_leaves_no_import_of_another_apps_private_reader() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "_read_source" in p.read_text(encoding="utf-8") and p.name != "test_uploads.py"]
    assert offenders == []
