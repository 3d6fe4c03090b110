"""How fast `rapportbok import` refuses the hostile workbooks of issue 24 (each once ran for minutes):
a merged range to the last cell, one cell at XFD1048576, a declared dimension to the last cell, 300 000
blank rows, and /dev/zero, a FIFO and a folder given as the workbook.

Each runs as the analyst runs it (a new process, Python's start-up included) in a fresh copy of the
project; `rapportbok --help` is timed beside them, so that the refusal's own cost is the difference.

Usage: .venv/bin/python benchmarks/hostile_workbooks.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from project_copy import fresh_copy  # benchmarks/ is the script's folder

PARTS = ("_config.yml", "_toc.yml", "tillganglighet.yml", "data")
RAPPORTBOK = str(Path(sys.executable).parent / "rapportbok")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet(dimension: str = "A1", rows: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def workbook(path: Path, worksheet: str) -> Path:
    """A one-sheet workbook, written part by part."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="uppdrag" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": worksheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def timed(arguments: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Exit code, wall-clock and CPU seconds (user + system) of the command, and its error output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([RAPPORTBOK, *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.returncode, wall, cpu, done.stderr.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = fresh_copy(Path(folder) / "project", PARTS)
        cases = {
            '<mergeCell ref="A40:XFD1048576"/>': workbook(
                project / "merge.xlsx",
                sheet(after='<mergeCells count="1"><mergeCell ref="A40:XFD1048576"/></mergeCells>'),
            ),
            "one cell at XFD1048576": workbook(
                project / "corner.xlsx", sheet(rows='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
            ),
            '<dimension ref="A1:XFD1048576"/>': workbook(project / "dim.xlsx", sheet("A1:XFD1048576")),
            "300 000 blank rows": workbook(
                project / "blank.xlsx", sheet(rows="".join(f'<row r="{n}"/>' for n in range(1, 300_001)))
            ),
            "/dev/zero": Path("/dev/zero"),
            "a FIFO": project / "fifo.xlsx",
            "a folder": project / "data",
        }
        os.mkfifo(project / "fifo.xlsx")
        print("| workbook | exit | wall s | CPU s | message |")
        print("|---|---|---|---|---|")
        code, wall, cpu, _ = timed(["--help"], project)
        print(f"| (rapportbok --help) | {code} | {wall:.2f} | {cpu:.2f} | |")
        for name, path in cases.items():
            code, wall, cpu, message = timed(["import", str(path), "--year", "2024"], project)
            print(f"| {name} | {code} | {wall:.2f} | {cpu:.2f} | {message[:90]}… |")
        print(f"\nload average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
