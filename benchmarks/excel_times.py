"""Times of the Excel workflow for the 2024 data: `rapportbok excel` and `rapportbok import`, with
`rapportbok check` beside them (both run the same check).

Each command runs as the analyst runs it (a new process, so the times include Python's start-up and
imports), in a fresh copy of the project; median of N runs. CPU time (user + system) is given beside
the wall-clock time: on a shared machine it is the steadier figure. The import reads the workbook that the
export of the same run wrote, so it writes no file (a round trip).

Usage: .venv/bin/python benchmarks/excel_times.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from project_copy import fresh_copy  # benchmarks/ is the script's folder

PARTS = ("_config.yml", "_toc.yml", "tillganglighet.yml", "data")  # what check, excel and import read
RAPPORTBOK = str(Path(sys.executable).parent / "rapportbok")
YEAR = "2024"
WORKBOOK = f"_build/kommunstyrelsekontoret/{YEAR}/excel/kommunstyrelsekontoret-underlag-{YEAR}.xlsx"
COMMANDS = {
    "rapportbok check": ["check", "--year", YEAR],
    "rapportbok excel": ["excel", "--year", YEAR],
    "rapportbok import": ["import", WORKBOOK, "--year", YEAR],
}


def timed(arguments: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) of the command's process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([RAPPORTBOK, *arguments], cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    size = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            project = fresh_copy(Path(folder) / "project", PARTS)
            before = {
                path.name: path.read_bytes()
                for path in (project / "data" / "kommunstyrelsekontoret" / YEAR).glob("*.csv")
            }
            for name, arguments in COMMANDS.items():
                wall, seconds = timed(arguments, project)
                times[name].append(wall)
                cpu[name].append(seconds)
            after = {
                path.name: path.read_bytes()
                for path in (project / "data" / "kommunstyrelsekontoret" / YEAR).glob("*.csv")
            }
            assert after == before, "the round trip changed a CSV file"
            size = (project / WORKBOOK).stat().st_size
    print(f"| command (median of {runs}) | wall s | min | max | CPU s |")
    print("|---|---|---|---|---|")
    for name, values in times.items():
        print(
            f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} "
            f"| {statistics.median(cpu[name]):.2f} |"
        )
    print(f"\nload average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"\nworkbook: {size / 1024:.0f} kB; the import wrote no file (byte-identical round trip)")


if __name__ == "__main__":
    main()
