"""The structure check: the book's table of contents (the organisation's own data/<org>/_toc.yml, or the
project's _toc.yml) names only pages the build can make, so that `check` finds what the build would
stop on: a chapter whose notebook is missing, a name that is not a chapter name, a page that does not
exist, an entry twice; and that the table and chart blocks of its chapter notebooks name tables and
columns that exist (checks/blocks.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rapportbok.checks.blocks import block_problems
from rapportbok.checks.context import CheckContext, Found, errors
from rapportbok.core.book import BookId
from rapportbok.core.toc import (
    CHAPTER_FOLDER,
    CHAPTER_NAME,
    GENERATED_PAGES,
    PAGE_FOLDER,
    TOC_FILE,
    toc_entries,
)
from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.data.org_tables import book_schemas
from rapportbok.exceptions import ConfigError, Problem

PROJECT_CONFIG = "_config.yml"
PAGE_SUFFIXES = (".md", ".ipynb")
# An organisation's own toc is data, written by those who write data: it may only arrange pages. No
# `url` (a link in every page's navigation), `glob`, `title` or options; the project's toc is code.
DATA_TOC_KEYS = {"format", "root", "chapters", "parts"}
DATA_ENTRY_KEYS = {"file", "sections", "chapters", "caption"}


def _line_of(toc: Path, entry: str) -> int | None:
    """The first line of the table of contents that names `entry` (for the message), if any."""
    try:
        lines = toc.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, start=1) if entry in line), None)


def _chapter_problem(book: BookId, entry: str, name: str) -> tuple[str, str, str] | None:
    """(what is wrong, what to do, code) for a chapter entry, or None."""
    if not CHAPTER_NAME.fullmatch(name):
        return (
            f"{entry} är inget kapitelnamn",
            "ett kapitelnamn består av små bokstäver a–z, siffror och bindestreck: namnet på en notebook",
            "structure.chapter.name",
        )
    if not book.notebook(name).is_file():
        return (
            f"kapitlet {name} har ingen notebook",
            f"skapa notebooks/{book.organisation}/{name}.ipynb (organisationens egen) eller "
            f"notebooks/{name}.ipynb (gemensam), eller ta bort raden",
            "structure.chapter.notebook_missing",
        )
    return None


def _page_problem(book: BookId, entry: str) -> tuple[str, str, str] | None:
    """(what is wrong, what to do, code) for a page entry that is not a chapter, or None."""
    if entry in GENERATED_PAGES:
        return None
    pages = book.root / PAGE_FOLDER
    inside = ".." not in entry.split("/") and not entry.startswith("/")  # a page of book/, never a path
    if inside and any((pages / f"{entry}{suffix}").is_file() for suffix in PAGE_SUFFIXES):
        return None
    known = ", ".join(GENERATED_PAGES)
    return (
        f"sidan {entry} finns inte",
        f"en rad är chapters/<kapitel>, en sida som bygget gör ({known}) eller en sida i {PAGE_FOLDER}/",
        "structure.page.missing",
    )


def _key_problems(toc: Path, shown: str) -> list[Problem]:
    """The keys an organisation's own table of contents may not hold, each located by line."""
    content = read_yaml_mapping(toc, shown)
    found = [key for key in content if key not in DATA_TOC_KEYS]

    def walk(items: object) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found.extend(key for key in item if key not in DATA_ENTRY_KEYS)
                for key in ("sections", "chapters"):
                    walk(item.get(key))

    walk(content.get("chapters"))
    walk(content.get("parts"))
    allowed = (
        "en organisations innehållsförteckning har bara root, chapters och parts, "
        "med file, sections och caption"
    )
    return [
        Problem(
            shown,
            f"nyckeln {key} är inte tillåten",
            _line_of(toc, f"{key}:"),
            allowed=allowed,
            code="structure.key",
        )
        for key in dict.fromkeys(str(key) for key in found)
    ]


def structure_problems(book: BookId) -> list[Problem]:
    """Every entry of the book's table of contents that the build could not make, located by line; in
    an organisation's own table of contents (data), also every key it may not hold."""
    toc, shown = book.toc, book.toc_label
    try:
        entries = toc_entries(toc, shown)
        problems = _key_problems(toc, shown) if toc != book.root / TOC_FILE else []
    except ConfigError as error:
        return list(error.problems)
    seen: set[str] = set()
    for entry in entries:
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        found = (
            _chapter_problem(book, entry, name) if folder == CHAPTER_FOLDER else _page_problem(book, entry)
        )
        if found is None and entry in seen:
            found = (f"{entry} står två gånger", "ta bort den ena raden", "structure.entry.duplicate")
        seen.add(entry)
        if found is not None:
            what, allowed, code = found
            problems.append(Problem(shown, what, _line_of(toc, entry), allowed=allowed, code=code))
    return problems


def check_structure(context: CheckContext) -> Iterable[Found]:
    """In a project: the problems of the book's table of contents, then those of its notebooks' blocks."""
    book = context.book
    if not (book.root / PROJECT_CONFIG).is_file() or not book.toc.is_file():
        return  # a data folder outside a project (tests, tools): no book is built from it
    yield from errors(structure_problems(book))
    left_out = context.report.meta.left_out_chapters
    yield from errors(block_problems(book, book_schemas(book.org_dir), left_out))
