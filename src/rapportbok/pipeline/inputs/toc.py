"""The book's table of contents (the organisation's data/<org>/_toc.yml, else the project's _toc.yml) is
the one list of its chapters; the build derives their notebooks from it (core/toc.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rapportbok.core.book import BookId
from rapportbok.core.toc import CHAPTER_FOLDER, CHAPTER_NAME, TOC_FILE, toc_entries
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
    """A chapter page generated from its notebook (the organisation's own in notebooks/<org>/, or the
    shared one in notebooks/), executed into the book's build folder."""

    name: str
    notebook: Path


def chapters(book: BookId) -> list[Chapter]:
    """The chapters the book's table of contents lists (its own or the project's), in book order,
    each with its notebook."""
    toc_path, shown = book.toc, book.toc_label
    if not toc_path.is_file():
        raise UsageError(f"{toc_path} saknas: innehållsförteckningen är listan över kapitel.", file=shown)
    found = []
    for entry in toc_entries(toc_path, shown):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder != CHAPTER_FOLDER:
            continue
        if not CHAPTER_NAME.fullmatch(name):
            raise UsageError(
                f"{shown} nämner {entry}: ett kapitelnamn består av små bokstäver a–z, siffror och "
                "bindestreck (det är namnet på en notebook i notebooks/).",
                file=shown,
            )
        chapter = Chapter(name, book.notebook(name))
        if not chapter.notebook.is_file():
            own = f"notebooks/{book.organisation}/{name}.ipynb"
            raise UsageError(
                f"{shown} nämner {entry}, men notebooks/{name}.ipynb saknas (och organisationen har "
                f"ingen egen {own}).",
                file=shown,
            )
        found.append(chapter)
    return found


def book_chapters(book: BookId, left_out: Collection[str] = ()) -> list[Chapter]:
    """The chapters of one organisation's book: those of its table of contents it does not leave out
    (rapport.yml `utelamnade_kapitel`)."""
    return [chapter for chapter in chapters(book) if chapter.name not in left_out]


def write_book_toc(book: BookId, left_out: Collection[str], target: Path) -> Path:
    """The toc Jupyter Book builds the book from: the book's table of contents itself (its own or the
    project's), or, when the organisation leaves chapters out, a copy at `target` without their entries
    (so they are in no navigation)."""
    toc_path = book.toc
    if not left_out:
        return toc_path
    content = read_yaml_mapping(toc_path, book.toc_label)
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
