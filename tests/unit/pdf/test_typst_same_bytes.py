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


def test_the_builds_pdf_child_gives_the_same_bytes_in_another_time_zone(tmp_path: Path) -> None:
    """The build's path (print document → `pdf_process.main` → `from_html.write_pdf`): in this process
    and in a child in New York's time zone with another working folder, the same file."""
    from rapportbok.pdf.document import print_document
    from rapportbok.pdf.typst.from_html import write_pdf

    provenance = "Byggd från commit abc123"
    document = print_document(report(tmp_path), chapters(), tmp_path, provenance, "2025-02-03")
    source = tmp_path / "print.html"
    source.write_text(document, encoding="utf-8")
    here = write_pdf(document, tmp_path / "här.pdf", base_url=tmp_path).read_bytes()
    (tmp_path / "annan").mkdir()
    child = "rapportbok.pipeline.processes.pdf_process"
    code = f"import sys; from {child} import main; sys.exit(main(sys.argv[1:]))"
    subprocess.run(
        [sys.executable, "-c", code, str(source), str(tmp_path / "där.pdf"), str(tmp_path)],
        check=True,
        env={**os.environ, "TZ": "America/New_York", "PYTHONPATH": str(ROOT)},
        cwd=tmp_path / "annan",
    )
    assert (tmp_path / "där.pdf").read_bytes() == here
