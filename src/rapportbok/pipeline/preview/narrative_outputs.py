"""The preview's fast path: bring a chapter's narrative up to date without a kernel.

A chapter shows most of its texts with a cell that is nothing but `show_text(report, "<key>")`. Its
output is `show_text`'s HTML and nothing else, so when only such texts changed, the package renders
them here, with the same function and the same year's data, and puts the HTML where the kernel would
have put it. Texts a chapter renders any other way (inside a table, in a loop, under another name) are
not touched here: the chapter is run again, as the build would.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

SHOW_TEXT = "show_text"
TEXT_FUNCTIONS = {"show_text", "render_text"}
HTML = "text/html"


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def shown_text_key(code: str) -> str | None:
    """The key when `code` is exactly one `show_text(report, "<key>")` expression, else None."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == SHOW_TEXT
        and not call.keywords
        and len(call.args) == 2
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == "report"
        and isinstance(call.args[1], ast.Constant)
        and isinstance(call.args[1].value, str)
    ):
        return call.args[1].value
    return None


def _other_text_uses(code: str) -> set[str | None]:
    """Keys named by text functions in code that is not a plain show_text cell (None: not a literal)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {None}
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in TEXT_FUNCTIONS:
                key = node.args[1] if len(node.args) > 1 else None
                found.add(key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None)
    return found


def text_key_of(path: str, folder: str) -> str | None:
    """'data/kommunstyrelsekontoret/2024/text/ekonomi/driftredovisning.md' → 'ekonomi/driftredovisning'
    when `folder` is 'data/kommunstyrelsekontoret/2024'; None for other files."""
    parts = PurePosixPath(path).parts
    prefix = (*PurePosixPath(folder).parts, "text")
    if len(parts) < len(prefix) + 2 or parts[: len(prefix)] != prefix or not path.endswith(".md"):
        return None
    return PurePosixPath(*parts[len(prefix) :]).with_suffix("").as_posix()


def _html_output(cell: dict[str, Any]) -> dict[str, Any] | None:
    outputs = cell.get("outputs", [])
    if len(outputs) != 1 or outputs[0].get("output_type") != "execute_result":
        return None
    return outputs[0] if HTML in outputs[0].get("data", {}) else None


def refresh_texts(
    notebook: dict[str, Any], keys: Iterable[str], render: Callable[[str], str]
) -> dict[str, Any] | None:
    """`notebook` (an executed chapter, as JSON) with the output of every plain show_text cell of
    `keys` rendered again by `render(key)`; None when some key is shown any other way (or not at all),
    so that only running the chapter again can bring it up to date."""
    wanted = set(keys)
    cells = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    refreshed: set[str] = set()
    outputs: list[tuple[dict[str, Any], str]] = []
    for cell in cells:
        code = _source(cell)
        key = shown_text_key(code)
        if key is None:
            if wanted & _other_text_uses(code) or None in _other_text_uses(code):
                return None  # a changed text, or any text named by a variable, shown another way
            continue
        if key in wanted:
            output = _html_output(cell)
            if output is None:
                return None  # the cell failed or showed something else last time
            outputs.append((output, key))
            refreshed.add(key)
    if refreshed != wanted:
        return None  # read by the chapter, but not through a plain show_text cell (e.g. inside a table)
    for output, key in outputs:
        output["data"][HTML] = render(key).splitlines(keepends=True)
    return notebook
