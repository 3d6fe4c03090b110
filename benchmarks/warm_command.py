"""What one `rapportbok` command costs the e2e tests: started cold (a new Python) and forked from the
tests' warm server (tests/warm_command.py).

Runs `rapportbok check --year 2024` and a no-op `rapportbok build --year 2024 --no-pdf` (after one real
build) N times each way in a fresh copy of the project. Reports the median wall time per command and
the processor time per command (user + system of every process that ended: the commands, and for the
warm way the server once it is closed, less its start and warm-up, which is shown apart).

Usage: .venv/bin/python benchmarks/warm_command.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from project_copy import ROOT, fresh_copy

sys.path.insert(0, str(ROOT))
from tests import warm_command  # the tests' helper, from the project root

COMMANDS = {
    "check": ["check", "--year", "2024"],
    "bygge utan ändring": ["build", "--year", "2024", "--no-pdf"],
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(project: Path, argv: list[str], runs: int) -> list[float]:
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        completed = warm_command.run(argv, project)
        walls.append(time.perf_counter() - started)
        if completed.returncode != 0:
            raise SystemExit(f"{argv} gav {completed.returncode}:\n{completed.stdout}{completed.stderr}")
    return walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        project = fresh_copy(Path(folder) / "project")
        os.environ[warm_command.COLD_SETTING] = "1"
        warm_command.run(["build", "--year", "2024", "--no-pdf"], project)  # the cache for the no-op build
        print(f"{'kommando':<22}{'sätt':<7}{'vägg (median)':>15}{'processortid/kommando':>24}")
        for label, argv in COMMANDS.items():
            before = _children_cpu()
            walls = _measure(project, argv, runs)
            cold = (_children_cpu() - before) / runs
            print(f"{label:<22}{'kallt':<7}{statistics.median(walls):>13.2f} s{cold:>22.2f} s")
        del os.environ[warm_command.COLD_SETTING]
        before = _children_cpu()
        server = warm_command.server()
        warm_command.run(["--help"], project)  # the server is warmed up once it answers
        server.close()
        warm_up = _children_cpu() - before
        for label, argv in COMMANDS.items():
            before = _children_cpu()
            server = warm_command.server()
            warm_command.run(["--help"], project)
            walls = _measure(project, argv, runs)
            server.close()
            warm = (_children_cpu() - before - warm_up) / runs
            print(f"{label:<22}{'varmt':<7}{statistics.median(walls):>13.2f} s{warm:>22.2f} s")
        print(f"(den varma processens start och uppvärmning: {warm_up:.2f} s processortid, en gång)")


if __name__ == "__main__":
    main()
