"""Many books: 1, 4 and 16 generated organisations built with the default executor and with Dask.

For each number of books and each executor, in a fresh copy of the project with that many generated
organisations (tests/generated_organisations.py; the template organisation is not built):

- cold: an empty _build, every chapter of every book executed, Sphinx and (by default) the PDF;
- warm: the same copy after one sentence was added to one text of every book
  (text/tjanstegarantier/inforande.md): every book is invalidated, one chapter per book is executed
  again, and each book's Sphinx and PDF steps run again;
- no-op: a third run without any change (every book is found unchanged).

Each run is one child process (`build_books` with the executor from `open_executor`), so its time
includes starting Python and, for Dask, starting the LocalCluster; the time of `build_books` alone is
reported beside it. Peak memory is the largest total RSS of the whole process tree (the driver, its
kernels, Sphinx and PDF processes and the Dask nannies and workers), sampled every 0.1 s; CPU is the
user + system time of the tree. A single-book `rapportbok build` of the real organisation (cold) is
measured for reference. The load average is sampled during every run (it includes the run itself).
This process adopts orphans (benchmarks/process_tree.py), so a kernel whose forking zygote ended first
still counts; the CPU time sampled per process is reported beside it as a check. Each run also reports
how many books' published PDF it wrote (with --no-pdf, or when a PDF was reused, fewer than books).

Usage: .venv/bin/python benchmarks/many_books.py [--counts 1,4,16] [--executors lokal,dask] [--no-pdf]
       [--workers 2] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

import psutil

# benchmarks/ is the script's folder
from process_tree import TreeCpu, adopt_orphans, children_cpu, reap_orphans
from project_copy import ROOT, fresh_copy

BIN = Path(sys.executable).parent
YEAR = 2024
TEMPLATE = "kommunstyrelsekontoret"
EDITED_TEXT = "text/tjanstegarantier/inforande.md"
PHASES = ("kall", "varm", "ingen ändring")
TOOLS = ("dask", "distributed", "papermill", "jupyter-book", "sphinx", "typst")


@dataclass
class Sample:
    """What one measured process tree did."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    load: list[float] = field(default_factory=list)  # 1-minute load average, sampled during the run
    sampled_cpu_seconds: float = 0.0  # the tree's CPU sampled per process: a cross-check of cpu_seconds


@dataclass
class Case:
    """One measured run."""

    executor: str
    books: int
    phase: str
    seconds: float
    build_seconds: float | None
    cpu_seconds: float
    peak_mb: float
    load_min: float
    load_mean: float
    load_max: float
    chapters_executed: int | None
    # CPU of the command's own process (its threads drive the books: checks, fingerprints, publishing;
    # a LocalCluster's scheduler runs in it too), without its kernels, Sphinx, PDF and Dask worker
    # processes: the part a cluster does not take over
    driver_cpu_seconds: float | None = None
    sampled_cpu_seconds: float = 0.0  # see Sample
    pdfs_written: int | None = None  # books whose published PDF was written by this run

    @property
    def per_book(self) -> float:
        return self.seconds / self.books


def measured(command: list[str], cwd: Path) -> tuple[Sample, str]:
    """Run `command`; its wall time, the CPU time and peak RSS of its process tree, the load meanwhile,
    and its standard output. A failure stops the benchmark with the command's own output.

    The tree is every descendant of this process: with `process_tree.adopt_orphans` (main) a process
    whose parent ended first (a kernel forked by the zygote) stays in it and is waited for here, so its
    CPU time is in RUSAGE_CHILDREN; the per-process sampled CPU time is kept as a cross-check."""
    before = children_cpu()
    peak, load, sampled = 0.0, [], TreeCpu()
    me = psutil.Process()
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        ticks = 0
        while not stop.is_set():
            tree = me.children(recursive=True)
            total = 0
            for member in tree:
                with contextlib.suppress(psutil.Error):  # ended between listing and reading
                    total += member.memory_info().rss
            peak = max(peak, total / 2**20)
            sampled.sample(tree)
            if ticks % 10 == 0:
                load.append(os.getloadavg()[0])
            ticks += 1
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        output, errors = process.communicate()
    finally:
        stop.set()
        sampler.join()
        if process.poll() is None:  # the benchmark was stopped: so is the build (it ends its own processes)
            process.terminate()
            process.wait(60)
    elapsed = time.perf_counter() - started
    reap_orphans()
    if process.returncode != 0:
        raise SystemExit(f"misslyckades ({process.returncode}): {' '.join(command)}\n{output}\n{errors}")
    cpu = children_cpu() - before
    return Sample(elapsed, cpu, peak, load or [os.getloadavg()[0]], sampled.seconds), output


