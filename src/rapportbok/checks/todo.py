"""The to-do list of a year, naming things: grouped by file, then by item (a goal, an indicator, an
assignment …) with its id and title, e.g. "Mål 3.1 Stärka tryggheten i hela Norrtälje kommun:
bedömning, trend, analys". Written as plain text for the terminal or as a Markdown checklist.

A text that belongs to a row (data.required_texts, e.g. a goal's analysis) is listed with that row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rapportbok.checks.check import CheckResult
from rapportbok.checks.outcomes import EMPTY_CODE
from rapportbok.checks.texts import NOT_REWRITTEN_CODE
from rapportbok.core.formatting import MONTHS, count_text
from rapportbok.data.report import Report
from rapportbok.data.required_texts import ACTIVITY_COMMENT, GOAL_ANALYSIS, GOAL_NOT_FULFILLED
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.vocabulary import AssignmentKind
from rapportbok.exceptions import Problem, visible
from rapportbok.narrative.templates import REWRITE_MARKER

FIRST_DATA_ROW = 2  # row 1 is the header, as Excel numbers it
MISSING = "saknas"  # the reason of an empty required value: "bedömning, trend saknas"
NOT_REWRITTEN = f"märkt {REWRITE_MARKER} – skriv texten och ta bort märkningen"
MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")


def markdown_text(value: object) -> str:
    """`value` as Markdown that shows exactly its text: the characters that make inline markup
    (emphasis, code, links, HTML, tables) escaped, the rest left readable for an e-mail; line breaks
    and control characters shown as U+XXXX."""
    return MARKDOWN_INLINE.sub(r"\\\1", visible(str(value)))


@dataclass(frozen=True)
class ItemName:
    """How a row of a table is named: a word, the id columns, and a title column."""

    word: str | None  # None: the row's own `typ` (Uppdrag, Nämndinitiativ)
    ids: tuple[str, ...]
    title: str | None = None
    id_shown: bool = True  # False: the id is a name for files (intakter), the title says it (Intäkter)


ITEM_NAMES = {
    "malomraden": ItemName("Målområde", ("malomrade",), "namn"),
    "inriktningsmal": ItemName("Mål", ("mal_id",), "titel"),
    "indikatorer": ItemName("Indikator", ("indikator_id",), "namn"),
    "indikator_utfall": ItemName("Indikator", ("indikator_id",)),
    "uppdrag": ItemName(None, ("uppdrag_id",), "titel"),
    "uppdrag_nasta_ar": ItemName(AssignmentKind.UPPDRAG.value, ("uppdrag_id",), "titel_i_tabellen"),
    "uppdrag_sammanstallning": ItemName("Sammanställning", ("typ", "status")),
    "drift": ItemName("Post", ("post_id",), "post", id_shown=False),
    "drift_verksamhet": ItemName("Verksamhet", ("verksamhet_id",), "verksamhet", id_shown=False),
    "investeringar": ItemName("Projekt", ("projekt_nr",), "projekt"),
    "sjukfranvaro": ItemName("Sjukfrånvaro", ("grupp", "ar", "manad")),
    "sjukfranvaro_ar": ItemName("Sjukfrånvaro", ("grupp", "ar")),
    "personalomsattning": ItemName("Personalomsättning", ("typ", "ar")),
}
# What each required text is, as the to-do list names it next to its row.
TEXT_WHAT = (
    (GOAL_ANALYSIS, "analys"),
    (GOAL_NOT_FULFILLED, "analys av ej uppfyllt mål"),
    (ACTIVITY_COMMENT, "kommentar"),
)


@dataclass
class TodoItem:
    """One thing to fill in or verify, e.g. a goal and the columns and texts it still lacks, each with
    the reason (`saknas`, `märkt [SKRIV OM] – skriv texten …` …)."""

    name: str
    what: list[tuple[str, str]] = field(default_factory=list)  # (column or text, reason)
    verify: list[tuple[str, str]] = field(default_factory=list)  # empty, but perhaps rightly: to verify

    @property
    def required(self) -> bool:
        """Something of the item must be filled in before the book is published."""
        return bool(self.what)

    def text(self, escape: bool = False, mark_verify: bool = False) -> str:
        """'Mål 3.1 Titel: bedömning, trend saknas; analys (text/…): kopierad … (kontrollera: utfall
        saknas (…))'; `mark_verify` marks an item with only things to verify '(kontrollera)' (a
        checklist has no [krävs]/[kontrollera] label)."""
        shown = markdown_text if escape else str
        parts = _by_reason(self.what, shown)
        checks = _by_reason(self.verify, shown)
        if checks:
            parts = f"{parts} (kontrollera: {checks})" if parts else checks
            parts += " (kontrollera)" if mark_verify and not self.what else ""
        return f"{shown(self.name.rstrip('.'))}: {parts}"


def _by_reason(entries: list[tuple[str, str]], shown: Callable[[object], str]) -> str:
    """'bedömning, trend saknas; analys (text/…): skriv om': the entries gathered by reason, in order."""
    gathered: dict[str, list[str]] = {}
    for what, reason in entries:
        listed = gathered.setdefault(reason, [])
        if what and what not in listed:
            listed.append(what)
    parts = []
    for reason, whats in gathered.items():
        names = ", ".join(shown(what) for what in whats)
        if not reason:
            parts.append(names)
        elif not names:
            parts.append(shown(reason))
        else:
            parts.append(f"{names}{'' if reason.startswith(MISSING) else ':'} {shown(reason)}")
    return "; ".join(parts)


@dataclass
class TodoGroup:
    """The to-dos of one file (or of the texts), with how many entries each item gathers."""

    file: str
    items: dict[str, TodoItem] = field(default_factory=dict)
    required: int = 0
    to_verify: int = 0


def todo_list(result: CheckResult, folder: str) -> list[TodoGroup]:
    """The result's to-dos grouped by file and then by item, in the order of the check; `folder` is the
    year's folder as messages name it (data/<org>/<year>, data.years.year_label)."""
    groups: dict[str, TodoGroup] = {}
    required = {id(problem) for problem in result.todo}
    for problem in result.todo + result.to_verify:
        is_required = id(problem) in required
        file, name, what = _place(problem, result.report, folder)
        group = groups.setdefault(file, TodoGroup(file))
        item = group.items.setdefault(name, TodoItem(name))
        (item.what if is_required else item.verify).append(what)
        if is_required:
            group.required += 1
        else:
            group.to_verify += 1
    return list(groups.values())


