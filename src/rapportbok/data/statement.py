"""The accessibility statement's settings (tillganglighet.yml in the project root), read and checked.

Read like rapport.yml (data.yamlfile: no aliases, bounded size and depth); every value must be a text
(or, for `kanda_brister`, a list of texts) of bounded length. The values are shown as escaped text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rapportbok.data.yamlfile import Entry, read_mapping
from rapportbok.exceptions import Problem

CONFIG_FILE = "tillganglighet.yml"
TEXT_KEYS = ("kontakt", "kontakt_text", "tillsyn", "testmetod")
LIST_KEY = "kanda_brister"
REQUIRED = ("kontakt",)
MAX_CHARS = 4000
MAX_ITEMS = 50


def read_statement(root: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The statement's settings, or None and every problem with them."""
    content, problems = read_mapping(root / CONFIG_FILE, CONFIG_FILE, within=root)
    if content is None:
        return None, problems
    entries = [entry for entry in content.entries if entry.value is not None]  # `key:` alone = not given
    problems += [problem for entry in entries if (problem := _entry_problem(entry)) is not None]
    problems += [_missing(key) for key in REQUIRED if not _is_given(content.get(key))]
    return (None, problems) if problems else ({entry.key: entry.value for entry in entries}, [])


def _entry_problem(entry: Entry) -> Problem | None:
    """What is wrong with one key and its value, if anything."""
    allowed = (*TEXT_KEYS, LIST_KEY)
    if entry.key not in allowed:
        return Problem(
            CONFIG_FILE,
            "okänd nyckel",
            entry.line,
            entry.key,
            "tillåtna: " + ", ".join(allowed),
            code="statement.key.unknown",
        )
    if entry.key == LIST_KEY:
        if _is_text_list(entry.value):
            return None
        return Problem(
            CONFIG_FILE,
            "ska vara en lista med texter",
            entry.line,
            entry.key,
            f"högst {MAX_ITEMS} punkter om högst {MAX_CHARS} tecken",
            code="statement.type",
        )
    if _is_text(entry.value):
        return None
    return Problem(
        CONFIG_FILE,
        "ska vara en text",
        entry.line,
        entry.key,
        f"högst {MAX_CHARS} tecken",
        code="statement.type",
    )


def _missing(key: str) -> Problem:
    return Problem(
        CONFIG_FILE,
        "värde saknas",
        column=key,
        allowed="vem man rapporterar brister till",
        code="statement.missing",
    )


def _is_given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= MAX_ITEMS and all(_is_text(item) for item in value)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_CHARS
