"""A fresh copy of the project's inputs for a benchmark to build in (never the working tree itself)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK_PARTS = (
    "_config.yml",
    "_toc.yml",
    "tillganglighet.yml",
    "book",
    "notebooks",
    "data",
    "requirements.lock",
)


def fresh_copy(target: Path, parts: tuple[str, ...] = BOOK_PARTS) -> Path:
    """Copy `parts` of the project into `target` (generated chapter pages in book/ left out)."""
    target.mkdir(parents=True)
    for part in parts:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("chapters"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target
