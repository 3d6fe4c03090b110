"""What a build was made from: the git commit, a fingerprint of the year's data, the versions, and a
fixed date (SOURCE_DATE_EPOCH) so that the same inputs give the same bytes."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rapportbok.data.inventory import data_fingerprint
from rapportbok.data.report import Report

CODE_PATHS = ("src", "notebooks", "book", "_config.yml", "_toc.yml", "requirements.lock")
VERSIONED = ("rapportbok", "jupyter-book", "pandas")


def _git(root: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def git_state(root: Path) -> str:
    """'a1b2c3d' for a clean checkout, 'a1b2c3d (med ändringar)' for a dirty one, or 'okänd'.

    Not cached: a build asks once at its start and passes the answer on (see `BuildState`)."""
    commit = _git(root, "rev-parse", "--short=12", "HEAD")
    if not commit:
        return "okänd (inte ett git-arkiv)"
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    return f"{commit} (med ändringar som inte är incheckade)" if dirty else commit


def source_date_epoch(root: Path, report: Report) -> int:
    """The time of the last commit touching the year's data or the code; else the end of the period."""
    last = _git(root, "log", "-1", "--format=%ct", "--", report.shown_folder, *CODE_PATHS)
    if last and last.isdigit():
        return int(last)
    return int(datetime.combine(report.meta.period_end, time(), tzinfo=UTC).timestamp())


def source_date(root: Path, report: Report) -> date:
    return datetime.fromtimestamp(source_date_epoch(root, report), tz=UTC).date()


def versions() -> dict[str, str]:
    found = {}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "okänd"
    return found


def provenance_line(git: str, report: Report) -> str:
    """One line for page footers and PDF metadata; `git` is the build's `git_state`."""
    tools = ", ".join(f"{name} {number}" for name, number in versions().items())
    return f"Byggd från commit {git}; data {report.year}: sha256 {data_fingerprint(report)[:16]}; {tools}."