def case(executor: str, books: int, phase: str, sample: Sample, report: dict | None) -> Case:
    return Case(
        executor=executor,
        books=books,
        phase=phase,
        seconds=sample.seconds,
        build_seconds=None if report is None else report["seconds"],
        cpu_seconds=sample.cpu_seconds,
        peak_mb=sample.peak_mb,
        load_min=min(sample.load),
        load_mean=sum(sample.load) / len(sample.load),
        load_max=max(sample.load),
        chapters_executed=None if report is None else report["chapters_executed"],
        driver_cpu_seconds=None if report is None else report["driver_cpu_seconds"],
        sampled_cpu_seconds=sample.sampled_cpu_seconds,
        pdfs_written=None if report is None else report["pdfs_written"],
    )


def generated_project(folder: Path, count: int) -> tuple[Path, list[str]]:
    """A fresh copy of the project with `count` generated organisations."""
    sys.path.insert(0, str(ROOT))  # tests/ belongs to the repository, it is not installed
    from tests.generated_organisations import generate_organisations

    project = fresh_copy(folder / "project")
    return project, generate_organisations(project, count)


def edit_texts(project: Path, organisations: list[str]) -> None:
    """One more sentence in one text of every book: every book must be built again."""
    for organisation in organisations:
        path = project / "data" / organisation / str(YEAR) / EDITED_TEXT
        path.write_text(path.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")


def child_command(
    project: Path, executor: str, organisations: list[str], pdf: bool, workers: int
) -> list[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(project), "--executor", executor]
    command += ["--organisations", ",".join(organisations), "--workers", str(workers)]
    return [*command, *([] if pdf else ["--no-pdf"])]


def run_books(executor: str, count: int, pdf: bool, workers: int, done: Callable[[Case], None]) -> None:
    """Cold, warm and no-op runs of `count` generated books with one executor, in one fresh copy;
    `done` is called with each measured run."""
    with tempfile.TemporaryDirectory() as folder:
        project, organisations = generated_project(Path(folder), count)
        command = child_command(project, executor, organisations, pdf, workers)
        for phase in PHASES:
            if phase == "varm":
                edit_texts(project, organisations)
            sample, output = measured(command, project)
            report = json.loads(output.strip().splitlines()[-1])
            done(case(executor, count, phase, sample, report))


def run_reference(pdf: bool) -> Case:
    """One cold `rapportbok build` of the real organisation, as an analyst runs it."""
    with tempfile.TemporaryDirectory() as folder:
        project = fresh_copy(Path(folder) / "project")
        command = [str(BIN / "rapportbok"), "build", "--org", TEMPLATE, "--year", str(YEAR), "--quiet"]
        sample, _ = measured([*command, *([] if pdf else ["--no-pdf"])], project)
        return case("rapportbok build", 1, "kall", sample, None)


def build_in_child(project: Path, executor: str, organisations: list[str], pdf: bool, workers: int) -> None:
    """The measured process: build the books, print one JSON line (time of build_books, chapters run)."""
    from rapportbok.core.book import BookId
    from rapportbok.pipeline import progress
    from rapportbok.pipeline.books import executors as distributed
    from rapportbok.pipeline.books import many as books
    from rapportbok.pipeline.run import BuildOptions

    wanted = [BookId(organisation, YEAR, project) for organisation in organisations]
    began = time.time()
    with distributed.open_executor(executor, None, workers) as pool:
        started = time.perf_counter()
        quiet = progress.Progress(quiet=True)
        outcomes = books.build_books(wanted, BuildOptions(executor=pool, pdf=pdf), quiet)
        seconds = time.perf_counter() - started
    failed = [outcome.describe() for outcome in outcomes if not outcome.ok]
    if failed:
        raise SystemExit("\n".join(failed))
    results = [outcome.result for outcome in outcomes if outcome.result is not None]
    executed = sum(len(result.executed) for result in results)
    # the PDF is written to the work folder and moved into place, so its time is when this run wrote it
    written = [r.pdf for r in results if r.pdf is not None and r.pdf.stat().st_mtime >= began]
    own = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "seconds": seconds,
        "chapters_executed": executed,
        "driver_cpu_seconds": own.ru_utime + own.ru_stime,
        "pdfs_written": len(written),
    }
    print(json.dumps(report))


# What growth is measured on: the whole run, build_books alone (without starting Python and the
# cluster), and the CPU time of the process tree (which the other processes of a shared machine
# disturb least).
GROWTH_MEASURES = {"tid": "seconds", "build_books": "build_seconds", "CPU": "cpu_seconds"}


def growth(cases: list[Case], executor: str, phase: str, measure: str = "seconds") -> dict[str, float]:
    """`measure` for n books over the same for the next smaller n (linear: the ratio of the counts)."""
    values = {
        c.books: getattr(c, measure) or 0.0 for c in cases if c.executor == executor and c.phase == phase
    }
    counts = sorted(values)
    return {
        f"{big}/{small}": values[big] / values[small]
        for small, big in itertools.pairwise(counts)
        if values[small]
    }


