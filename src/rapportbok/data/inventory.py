"""The files of one fiscal year with their SHA-256 checksums: what *Om rapporten* lists and what the
provenance line fingerprints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rapportbok.data.csvfile import MAX_BYTES as MAX_FILE_BYTES
from rapportbok.data.files import read_bytes, year_files
from rapportbok.data.report import Report


@dataclass(frozen=True)
class DataFile:
    """One file of the year's data: its name, SHA-256 and, for tables, the number of rows."""

    name: str
    sha256: str
    rows: int | None


def data_files(report: Report) -> list[DataFile]:
    """Every file of data/<org>/<year>/, sorted, with checksum and (for CSV) the number of data rows."""
    found = []
    for path in year_files(report.year_dir, report.shown_folder).files:  # regular files, no links
        report.reads.record(path)
        content = read_bytes(path, path.name, MAX_FILE_BYTES, within=report.year_dir)
        is_table = path.suffix == ".csv" and path.parent == report.year_dir and path.stem in report.tables
        rows = len(report.tables[path.stem]) if is_table else None
        found.append(
            DataFile(
                f"{report.shown_folder}/{path.relative_to(report.year_dir).as_posix()}",
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