Entry = tuple[str, str]  # (what: a column or a text, the reason)


def _place(problem: Problem, report: Report | None, folder: str) -> tuple[str, str, Entry]:
    """(file to list it under, item name, (what, why)) for one to-do."""
    text_prefix = f"{folder}/text/"
    if problem.file.startswith(text_prefix):
        key = problem.file[len(text_prefix) :].removesuffix(".md")
        owner = _text_owner(key, report, folder)
        if owner is not None:
            file, name, what = owner
            return file, name, (what, _text_reason(problem))
        return f"{folder}/text/", key + ".md", ("", _text_reason(problem))
    table = _table_of(problem.file, folder)
    if table is None or report is None or problem.row is None:
        return problem.file, _where(problem), ("", _cell_what(problem))
    column = _column_title(table, problem.column) if problem.column else ""
    return problem.file, _row_name(report, table, problem.row), (column, _reason(problem))


def _reason(problem: Problem) -> str:
    """Why a cell is on the list: 'saknas' (a required value), 'saknas (fyll i värdet, eller …)' (a
    value to verify), or what the check says (a new end date, a rule)."""
    if problem.missing and (problem.code == EMPTY_CODE or problem.message.startswith("värde saknas")):
        advice = problem.allowed if problem.code == EMPTY_CODE else None
        return f"{MISSING} ({advice})" if advice else MISSING
    return f"{problem.message} ({problem.allowed})" if problem.allowed else problem.message


def _text_reason(problem: Problem) -> str:
    """Why a text is on the list: copied and not rewritten, or what its line says (a claim that
    contradicts the assessment); a text that is missing is listed by its row, not here."""
    if problem.code == NOT_REWRITTEN_CODE:
        return NOT_REWRITTEN
    where = f"rad {problem.row}: " if problem.row is not None else ""
    return where + problem.message