def tool_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for tool in TOOLS:
        found[tool] = version(tool)
    return found


def commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip() or "okänd"


def number(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def table(cases: list[Case], reference: Case | None) -> str:
    lines = [
        "| exekverare | böcker | fall | total s | s per bok | build_books s | CPU s | CPU s per bok | "
        "topp minne (MB) | "
        "kapitel körda | PDF skrivna | CPU s styrprocessen | CPU s samplad | belastning 1 min (min–max) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for item in [*([reference] if reference else []), *cases]:
        build = "–" if item.build_seconds is None else number(item.build_seconds)
        chapters = "–" if item.chapters_executed is None else str(item.chapters_executed)
        pdfs = "–" if item.pdfs_written is None else str(item.pdfs_written)
        cells = [
            item.executor,
            str(item.books),
            item.phase,
            number(item.seconds),
            number(item.per_book),
            build,
        ]
        driver = "–" if item.driver_cpu_seconds is None else number(item.driver_cpu_seconds)
        cells += [number(item.cpu_seconds), number(item.cpu_seconds / item.books)]
        cells += [f"{item.peak_mb:.0f}", chapters, pdfs, driver]
        cells.append(number(item.sampled_cpu_seconds))
        cells.append(f"{number(item.load_min)}–{number(item.load_max)}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counts", default="1,4,16", help="antal böcker, kommaseparerat (standard 1,4,16)")
    parser.add_argument("--executors", default="lokal,dask", help="lokal, dask eller båda (standard)")
    parser.add_argument("--workers", type=int, default=2, help="Dask-arbetare i LocalCluster (standard 2)")
    parser.add_argument(
        "--no-pdf", action="store_true", help="utan PDF (standard: med, som den riktiga boken)"
    )
    parser.add_argument("--no-reference", action="store_true", help="utan referensbygget av en bok")
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "benchmarks" / "many_books.json")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--executor", help=argparse.SUPPRESS)
    parser.add_argument("--organisations", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pdf = not args.no_pdf
    if args.child is not None:
        build_in_child(args.child, args.executor, args.organisations.split(","), pdf, args.workers)
        return
    if not adopt_orphans():
        print("Varning: processer som överlever sin förälder räknas inte in i CPU-tiden.", file=sys.stderr)
    counts = [int(value) for value in args.counts.split(",")]
    executors = args.executors.split(",")
    results = Results(args.json, pdf, args.workers)
    print(f"Belastning före: {' '.join(number(value, 2) for value in os.getloadavg())}", file=sys.stderr)
    if not args.no_reference:
        results.add(run_reference(pdf), reference=True)
    for count in counts:
        for executor in executors:
            run_books(executor, count, pdf, args.workers, results.add)
    results.save(complete=True)
    print(table(results.cases, results.reference))
    for name, ratios in results.growths().items():
        if ratios:  # with two or more numbers of books
            shown = ", ".join(f"{pair}: {number(ratio, 2)}" for pair, ratio in ratios.items())
            print(f"Tillväxt {name}: {shown} (linjärt = kvoten mellan antalen böcker)")
    print(f"JSON: {args.json}", file=sys.stderr)


class Results:
    """The runs measured so far, written to JSON after each one (a stopped benchmark keeps them)."""

    def __init__(self, path: Path, pdf: bool, workers: int) -> None:
        self.path, self.pdf, self.workers = path, pdf, workers
        self.started = time.time()
        self.reference: Case | None = None
        self.cases: list[Case] = []

    def add(self, item: Case, *, reference: bool = False) -> None:
        if reference:
            self.reference = item
        else:
            self.cases.append(item)
        print(f"  {item.executor}, {item.books} böcker, {item.phase}: {item.seconds:.1f} s", file=sys.stderr)
        self.save(complete=False)

    def growths(self) -> dict[str, dict[str, float]]:
        executors = dict.fromkeys(item.executor for item in self.cases)
        return {
            f"{executor}, {phase}, {name}": growth(self.cases, executor, phase, measure)
            for executor in executors
            for phase in PHASES
            for name, measure in GROWTH_MEASURES.items()
        }

    def save(self, *, complete: bool) -> None:
        result = {
            "complete": complete,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "minutes": (time.time() - self.started) / 60,
            "commit": commit(),
            "machine": {"cpus": os.cpu_count(), "memory_mb": psutil.virtual_memory().total // 2**20},
            "tools": tool_versions(),
            "pdf": self.pdf,
            "dask_workers": self.workers,
            "warm_means": f"one sentence added to {EDITED_TEXT} of every book after the cold run",
            "reference": None if self.reference is None else asdict(self.reference),
            "cases": [asdict(item) | {"per_book": item.per_book} for item in self.cases],
            "growth": self.growths(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
