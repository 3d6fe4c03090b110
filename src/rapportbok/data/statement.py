"""The accessibility statement's settings (tillganglighet.yml in the project root), read and checked.

Read like rapport.yml (data.yamlfile: no aliases, bounded size and depth); every value must be a text
(or, for `kanda_brister`, a list of texts; for the dates, a date) of bounded length. The values are
shown as escaped text.

The statement follows Digg's model statement for the law on accessibility to digital public service
(DOS-lagen): `kontakt` is needed for any build; the parts of the model that publishing needs (how
accessible the site is, the dates of the statement and of the last review, an e-mail address or a
phone number for reporting problems) are to-dos that `check` lists and that stop a build that is not
a draft (`publishing_todos`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from rapportbok.data.yamlfile import Entry, read_mapping
from rapportbok.exceptions import Problem

CONFIG_FILE = "tillganglighet.yml"
PROSE_KEYS = (  # sentences: no figures from data
    "kontakt",
    "kontakt_text",
    "tillsyn",
    "testmetod",
    "oskaligt_betungande",  # content exempted as a disproportionate burden (12 §), and why
    "utanfor_lagen",  # content the law does not cover (9 §)
)
TEXT_KEYS = (*PROSE_KEYS, "kontakt_epost", "kontakt_telefon", "kontakt_lank")
DATE_KEYS = ("upprattad", "senast_granskad", "uppdaterad")  # uppdaterad: optional, the last update
LIST_KEY = "kanda_brister"
COMPLIANCE_KEY = "forenlighet"
# How far the site complies, as Digg's model says it: the value in the file and the sentence shown.
COMPLIANCE = {
    "helt": "helt förenlig",
    "delvis": "delvis förenlig",
    "inte": "inte förenlig",
}
REQUIRED = ("kontakt",)
# Needed to publish (a draft may lack them): what each is, for the to-do.
FOR_PUBLISHING = {
    COMPLIANCE_KEY: "hur väl webbplatsen uppfyller lagen: " + ", ".join(COMPLIANCE),
    "upprattad": "dagen då redogörelsen upprättades, ÅÅÅÅ-MM-DD",
    "senast_granskad": "dagen då webbplatsen senast granskades, ÅÅÅÅ-MM-DD",
}
REPORT_CHANNELS = ("kontakt_epost", "kontakt_telefon")  # at least one of them to publish
EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
LINK = re.compile(r"https://[^\s<>\"'`]+")
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
    if problems:
        return None, problems
    return {entry.key: _value(entry) for entry in entries}, []


def publishing_todos(content: dict[str, Any]) -> list[Problem]:
    """What the statement still lacks to be published (Digg's model statement): to-dos, not errors."""
    found = [
        Problem(CONFIG_FILE, "värde saknas", column=key, allowed=what, missing=True, code="statement.todo")
        for key, what in FOR_PUBLISHING.items()
        if content.get(key) in (None, "")
    ]
    if not any(_is_given(content.get(key)) for key in REPORT_CHANNELS):
        found.append(
            Problem(
                CONFIG_FILE,
                "e-post eller telefon för att rapportera brister saknas",
                column=REPORT_CHANNELS[0],
                allowed="kontakt_epost, kontakt_telefon eller båda",
                missing=True,
                code="statement.todo",
            )
        )
    return found


def _value(entry: Entry) -> Any:
    """A date key's value as a date (YAML reads 2025-01-31 as one; a quoted one is parsed)."""
    if entry.key in DATE_KEYS and isinstance(entry.value, str):
        return date.fromisoformat(entry.value.strip())
    return entry.value


def _entry_problem(entry: Entry) -> Problem | None:
    """What is wrong with one key and its value, if anything."""
    allowed = (*TEXT_KEYS, LIST_KEY, COMPLIANCE_KEY, *DATE_KEYS)
    if entry.key not in allowed:
        return Problem(
            CONFIG_FILE,
            "okänd nyckel",
            entry.line,
            entry.key,
            "tillåtna: " + ", ".join(allowed),
            code="statement.key.unknown",
        )
    wrong = _wrong_value(entry.key, entry.value)
    if wrong is None:
        return None
    return Problem(CONFIG_FILE, wrong[0], entry.line, entry.key, wrong[1], code="statement.type")


def _wrong_value(key: str, value: Any) -> tuple[str, str] | None:
    """(what is wrong, what is allowed) for a value of `key`, or None when it is right."""
    if key == LIST_KEY:
        limits = f"högst {MAX_ITEMS} punkter om högst {MAX_CHARS} tecken"
        return None if _is_text_list(value) else ("ska vara en lista med texter", limits)
    if key in DATE_KEYS:
        return None if _is_date(value) else ("ska vara ett datum", "ÅÅÅÅ-MM-DD")
    if key == COMPLIANCE_KEY:
        return None if value in COMPLIANCE else ("okänt värde", "ett av: " + ", ".join(COMPLIANCE))
    if not _is_text(value):
        return ("ska vara en text", f"högst {MAX_CHARS} tecken")
    if key == "kontakt_epost" and not EMAIL.fullmatch(value.strip()):
        return ("är ingen e-postadress", "t.ex. kommun@kommun.se")
    if key == "kontakt_lank" and not LINK.fullmatch(value.strip()):
        return ("är ingen webbadress", "en adress som börjar med https://")
    return None


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(str(value).strip())
    except ValueError:
        return False
    return True


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
