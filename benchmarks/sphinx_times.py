"""What Sphinx (Jupyter Book) costs clean against incremental, for the 2024 book.

`rapportbok build` runs Sphinx clean every time it builds the site (an empty output folder and a new
environment), so that every path gives the bytes of a clean build. This measures what that costs
against Sphinx's own incremental build, on the Sphinx source of a built copy of the project (the
chapters are executed once, untimed), and puts it beside a whole `rapportbok build` after one edited
text. Wall time and CPU time (user + system of the child processes) are the median of N runs; CPU
time is the figure to compare on a busy machine.

Usage: .venv/bin/python benchmarks/sphinx_times.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from project_copy import fresh_copy  # benchmarks/ is the script's folder

BIN = Path(sys.executable).parent
YEAR = "2024"
EDITED_TEXT = Path("data") / "kommunstyrelsekontoret" / YEAR / "text/tjanstegarantier/inforande.md"
EDITED_PAGE = Path("chapters/tjanstegarantier.ipynb")


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"failed ({completed.returncode}): {' '.join(command)}\n{completed.stdout[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def jupyter_book(project: Path) -> Callable[[], tuple[float, float]]:
    """Run Jupyter Book on the year's Sphinx source as `rapportbok build` does (without clearing)."""
    work = project / "_build" / "kommunstyrelsekontoret" / YEAR / ".work"
    command = [
        str(BIN / "jupyter-book"),
        "build",
        str(work / "source"),
        "--config",
        str(work / "_config.yml"),
        "--toc",
        str(project / "_toc.yml"),
        "--path-output",
        str(work),
        "--builder",
        "html",
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735603200"}
    return lambda: timed(command, project, env)


def clear(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        project = fresh_copy(Path(folder) / "project")
        rapportbok = [str(BIN / "rapportbok"), "build", "--year", YEAR, "--no-pdf", "--quiet"]
        timed(rapportbok, project)  # executes the chapters and writes the Sphinx source
        work = project / "_build" / "kommunstyrelsekontoret" / YEAR / ".work"
        sphinx = jupyter_book(project)
        cases: dict[str, Callable[[], None]] = {
            "Sphinx ren (tom utmapp, ny miljö) – det rapportbok gör": lambda: clear(work / "_build"),
            "Sphinx inkrementell, en sida ändrad": lambda: (work / "source" / EDITED_PAGE).touch(),
            "Sphinx inkrementell, inget ändrat": lambda: None,
            "Sphinx tom utmapp, sparad miljö": lambda: clear(work / "_build" / "html"),
        }
        for _ in range(args.runs):
            for name, prepare in cases.items():
                prepare()
                results.setdefault(name, []).append(sphinx())
            text = project / EDITED_TEXT
            original = text.read_bytes()
            text.write_bytes(original + b"\nEn ny mening.\n")
            whole = timed(rapportbok, project)
            results.setdefault("hela rapportbok build efter ändrad text", []).append(whole)
            text.write_bytes(original)
            timed(rapportbok, project)  # back to the first state, untimed
    print(f"| fall (median av {args.runs}) | vägg s | CPU s |")
    print("|---|---|---|")
    for name, runs in results.items():
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
