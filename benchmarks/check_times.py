"""What one check of a year costs, by two commits' code: `check_year` of the same data, in one process.

Each commit's `src/` is taken from this repository (`git archive`, nothing uncommitted) and run with the
installed dependencies (`PYTHONPATH=<copy>/src`) on this project's data. In a new process the first check
also reads the package's tables and compiles every text; the checks after it are what a process that
checks again pays (the preview on every save, the tests, `rapportbok site` over several years). Both
figures are CPU seconds (`time.process_time`), median over `--runs` processes. Every check of both
commits must find the same things (errors, to-dos, warnings, acknowledged ones), or the benchmark says
so and exits with 1.

Usage: .venv/bin/python benchmarks/check_times.py [--base 46131da] [--head HEAD]
       [--org kommunstyrelsekontoret] [--year 2024] [--runs 5] [--checks 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import json, sys, time
from pathlib import Path
from rapportbok.checks.check import check_year
from rapportbok.core.book import BookId

def findings(result):
    kinds = ("problems", "todo", "to_verify", "warnings", "acknowledged")
    return sorted(f"{kind}: {item}" for kind in kinds for item in getattr(result, kind))

book = BookId(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
started = time.process_time()
result = check_year(book)
first = time.process_time() - started
started = time.process_time()
for _ in range(int(sys.argv[4])):
    again = check_year(book)
later = (time.process_time() - started) / int(sys.argv[4])
assert findings(result) == findings(again)
print(json.dumps({"first": first, "later": later, "found": findings(result)}))
"""


def _source_of(commit: str, into: Path) -> Path:
    """`src/` of `commit`, unpacked under `into`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _measure(source: Path, args: argparse.Namespace) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, "-c", MEASURE, args.org, str(args.year), str(ROOT), str(args.checks)]
    printed = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(printed.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="46131da")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--org", default="kommunstyrelsekontoret")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checks", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sources = {name: _source_of(getattr(args, name), Path(folder) / name) for name in ("base", "head")}
        runs: dict[str, list[dict]] = {"base": [], "head": []}
        for _ in range(args.runs):  # alternating, so that both meet the same machine
            for name, source in sources.items():
                runs[name].append(_measure(source, args))
    found = {name: runs[name][0]["found"] for name in runs}
    print(f"check_year({args.org} {args.year}), CPU s, median of {args.runs} processes:")
    print(f"{'':6} {'first check':>12} {'each later':>12}")
    for name in ("base", "head"):
        first = statistics.median(run["first"] for run in runs[name])
        later = statistics.median(run["later"] for run in runs[name])
        print(f"{name:6} {first:12.3f} {later:12.3f}   ({getattr(args, name)})")
    if found["base"] != found["head"]:
        print("The two commits' checks found different things:")
        for line in sorted(set(found["base"]) ^ set(found["head"])):
            print(f"  {'base' if line in found['base'] else 'head'}: {line}")
        return 1
    print(f"Both found the same {len(found['head'])} things (errors, to-dos, warnings, acknowledged).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
