"""The PDF child process loads only what setting the print document needs: not pandas, frictionless,
nbformat or matplotlib (a second of CPU in every build before the page setting starts)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "frictionless", "nbformat", "matplotlib", "numpy")
CHILD = """
import sys
from rapportbok.pipeline.processes.pdf_process import main
from rapportbok.pdf.typst.from_html import write_pdf
from rapportbok.pdf.typst.writer import render
from rapportbok.pdf.verify import verify_pdf
print(" ".join(sorted(name for name in sys.argv[1:] if name in sys.modules)))
"""


def test_the_pdf_child_imports_no_data_or_notebook_library() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", CHILD, *HEAVY], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


def test_the_package_still_offers_report_and_load_year() -> None:
    """`rapportbok.Report` and `rapportbok.load_year` are imported on first use; an unknown name is
    an AttributeError as for any module."""
    import rapportbok
    from rapportbok.data.load import load_year
    from rapportbok.data.report import Report

    assert rapportbok.Report is Report and rapportbok.load_year is load_year
    assert not hasattr(rapportbok, "finns_inte")
