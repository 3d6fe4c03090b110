"""The narrative texts the chapter notebooks show: found in the notebooks' code, so that `check` knows
every text the build will need before any chapter runs (the notebooks are the one list)."""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable
from pathlib import Path

from rapportbok.checks.context import CheckContext, Found, errors
from rapportbok.core.book import BookId
from rapportbok.core.toc import CHAPTER_NAME, NOTEBOOK_FOLDER, chapter_names
from rapportbok.data.files import is_regular_file, year_files
from rapportbok.data.report import Report
from rapportbok.exceptions import ConfigError, Problem
from rapportbok.narrative.templates import shown_path, text_path

SHOWING_FUNCTIONS = {"show_text", "render_text"}


def _keys_in_code(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:  # a cell with IPython syntax (magics) names no text
        return []
    keys = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        key = node.args[1]
        if name in SHOWING_FUNCTIONS and isinstance(key, ast.Constant) and isinstance(key.value, str):
            keys.append(key.value)
    return keys


def book_notebooks(book: BookId) -> dict[str, Path]:
    """{chapter: its notebook} for the chapters of the book's table of contents (the organisation's
    own notebook where it has one); when the table of contents cannot be read (the build names its
    problem), every shared notebook in notebooks/."""
    try:
        names = chapter_names(book.toc, book.toc.name) if book.toc.is_file() else None
    except ConfigError:
        names = None
    if names is None:
        folder = book.root / NOTEBOOK_FOLDER
        return {path.stem: path for path in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}
    return {name: book.notebook(name) for name in names if CHAPTER_NAME.fullmatch(name)}


def notebook_texts(notebooks: dict[str, Path]) -> dict[str, list[str]]:
    """{chapter: the text keys its notebook's code shows by name}."""
    found: dict[str, list[str]] = {}
    for name, path in notebooks.items():
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue  # not a notebook the build could run either; the build names it
        keys = []
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                keys += _keys_in_code("".join(source) if isinstance(source, list) else str(source))
        found[name] = keys
    return found


def missing_text_problems(report: Report) -> list[Problem]:
    """A problem for each text a chapter of the book shows that does not exist in data/<year>/text/."""
    problems = []
    for notebook, keys in notebook_texts(book_notebooks(report.book)).items():
        if notebook in report.meta.left_out_chapters:
            continue  # the book leaves the chapter out: its texts are not needed
        for key in dict.fromkeys(keys):
            path = text_path(report, key)
            if is_regular_file(path) or path.is_symlink():
                continue  # a link is reported where data/<year> is scanned (data.files.year_files)
            what = "texten saknas" if not os.path.lexists(path) else "texten är en mapp, inte en fil"
            allowed = f"kapitlet {notebook} visar texten; skapa filen"
            problems.append(Problem(shown_path(report, key), what, allowed=allowed, code="text.missing"))
    return problems


def misnamed_folder_problems(report: Report) -> list[Problem]:
    """A folder named like a text (x.md) is not a text; say so rather than skip it silently."""
    walked = year_files(report.year_dir, report.shown_folder).folders  # bounded in depth and count
    folders = [path for path in walked if path.name.endswith(".md") and path.is_relative_to(report.text_dir)]
    return [
        Problem(
            f"{report.shown_folder}/text/{folder.relative_to(report.text_dir).as_posix()}",
            "är en mapp, inte en text",
            allowed="byt namn på mappen, eller ersätt den med en textfil",
            code="text.folder",
        )
        for folder in sorted(folders)
    ]


def check_required_texts(context: CheckContext) -> Iterable[Found]:
    """The check that every text a chapter shows exists, and that no folder is named like a text."""
    report = context.report
    return errors(missing_text_problems(report) + misnamed_folder_problems(report))
