"""The accessibility statement's settings (tillganglighet.yml in the project root), read and checked.

Read like rapport.yml (data.yamlfile: no aliases, bounded size and depth); every value must be a text
(or, for `kanda_brister`, a list of texts) of bounded length. The values are shown as escaped text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rapportbok.data.yamlfile import read_mapping
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
    allowed = (*TEXT_KEYS, LIST_KEY)
    entries = [entry for entry in content.entries if entry.value is not None]  # `key:` alone = not given
    for entry in entries:
        value = entry.value
        if entry.key not in allowed:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    "okänd nyckel",
                    entry.line,
                    entry.key,
                    "tillåtna: " + ", ".join(allowed),
                    code="statement.key.unknown",
                )
            )
        elif entry.key == LIST_KEY:
            items = value if isinstance(value, list) else None
            if items is None or len(items) > MAX_ITEMS or not all(_is_text(item) for item in items):
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        "ska vara en lista med texter",
                        entry.line,
                        entry.key,
                        f"högst {MAX_ITEMS} punkter om högst {MAX_CHARS} tecken",
                        code="statement.type",
                    )
                )
        elif not _is_text(value):
            problems.append(
                Problem(
                    CONFIG_FILE,
                    "ska vara en text",
                    entry.line,
                    entry.key,
                    f"högst {MAX_CHARS} tecken",
                    code="statement.type",
                )
            )
    for key in REQUIRED:
        if not (isinstance(content.get(key), str) and content.get(key).strip()):
            problems.append(
                Problem(
                    CONFIG_FILE,
                    "värde saknas",
                    column=key,
                    allowed="vem man rapporterar brister till",
                    code="statement.missing",
                )
            )
    return (None, problems) if problems else ({entry.key: entry.value for entry in entries}, [])


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_CHARS
