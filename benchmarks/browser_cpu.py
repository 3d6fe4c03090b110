"""What the accessibility check costs in each headless Chromium of Debian: the full browser (`chromium`)
and Chromium's headless shell (`chromium-headless-shell`, what the tests drive).

Builds the 2024 book in a fresh copy of the project (or takes a built site with --site), serves it on
localhost and runs the tests' axe-core check (the same script, rules and options as
tests/e2e/test_accessibility.py) on every page at 1280 and 390 px in the light and the dark colour
scheme, with each browser in turn, --runs times. Reports per browser the median wall time, the median
processor time of the whole machine (user + system from /proc/stat: run it on an idle machine) and the
violations found (they must be the same for both browsers).

Usage: .venv/bin/python benchmarks/browser_cpu.py [--runs 2] [--site _build/kommunstyrelsekontoret/2024/html]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from project_copy import ROOT, fresh_copy
from search_quality import serve  # the site on localhost, quietly

sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM_FLAGS  # the tests' browser flags, from the project root
from tests.e2e.test_accessibility import SCHEMES, WIDTHS, _axe, axe_context

BROWSERS = ("chromium", "chromium-headless-shell")


def _machine_cpu() -> float:
    """Processor seconds the whole machine has spent (user, nice, system) since it started."""
    fields = Path("/proc/stat").read_text(encoding="utf-8").splitlines()[0].split()[1:4]
    return sum(int(field) for field in fields) / 100


def _check_every_page(executable: str, url: str, pages: list[str]) -> int:
    """The tests' axe check of every page × width × colour scheme; the number of violations."""
    from playwright.sync_api import sync_playwright

    found = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        for scheme in SCHEMES:
            for width, height in WIDTHS.values():
                context = axe_context(
                    browser, viewport={"width": width, "height": height}, locale="sv-SE", color_scheme=scheme
                )
                page = context.new_page()
                for name in pages:
                    page.goto(f"{url}/{name}")
                    found += len(_axe(page)["violations"])
                context.close()
        browser.close()
    return found


def _built_site(folder: Path) -> Path:
    project = fresh_copy(folder / "project")
    command = [sys.executable, "-m", "rapportbok.cli", "build", "--year", "2024", "--no-pdf"]
    subprocess.run(command, cwd=project, check=True, capture_output=True)
    return project / "_build/kommunstyrelsekontoret/2024/html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--site", type=Path, help="a built site (default: build 2024 in a fresh copy)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = arguments.site.resolve() if arguments.site else _built_site(Path(folder))
        pages = sorted(
            path.relative_to(site).as_posix() for path in site.rglob("*.html") if "_static" not in path.parts
        )
        url = serve(site)
        checks = len(pages) * len(WIDTHS) * len(SCHEMES)
        print(f"{checks} kontroller ({len(pages)} sidor × 2 bredder × 2 färglägen), {arguments.runs} varv")
        for name in BROWSERS:
            executable = shutil.which(name)
            if executable is None:
                print(f"{name}: saknas (apt-get install {name})")
                continue
            walls, cpus, violations = [], [], set()
            for _ in range(arguments.runs):
                started, cpu = time.perf_counter(), _machine_cpu()
                violations.add(_check_every_page(executable, url, pages))
                walls.append(time.perf_counter() - started)
                cpus.append(_machine_cpu() - cpu)
            print(
                f"{name}: {statistics.median(walls):.1f} s, maskinens processortid "
                f"{statistics.median(cpus):.1f} s, överträdelser {sorted(violations)}"
            )


if __name__ == "__main__":
    main()
