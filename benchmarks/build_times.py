"""Time `rapportbok check` and cold `rapportbok build` on the 2024 book; prints a table.

Each run builds a fresh copy of the project in a temporary folder (nothing cached), median of N runs.
Usage: .venv/bin/python benchmarks/build_times.py [--runs 3] [--year 2024]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("_config.yml", "_toc.yml", "book", "notebooks", "data")


def fresh_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("chapters"))
        else:
            shutil.copy2(source, target / part)
    return target


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--year", default="2024")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "rapportbok.cli"]
    cases = {
        "check": ["check", "--year", args.year],
        "build cold, --jobs 1": ["build", "--year", args.year, "--jobs", "1"],
        f"build cold, --jobs {os.cpu_count()}, --no-pdf": ["build", "--year", args.year, "--no-pdf"],
        f"build cold, --jobs {os.cpu_count()}": ["build", "--year", args.year],
    }
    print(f"{'case':<38}{'median s':>10}{'min s':>8}{'max s':>8}   (runs: {args.runs})")
    for name, arguments in cases.items():
        seconds = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                project = fresh_copy(Path(folder) / "project")
                seconds.append(timed(cli + arguments, project))
        print(f"{name:<38}{statistics.median(seconds):>10.2f}{min(seconds):>8.2f}{max(seconds):>8.2f}")


if __name__ == "__main__":
    main()
