"""The table of contents (_toc.yml) is the one list of chapters; the build derives its notebooks from it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rapportbok.core.toc import CHAPTER_FOLDER, TOC_FILE, toc_entries
from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.exceptions import UsageError

__all__ = [
    "CHAPTER_FOLDER",
    "TOC_FILE",
    "Chapter",
    "book_chapters",
    "chapters",
    "toc_entries",
    "write_book_toc",
]


@dataclass(frozen=True)
class Chapter:
    """A chapter page generated from `notebooks/<name>.ipynb` (executed into the year's build folder)."""

    name: str

    def notebook(self, root: Path) -> Path:
        return root / "notebooks" / f"{self.name}.ipynb"


def chapters(root: Path) -> list[Chapter]:
    """The chapter notebooks listed in `_toc.yml`, in book order."""
    toc_path = root / TOC_FILE
    if not toc_path.is_file():
        raise UsageError(
            f"{toc_path} saknas: innehållsförteckningen är listan över kapitel.", file=toc_path.name
        )
    found = []
    for entry in toc_entries(toc_path):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder == CHAPTER_FOLDER:
            chapter = Chapter(name)
            if not chapter.notebook(root).is_file():
                raise UsageError(
                    f"_toc.yml nämner {entry}, men notebooks/{name}.ipynb saknas.", file=toc_path.name
                )
            found.append(chapter)
    return found


def book_chapters(root: Path, left_out: Collection[str] = ()) -> list[Chapter]:
    """The chapters of one organisation's book: those of `_toc.yml` it does not leave out
    (rapport.yml `utelamnade_kapitel`)."""
    return [chapter for chapter in chapters(root) if chapter.name not in left_out]


def write_book_toc(root: Path, left_out: Collection[str], target: Path) -> Path:
    """The toc Jupyter Book builds the book from: `_toc.yml` itself, or, when the organisation leaves
    chapters out, a copy at `target` without their entries (so they are in no navigation)."""
    toc_path = root / TOC_FILE
    if not left_out:
        return toc_path
    content = read_yaml_mapping(toc_path, toc_path.name)
    left = {f"{CHAPTER_FOLDER}/{name}" for name in left_out}

    def keep(items: list[Any]) -> list[Any]:
        kept = []
        for item in items:
            if str(item.get("file", "")).removesuffix(".ipynb") in left:
                continue
            item = dict(item)
            for key in ("sections", "parts", "chapters"):
                if key in item:
                    item[key] = keep(item[key])
            kept.append(item)
        return kept

    for key in ("chapters", "parts"):
        if key in content:
            content[key] = keep(content[key])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
