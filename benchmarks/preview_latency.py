"""Latency of `rapportbok preview`: from saving a file to the open page showing the change.

Starts `rapportbok preview --year 2024` in a fresh copy of the project, opens the chapter about the
employer (arbetsgivare) in headless Chromium (Playwright, Debian's chromium-headless-shell) and then,
N times each:
- appends a new sentence to the narrative data/kommunstyrelsekontoret/2024/text/arbetsgivare/inledning.md
  and waits until the reloaded page shows it;
- changes one data value (data/kommunstyrelsekontoret/2024/personalomsattning.csv, external staff
  turnover) and waits until the reloaded page's table shows it.
The clock starts when the file is closed and stops when the page in the browser shows the new text.
After each edit the script waits until the preview is idle (the kernel for the next save started) and
then --pause seconds. Prints median and 90th percentile per kind, the CPU time of the preview's process
tree per edit (its processes, and the kernels it ended; comparable on a shared machine, where the wall
time is not), and the process tree after each edit (the number of processes and their memory: RSS, and
USS, the memory no other process shares), so that a preview left running while an analyst saves many
times can be seen to keep its process count and memory flat.

First `rapportbok build --year 2024 --no-pdf` runs in the copy, as `make report` would have, and the time
from starting the preview to its first page is printed (`--cold`: no build first, the preview runs
every chapter).

Usage: .venv/bin/python benchmarks/preview_latency.py [--runs 10] [--cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from project_copy import ROOT, fresh_copy  # benchmarks/ is the script's folder

sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import BROWSER, CHROMIUM_FLAGS  # the tests' browser and flags

BIN = Path(sys.executable).parent
TEXT = Path("data/kommunstyrelsekontoret/2024/text/arbetsgivare/inledning.md")
TABLE = Path("data/kommunstyrelsekontoret/2024/personalomsattning.csv")
TABLE_ROW = "Extern,2024,"
PAGE = "chapters/arbetsgivare.html"
SHOWS_TEXT = "sentence => document.body !== null && document.body.innerText.includes(sentence)"
SHOWS_CELL = "value => [...document.querySelectorAll('td')].some(cell => cell.textContent.trim() === value)"


def _browser() -> str:
    """The tests' headless Chromium, or a message naming the Debian package to install."""
    executable = shutil.which(BROWSER)
    if executable is None:
        sys.exit(f"{BROWSER} saknas: installera det med `apt-get install {BROWSER}` (make test gör det).")
    return executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """`rapportbok preview` running in `project`; its output is collected line by line."""

    def __init__(self, project: Path, port: int) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(BIN / "rapportbok"), "preview", "--year", "2024", "--port", str(port)],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # Ctrl-C stops it
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("preview did not get ready:\n" + "\n".join(self.lines))
            time.sleep(0.1)

    def wait_until_idle(self, timeout: float = 300) -> None:
        """Until the preview and its children (kernels started ahead) use under 10 % of a core for 2 s."""
        deadline = time.monotonic() + timeout
        process = psutil.Process(self.process.pid)
        quiet = 0
        while quiet < 4 and time.monotonic() < deadline:
            tree = [process, *process.children(recursive=True)]
            before = sum(sum(p.cpu_times()[:2]) for p in tree if p.is_running())
            time.sleep(0.5)
            after = sum(sum(p.cpu_times()[:2]) for p in tree if p.is_running())
            quiet = quiet + 1 if after - before < 0.05 else 0

    def cpu_seconds(self) -> float:
        """User and system time of the preview, its live children and the children it has ended."""
        root = psutil.Process(self.process.pid)
        ended = root.cpu_times()
        total = ended.children_user + ended.children_system
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def usage(self) -> tuple[int, float, float]:
        """The preview's process tree now: processes, RSS and USS in MB (USS: memory only it holds)."""
        tree = [psutil.Process(self.process.pid)]
        tree += tree[0].children(recursive=True)
        rss = uss = 0
        for process in tree:
            try:
                memory = process.memory_full_info()
            except psutil.Error:  # ended meanwhile
                continue
            rss, uss = rss + memory.rss, uss + memory.uss
        return len(tree), rss / 2**20, uss / 2**20

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C
        self.process.wait(timeout=60)


