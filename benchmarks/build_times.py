"""Build times of the 2024 book: the naive pipeline against `rapportbok build`, side by side.

Naive: every chapter executed one after another with the papermill CLI, then a clean Jupyter Book build.
rapportbok: cold (empty cache), after editing one narrative file, after changing one data value, and a
no-op. All without the PDF (the naive pipeline has none); the PDF step is timed on its own. Median of N
runs, each in a fresh copy of the project; peak memory is the largest total RSS of the process tree.

Usage: .venv/bin/python benchmarks/build_times.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("_config.yml", "_toc.yml", "book", "notebooks", "data", "requirements.lock")
BIN = Path(sys.executable).parent
YEAR = "2024"
CHAPTERS = [
    entry["file"].split("/")[-1] for entry in yaml.safe_load((ROOT / "_toc.yml").read_text())["chapters"]
]


def fresh_copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("chapters"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def measured(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Seconds for the commands run one after another, and the peak RSS (MB) of their process trees."""
    peak = 0.0
    started = time.perf_counter()
    for command in commands:
        process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop = threading.Event()

        def sample(process: psutil.Popen = process, stop: threading.Event = stop) -> None:
            nonlocal peak
            while not stop.is_set():
                try:
                    tree = [process, *process.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
                except psutil.Error:
                    pass
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        code = process.wait()
        stop.set()
        sampler.join()
        if code != 0:
            raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return time.perf_counter() - started, peak


def naive_commands(project: Path) -> list[list[str]]:
    source = project / "naive-book"
    shutil.copytree(project / "book", source)
    (source / "chapters").mkdir(exist_ok=True)
    runs = [
        [
            str(BIN / "papermill"),
            f"notebooks/{name}.ipynb",
            str(source / "chapters" / f"{name}.ipynb"),
            "-p",
            "year",
            YEAR,
            "-p",
            "data_dir",
            str(project / "data"),
            "--cwd",
            "notebooks",
        ]
        for name in CHAPTERS
    ]
    sphinx = [
        str(BIN / "jupyter-book"),
        "build",
        str(source),
        "--config",
        str(project / "_config.yml"),
        "--toc",
        str(project / "_toc.yml"),
        "--path-output",
        str(project / "naive-out"),
    ]
    return [*runs, sphinx]


def build(*extra: str) -> list[list[str]]:
    return [[str(BIN / "rapportbok"), "build", "--year", YEAR, "--quiet", *extra]]


def edit_text(project: Path) -> None:
    path = project / "data" / YEAR / "text/tjanstegarantier/inforande.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")


def edit_value(project: Path) -> None:
    path = project / "data" / YEAR / "sjukfranvaro.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",1.4\n", ",1.5\n", 1), encoding="utf-8")


def run_case(prepare: Callable[[Path], list[list[str]]], runs: int) -> tuple[float, float]:
    seconds, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            project = fresh_copy(Path(folder) / "project")
            commands = prepare(project)
            elapsed, peak = measured(commands, project)
            seconds.append(elapsed)
            peaks.append(peak)
    return statistics.median(seconds), max(peaks)


def warm(then: Callable[[Path], None] | None) -> Callable[[Path], list[list[str]]]:
    """A case measured after a first (untimed) build of the same copy."""

    def prepare(project: Path) -> list[list[str]]:
        measured(build("--no-pdf"), project)
        if then is not None:
            then(project)
        return build("--no-pdf")

    return prepare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = {
        "naiv: papermill i följd + ren Jupyter Book": naive_commands,
        "rapportbok build, kall": lambda project: build("--no-pdf"),
        "efter ändrad text (ett kapitel)": warm(edit_text),
        "efter ändrat datavärde": warm(edit_value),
        "ingen ändring": warm(None),
        "rapportbok build, kall, med PDF": lambda project: build(),
    }
    results = {name: run_case(prepare, args.runs) for name, prepare in cases.items()}
    naive = results["naiv: papermill i följd + ren Jupyter Book"][0]
    print(f"| fall (median av {args.runs}) | s | andel av naiv | topp minne (MB) |")
    print("|---|---|---|---|")
    for name, (seconds, peak) in results.items():
        print(f"| {name} | {seconds:.2f} | {seconds / naive:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
