"""The narrative texts the chapter notebooks show: found in the notebooks' code, so that `check` knows
every text the build will need before any chapter runs (the notebooks are the one list)."""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterable
from pathlib import Path

from rapportbok.checks.context import CheckContext, Found, errors
from rapportbok.data.files import is_regular_file, year_files
from rapportbok.data.report import Report
from rapportbok.exceptions import Problem
from rapportbok.narrative.templates import shown_path, text_path

SHOWING_FUNCTIONS = {"show_text", "render_text"}
NOTEBOOK_FOLDER = "notebooks"


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


def notebook_texts(root: Path) -> dict[str, list[str]]:
    """{notebook name: the text keys its code shows by name}, for every notebook in notebooks/."""
    folder = root / NOTEBOOK_FOLDER
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue  # not a notebook the build could run either; the build names it
        keys = []
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                keys += _keys_in_code("".join(source) if isinstance(source, list) else str(source))
        found[path.stem] = keys
    return found


def missing_text_problems(report: Report, root: Path) -> list[Problem]:
    """A problem for each text a chapter shows that does not exist in data/<year>/text/."""
    problems = []
    for notebook, keys in notebook_texts(root).items():
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
    return errors(missing_text_problems(report, context.book.root) + misnamed_folder_problems(report))