def timed(page, path: Path, content: str, check: str, expected: str) -> float:
    path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    page.wait_for_function(check, arg=expected, timeout=60_000, polling=20)
    return time.perf_counter() - started


def build_first(project: Path) -> float:
    """`rapportbok build --year 2024 --no-pdf` in the copy (what `make report` leaves); its seconds."""
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "rapportbok"), "build", "--year", "2024", "--no-pdf"],
        cwd=project,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{name}: median {statistics.median(ordered):.2f} s, p90 {p90:.2f} s (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between edits, once idle")
    parser.add_argument("--cold", action="store_true", help="no build before the preview")
    parser.add_argument("--verbose", action="store_true", help="print what the preview printed")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        project = fresh_copy(Path(folder) / "project")
        built = None if args.cold else build_first(project)
        port = free_port()
        started = time.perf_counter()
        preview = Preview(project, port)
        try:
            preview.wait_for("Uppdaterat på")
            first_page = time.perf_counter() - started
            first_line = next(line for line in preview.lines if "Uppdaterat på" in line)
            preview.wait_until_idle()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=_browser(), args=CHROMIUM_FLAGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/{PAGE}")
                page.wait_for_function("() => window.LiveReload !== undefined", timeout=30_000)
                text, table = project / TEXT, project / TABLE
                narrative, values = [], []
                cpu: dict[str, list[float]] = {"text": [], "värde": []}
                usage = [preview.usage()]
                original = text.read_text(encoding="utf-8")
                for run in range(args.runs):
                    sentence = f"Mätmening nummer {run} för förhandsvisningen."
                    before = preview.cpu_seconds()
                    narrative.append(timed(page, text, f"{original}\n{sentence}\n", SHOWS_TEXT, sentence))
                    preview.wait_until_idle()
                    cpu["text"].append(preview.cpu_seconds() - before)
                    time.sleep(args.pause)
                    usage.append(preview.usage())
                rows = table.read_text(encoding="utf-8")
                old = next(line for line in rows.splitlines() if line.startswith(TABLE_ROW))
                for run in range(args.runs):
                    value = f"{6 + run // 10}.{run % 10}1"
                    new_rows = rows.replace(old, f"{TABLE_ROW}{value}")
                    before = preview.cpu_seconds()
                    values.append(timed(page, table, new_rows, SHOWS_CELL, value.replace(".", ",")))
                    preview.wait_until_idle()
                    cpu["värde"].append(preview.cpu_seconds() - before)
                    time.sleep(args.pause)
                    usage.append(preview.usage())
                browser.close()
        finally:
            preview.stop()
            if args.verbose:
                print("\n".join(preview.lines))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{os.cpu_count()} kärnor, belastning (1, 5, 15 min) {load}; {args.runs} ändringar av varje slag")
    print(summary("text (data/kommunstyrelsekontoret/2024/text/arbetsgivare/inledning.md)", narrative))
    print(summary("datavärde (data/kommunstyrelsekontoret/2024/personalomsattning.csv)", values))
    for kind, seconds in cpu.items():
        median = statistics.median(seconds)
        print(f"processortid per ändring ({kind}, förhandsvisningen och dess barn): median {median:.2f} s")
    if built is not None:
        print(f"bygget före förhandsvisningen: {built:.1f} s")
    print(f"första sidan efter start: {first_page:.1f} s ({first_line.strip()})")
    print(f"processer (förhandsvisningen och dess barn) efter varje ändring: {[n for n, _, _ in usage]}")
    for label, index in (("RSS", 1), ("USS", 2)):
        mb = [round(row[index]) for row in usage]
        print(f"{label} i MB: före {mb[0]}, efter {mb[-1]}, högst {max(mb)}; {mb}")


if __name__ == "__main__":
    main()
