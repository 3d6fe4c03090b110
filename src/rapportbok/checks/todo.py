"""The to-do list of a year, naming things: grouped by file, then by item (a goal, an indicator, an
assignment …) with its id and title, e.g. "Mål 3.1 Stärka tryggheten i hela Norrtälje kommun:
bedömning, trend, analys". Written as plain text for the terminal or as a Markdown checklist.

A text that belongs to a row (data.required_texts, e.g. a goal's analysis) is listed with that row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rapportbok.checks.check import CheckResult
from rapportbok.core.formatting import count_text
from rapportbok.data.report import Report
from rapportbok.data.required_texts import ACTIVITY_COMMENT, GOAL_ANALYSIS, GOAL_NOT_FULFILLED
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.vocabulary import AssignmentKind
from rapportbok.exceptions import Problem, visible

FIRST_DATA_ROW = 2  # row 1 is the header, as Excel numbers it
REWRITE = "skriv om"
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


ITEM_NAMES = {
    "malomraden": ItemName("Målområde", ("malomrade",), "namn"),
    "inriktningsmal": ItemName("Mål", ("mal_id",), "titel"),
    "indikatorer": ItemName("Indikator", ("indikator_id",), "namn"),
    "indikator_utfall": ItemName("Indikator", ("indikator_id",)),
    "uppdrag": ItemName(None, ("uppdrag_id",), "titel"),
    "uppdrag_nasta_ar": ItemName(AssignmentKind.UPPDRAG.value, ("uppdrag_id",), "titel_i_tabellen"),
    "uppdrag_sammanstallning": ItemName("Sammanställning", ("typ", "status")),
    "drift": ItemName("Post", ("post_id",), "post"),
    "drift_verksamhet": ItemName("Verksamhet", ("verksamhet_id",), "verksamhet"),
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
    """One thing to fill in or verify, e.g. a goal and the columns and texts it still lacks."""

    name: str
    what: list[str] = field(default_factory=list)
    verify: list[str] = field(default_factory=list)  # empty, but perhaps rightly: to be verified

    @property
    def required(self) -> bool:
        """Something of the item must be filled in before the book is published."""
        return bool(self.what)

    def text(self, escape: bool = False, mark_verify: bool = False) -> str:
        """'Mål 3.1 Titel: bedömning, trend, analys (kontrollera: utfall)'; `mark_verify` marks an item
        with only things to verify '(kontrollera)' (a checklist has no [krävs]/[kontrollera] label)."""
        shown = markdown_text if escape else str
        parts = ", ".join(shown(word) for word in dict.fromkeys(self.what))
        checks = ", ".join(shown(word) for word in dict.fromkeys(self.verify))
        if checks:
            parts = f"{parts} (kontrollera: {checks})" if parts else checks
            parts += " (kontrollera)" if mark_verify and not self.what else ""
        return f"{shown(self.name.rstrip('.'))}: {parts}"


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


def _place(problem: Problem, report: Report | None, folder: str) -> tuple[str, str, str]:
    """(file to list it under, item name, what is to be done) for one to-do."""
    text_prefix = f"{folder}/text/"
    if problem.file.startswith(text_prefix):
        key = problem.file[len(text_prefix) :].removesuffix(".md")
        owner = _text_owner(key, report, folder)
        if owner is not None:
            return owner
        return f"{folder}/text/", key + ".md", REWRITE if problem.row is None else _cell_what(problem)
    table = _table_of(problem.file, folder)
    if table is None or report is None or problem.row is None:
        return problem.file, _where(problem), _cell_what(problem)
    return problem.file, _row_name(report, table, problem.row), _column_title(table, problem.column)


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
    return visible(" ".join(part for part in (word, ids, title) if part))


def _indicator_name(report: Report, indicator_id: str) -> str:
    frame = report.tables["indikatorer"]
    for value, name in zip(frame["indikator_id"], frame["namn"], strict=False):
        if _value(value) == indicator_id:
            return _value(name)
    return ""


def _column_title(table: str, column: str | None) -> str:
    if column is None:
        return "värde"
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
