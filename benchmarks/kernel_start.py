"""Chapter kernels forked from the build's zygote against fresh kernels, and what it does to a cold build.

1. Per chapter: seconds until a kernel is ready to run the chapter's code (started, answered
   kernel_info, the chapter's modules imported) and the kernel's CPU seconds, fresh and forked (the
   zygote's own start is printed once: a build pays it once, for all chapters).
2. The 2024 book built cold without PDF with forked kernels, with fresh ones (RAPPORTBOK_KERNELS=fresh),
   and the naive path (papermill one chapter after another + a clean Jupyter Book build), in the same
   run: wall, CPU (user+sys of the whole process tree), the ratio to the naive path and the peak memory
   (total RSS of the process tree); then a no-op build.

Usage: .venv/bin/python benchmarks/kernel_start.py [--runs 1]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from build_times import YEAR, naive_commands  # benchmarks/ is the script's folder
from jupyter_core.utils import run_sync
from project_copy import ROOT, fresh_copy
from traitlets.config import Config

from rapportbok.pipeline.processes.execute import KERNEL_NAME, kernel_uses_this_python
from rapportbok.pipeline.processes.kernels import BuildKernelManager
from rapportbok.pipeline.processes.warm_kernels import imported_modules, preload_code
from rapportbok.pipeline.processes.zygote import Zygote

# The CLI of this interpreter's rapportbok (the venv's script may belong to another checkout).
CLI = [sys.executable, "-c", "import sys; from rapportbok.cli import main; sys.exit(main())"]


def ready_kernel(modules: list[str], zygote: Zygote | None, folder: Path) -> tuple[float, float]:
    """Seconds until a kernel has started and imported `modules`, and the kernel's CPU seconds."""
    manager = BuildKernelManager(
        kernel_name=KERNEL_NAME, config=Config({"BuildKernelManager": {"zygote": zygote}})
    )
    started = time.perf_counter()
    run_sync(manager.start_kernel)(cwd=str(folder), extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        client.execute_interactive(preload_code(modules), silent=True, timeout=120)
        seconds = time.perf_counter() - started
        cpu = psutil.Process(manager.provisioner.pid).cpu_times()  # type: ignore[union-attr]
    finally:
        client.stop_channels()
        run_sync(manager.shutdown_kernel)(now=True)
    return seconds, cpu.user + cpu.system


def kernel_starts() -> None:
    kernel_uses_this_python()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    before = time.perf_counter()
    zygote = Zygote({}, notebooks)
    with tempfile.TemporaryDirectory() as folder:
        ready_kernel([], zygote, Path(folder))  # the first fork waits for the zygote's imports
        zygote_wall = time.perf_counter() - before
        zygote_cpu = sum(psutil.Process(zygote.process.pid).cpu_times()[:2])
        print(f"zygot: redo efter {zygote_wall:.2f} s, {zygote_cpu:.2f} s CPU (en gång per bygge)\n")
        print("| kapitel | ny kärna: redo (s) | CPU (s) | gaffelkärna: redo (s) | CPU (s) |")
        print("|---|---|---|---|---|")
        totals = [0.0, 0.0, 0.0, 0.0]
        for path in notebooks:
            modules = imported_modules(path)
            fresh = ready_kernel(modules, None, Path(folder))
            forked = ready_kernel(modules, zygote, Path(folder))
            figures = [*fresh, *forked]
            totals = [total + figure for total, figure in zip(totals, figures, strict=True)]
            print(f"| {path.stem} | " + " | ".join(f"{figure:.2f}" for figure in figures) + " |")
        print("| summa | " + " | ".join(f"{total:.2f}" for total in totals) + " |\n")
    zygote.close()


def measured(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user+sys of every process the commands started) and the peak RSS (MB)
    of their process trees."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    peak = 0.0
    for command in commands:
        process = psutil.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            time.sleep(0.05)
        if process.returncode != 0:
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - started, cpu, peak


def builds(runs: int) -> None:
    build = [*CLI, "build", "--year", YEAR, "--no-pdf", "--quiet"]
    fresh = {**os.environ, "RAPPORTBOK_KERNELS": "fresh"}
    cases = {
        "naiv: papermill i följd + ren Jupyter Book": (None, os.environ),
        "kall, nya kärnor (RAPPORTBOK_KERNELS=fresh)": ([build], fresh),
        "kall, kärnor från zygoten": ([build], dict(os.environ)),
    }
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cases}
    noop: list[tuple[float, float, float]] = []
    for _ in range(runs):
        for name, (commands, env) in cases.items():
            with tempfile.TemporaryDirectory() as folder:
                project = fresh_copy(Path(folder) / "project")
                results[name].append(measured(commands or naive_commands(project), project, dict(env)))
                if commands is not None and "zygoten" in name:
                    noop.append(measured([build], project, dict(env)))
    results["ingen ändring (efter kall, zygoten)"] = noop
    naive = statistics.median(figure[0] for figure in results["naiv: papermill i följd + ren Jupyter Book"])
    print(f"| fall (median av {runs}) | vägg (s) | CPU (s) | andel av naiv (vägg) | topp minne (MB) |")
    print("|---|---|---|---|---|")
    for name, figures in results.items():
        wall = statistics.median(figure[0] for figure in figures)
        cpu = statistics.median(figure[1] for figure in figures)
        peak = max(figure[2] for figure in figures)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / naive:.2f} | {peak:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-builds", action="store_true", help="only the per-chapter kernel starts")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    kernel_starts()
    if not args.no_builds:
        builds(args.runs)


if __name__ == "__main__":
    main()
