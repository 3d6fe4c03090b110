"""Helpers for the Excel tests: a private copy of data/, the exported workbook, edits made with openpyxl."""

from __future__ import annotations

import hashlib
import pickle
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rapportbok.authoring.excel.import_ import ImportResult, import_workbook
from rapportbok.data.load import book_of
from rapportbok.exceptions import DataError
from tests.conftest import ROOT

YEAR = 2024


def copy_data(target: Path) -> Path:
    """A copy of the project's data/ folder that a test may change."""
    shutil.copytree(ROOT / "data" / "kommunstyrelsekontoret", target)
    return target


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


_LOADED: dict[str, bytes] = {}


def edited(workbook: Path, target: Path, edit) -> Path:
    """A copy of `workbook` at `target`, changed by `edit(book)` and saved by openpyxl.

    A workbook is loaded by openpyxl once per content; each edit works on an unpickled copy of it,
    which saves to the same parts as a workbook loaded anew (test_excel_import.py tests this)
    at a tenth of the cost."""
    key = hashlib.sha256(workbook.read_bytes()).hexdigest()
    if key not in _LOADED:
        _LOADED[key] = pickle.dumps(load_workbook(workbook))
    book = pickle.loads(_LOADED[key])  # our own pickle, made just above
    edit(book)
    book.save(target)
    return target


def rewrite_part(workbook: Path, member: str, change) -> None:
    """Change one XML part of a saved workbook in place, e.g. to add what only Excel writes."""
    with zipfile.ZipFile(workbook) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)


def with_cached_formula(workbook: Path, sheet_index: int, cell: str, formula: str, value: str) -> None:
    """Give `cell` of the n-th sheet (1-based, as stored) a formula and a saved result, as Excel does."""
    pattern = re.compile(rf'<c r="{cell}"([^>]*?)(?:/>|>.*?</c>)')

    def change(xml: str) -> str:
        attributes = re.sub(r'\s+t="[^"]*"', "", pattern.search(xml).group(1))
        return pattern.sub(f'<c r="{cell}"{attributes}><f>{formula}</f><v>{value}</v></c>', xml, count=1)

    rewrite_part(workbook, f"xl/worksheets/sheet{sheet_index}.xml", change)


def refused(workbook: Path, data: Path, year: int = YEAR) -> str:
    """Import `workbook`, expect it to be refused with nothing written, and return the message."""
    before = fingerprint(data)
    with pytest.raises(DataError) as caught:
        import_workbook(workbook, book_of(year, data))
    after = fingerprint(data)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert changed == [], f"a refused import changed data/: {changed}"
    message = str(caught.value)
    assert message.startswith(f"{workbook.name} har "), message
    assert f"inget har skrivits i data/kommunstyrelsekontoret/{year}" in message
    return message


def imported(workbook: Path, data: Path, year: int = YEAR) -> ImportResult:
    return import_workbook(workbook, book_of(year, data))
