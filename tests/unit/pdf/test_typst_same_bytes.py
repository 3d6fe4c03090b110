"""Same inputs, same bytes: the Typst edition compiled twice, and in another time zone, is the same
file (fonts from a pinned package, the document's own date, no clock time)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from rapportbok.pdf.typst.document import typst_document
from rapportbok.pdf.typst.writer import render
from tests.unit.pdf.typst_book import chapters, report

ROOT = Path(__file__).resolve().parents[3]
ONE_COMPILE = """
import hashlib, sys
from pathlib import Path
from rapportbok.pdf.typst.document import typst_document
from rapportbok.pdf.typst.writer import render
from tests.unit.pdf.typst_book import chapters, report
root = Path(sys.argv[1])
document = typst_document(report(root), chapters(), root, "Byggd från commit abc123", "2025-02-03")
print(hashlib.sha256(render(document)).hexdigest())
"""


def _digest(root: Path) -> str:
    """The finished file's digest: compiled and its row headers retagged (`render`)."""
    document = typst_document(report(root), chapters(), root, "Byggd från commit abc123", "2025-02-03")
    return hashlib.sha256(render(document)).hexdigest()


def test_two_compiles_and_another_time_zone_give_the_same_bytes(tmp_path: Path) -> None:
    """Twice in this process, once in a new process in New York's time zone: one digest."""
    first, second = _digest(tmp_path), _digest(tmp_path)
    environment = {**os.environ, "TZ": "America/New_York", "PYTHONPATH": str(ROOT)}
    elsewhere = subprocess.run(
        [sys.executable, "-c", ONE_COMPILE, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=ROOT,
    ).stdout.strip()
    assert first == second == elsewhere


def test_another_date_gives_other_bytes(tmp_path: Path) -> None:
    """The date is in the file (so the digest above can fail): the edition of another day differs."""
    source = typst_document(report(tmp_path), chapters(), tmp_path, "Byggd från commit abc123", "2025-02-04")
    assert hashlib.sha256(render(source)).hexdigest() != _digest(tmp_path)
