"""What a build was made from: the git commit, a fingerprint of the year's data, the versions, and a
fixed date (SOURCE_DATE_EPOCH) so that the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rapportbok.report import Report
from rapportbok.tracking import record_read

CODE_PATHS = ("src", "notebooks", "book", "_config.yml", "_toc.yml", "requirements.lock")
VERSIONED = ("rapportbok", "jupyter-book", "pandas")


@dataclass(frozen=True)
class DataFile:
    """One file of the year's data: its name, SHA-256 and, for tables, the number of rows."""

    name: str
    sha256: str
    rows: int | None


def _git(root: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


@cache
def git_state(root: Path) -> str:
    """'a1b2c3d' for a clean checkout, 'a1b2c3d (med ändringar)' for a dirty one, or 'okänd'."""
    commit = _git(root, "rev-parse", "--short=12", "HEAD")
    if not commit:
        return "okänd (inte ett git-arkiv)"
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    return f"{commit} (med ändringar som inte är incheckade)" if dirty else commit


def source_date_epoch(root: Path, report: Report) -> int:
    """The time of the last commit touching the year's data or the code; else the end of the period."""
    last = _git(root, "log", "-1", "--format=%ct", "--", f"data/{report.year}", *CODE_PATHS)
    if last and last.isdigit():
        return int(last)
    return int(datetime.combine(report.meta.period_end, time(), tzinfo=UTC).timestamp())


def source_date(root: Path, report: Report) -> date:
    return datetime.fromtimestamp(source_date_epoch(root, report), tz=UTC).date()


def data_files(report: Report) -> list[DataFile]:
    """Every file of data/<year>/, sorted, with checksum and (for CSV) the number of data rows."""
    found = []
    for path in sorted(p for p in report.data_dir.rglob("*") if p.is_file()):
        record_read(path)
        content = path.read_bytes()
        is_table = path.suffix == ".csv" and path.parent == report.data_dir and path.stem in report.tables
        rows = len(report.tables[path.stem]) if is_table else None
        found.append(
            DataFile(
                path.relative_to(report.data_dir.parent.parent).as_posix(),
                hashlib.sha256(content).hexdigest(),
                rows,
            )
        )
    return found


def data_fingerprint(report: Report) -> str:
    """One SHA-256 over all of the year's data files (names and contents)."""
    digest = hashlib.sha256()
    for item in data_files(report):
        digest.update(f"{item.name}:{item.sha256}\n".encode())
    return digest.hexdigest()


def versions() -> dict[str, str]:
    found = {}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "okänd"
    return found


def provenance_line(root: Path, report: Report) -> str:
    """One line for page footers and PDF metadata."""
    tools = ", ".join(f"{name} {number}" for name, number in versions().items())
    return (
        f"Byggd från commit {git_state(root)}; data {report.year}: sha256 {data_fingerprint(report)[:16]}; "
        f"{tools}."
    )