def _text_owner(key: str, report: Report | None, folder: str) -> tuple[str, str, str] | None:
    if report is None:
        return None
    for text, what in TEXT_WHAT:
        if key.startswith(text.prefix):
            frame = report.tables[text.table]
            value = key[len(text.prefix) :]
            matches = [i for i, cell in enumerate(frame[text.column]) if str(cell) == value]
            if matches:
                file = f"{folder}/{table_schema(text.table).file_name}"
                row_name = _row_name(report, text.table, matches[0] + FIRST_DATA_ROW)
                return file, row_name, f"{what} (text/{key}.md)"
    return None


def _table_of(file: str, folder: str) -> str | None:
    for name in TABLE_NAMES:
        if file == f"{folder}/{table_schema(name).file_name}":
            return name
    return None


def _value(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _row_name(report: Report, table: str, row: int) -> str:
    """'Mål 3.1 Stärka tryggheten …' for the row (numbered as in the file, header = 1)."""
    frame = report.tables[table]
    naming = ITEM_NAMES.get(table)
    offset = row - FIRST_DATA_ROW
    if naming is None or not 0 <= offset < len(frame):
        return f"rad {row}"
    values = frame.iloc[offset]
    ids = " ".join(_value(values[column]) for column in naming.ids if _value(values[column]))
    if not ids:
        return f"rad {row}"
    word = naming.word or _value(values.get("typ")) or "Rad"
    title = _value(values[naming.title]) if naming.title else ""
    if table == "indikator_utfall":
        title = f"{_indicator_name(report, ids).rstrip('.')} ({_value(values['ar'])})".strip()
    if table == "sjukfranvaro":  # Kommunen januari 2025, not Kommunen 2025 1
        ids = _sick_leave_ids(values)
    if title and not naming.id_shown:
        ids = ""
    return visible(" ".join(part for part in (word, ids, title) if part))


def _sick_leave_ids(values: pd.Series) -> str:
    parts = (_value(values["grupp"]), _month(values["manad"]), _value(values["ar"]))
    return " ".join(part for part in parts if part)


def _month(value: Any) -> str:
    """The month's Swedish name (1 → januari); as it is if it is no month."""
    text = _value(value)
    return MONTHS[int(text) - 1] if text.isdigit() and 1 <= int(text) <= len(MONTHS) else text


def _indicator_name(report: Report, indicator_id: str) -> str:
    frame = report.tables["indikatorer"]
    for value, name in zip(frame["indikator_id"], frame["namn"], strict=False):
        if _value(value) == indicator_id:
            return _value(name)
    return ""


def _column_title(table: str, column: str) -> str:
    schema = table_schema(table)
    if column in schema.field_names:
        title = schema.field(column).title
        return title[:1].lower() + title[1:] if title[1:2].islower() else title
    return column


def _where(problem: Problem) -> str:
    return f"rad {problem.row}" if problem.row is not None else "filen"


def _cell_what(problem: Problem) -> str:
    return f'kolumn "{problem.column}": {problem.message}' if problem.column else problem.message


def _heading(folder: str, result: CheckResult) -> str:
    return (
        f"Att göra i {folder}: {count_text(len(result.todo), 'uppgift saknas', 'uppgifter saknas')}, "
        f"{len(result.to_verify)} att kontrollera"
    )


def _group_counts(group: TodoGroup) -> str:
    parts = [count_text(len(group.items), "post", "poster")]
    if group.required:
        parts.append(count_text(group.required, "uppgift saknas", "uppgifter saknas"))
    if group.to_verify:
        parts.append(f"{group.to_verify} att kontrollera")
    return ", ".join(parts)


def todo_text(result: CheckResult, folder: str) -> str:
    """The to-do list for the terminal: one line per item, under its file with counts."""
    lines = [_heading(folder, result)]
    for group in todo_list(result, folder):
        lines.append(f"  {group.file} ({_group_counts(group)})")
        for item in group.items.values():
            label = "krävs" if item.required else "kontrollera"
            lines.append(f"    [{label}] {item.text()}")
    return "\n".join(lines)


def todo_markdown(result: CheckResult, folder: str) -> str:
    """The to-do list as a Markdown checklist (for an e-mail or an issue); values from data escaped."""
    lines = [f"## {_heading(folder, result)}"]
    for group in todo_list(result, folder):
        lines += ["", f"### `{group.file}` ({_group_counts(group)})", ""]
        lines += [f"- [ ] {item.text(escape=True, mark_verify=True)}" for item in group.items.values()]
    return "\n".join(lines) + "\n"
