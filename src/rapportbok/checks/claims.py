"""What narrative claims, checked against the data: a goal's stated assessment and typed figures.

- A goal's analysis (required_texts.GOAL_ANALYSIS, and GOAL_NOT_FULFILLED's text for a goal when it is
  shown) that states an assessment ("bedöms uppfyllt", "är delvis uppfyllt", "når inte måluppfyllelse")
  other than the goal's bedömning is a to-do: it stops publishing, a draft may show it. In an organisation's
  own vocabulary (data/<org>/vokabular.yml) the claims are its levels' words after the same verbs
  ("bedöms som delvis uppnått"), and "inte <the best level>" states the lowest level.
- A figure typed by hand (digits or number words that no placeholder produced, see narrative.typed) is a
  warning, unless the year's data/<year>/skrivna_siffror.yml accepts it for that text with a reason.
  An accepted figure that the text no longer has is a warning too, so the list stays honest.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from rapportbok.checks.context import CheckContext, Found, errors, warnings
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, OrgVocabulary
from rapportbok.data.report import Report
from rapportbok.data.required_texts import GOAL_ANALYSIS, GOAL_NOT_FULFILLED
from rapportbok.data.vocabulary import Assessment
from rapportbok.data.vocabulary_file import report_vocabulary
from rapportbok.data.written_figures import FILE_NAME, WrittenFigures
from rapportbok.exceptions import Finding, Problem
from rapportbok.narrative.typed import NUMBER_WORDS, blank_placeholders, typed_figures

# Negated and partial forms are alternatives of their own, so that "bedöms ej uppfyllt" is never read
# as "uppfyllt". Whitespace includes line breaks: a sentence may wrap.
_VERB = r"(?:bedöms|bedömdes|är|var|blir|anses)"
_DONE = r"uppfyll(?:t|d|da)"
CLAIMS: tuple[tuple[re.Pattern[str], Assessment], ...] = (
    (
        re.compile(
            rf"\b{_VERB}\s+(?:som\s+)?(?:ej|inte)\s+(?:som\s+|vara\s+)?{_DONE}\b"
            rf"|\b(?:ej|inte)\s+{_VERB}\s+(?:som\s+|vara\s+)?{_DONE}\b"
            r"|\b(?:ej|inte)\s+(?:nå|når|nått)\s+måluppfyllelse\b|\bnår\s+(?:ej|inte)\s+måluppfyllelse\b",
            re.I,
        ),
        Assessment.NOT_FULFILLED,
    ),
    (
        re.compile(
            rf"\b{_VERB}\s+(?:som\s+|vara\s+)?delvis\s+{_DONE}\b|\bdelvis\s+(?:når|nått)\s+måluppfyllelse\b",
            re.I,
        ),
        Assessment.PARTLY_FULFILLED,
    ),
    (
        re.compile(rf"\b{_VERB}\s+(?:som\s+|vara\s+)?{_DONE}\b|\b{_VERB}\s+nå\s+måluppfyllelse\b", re.I),
        Assessment.FULFILLED,
    ),
)


def _words(value: str) -> str:
    """A level's value as a pattern: its words, any whitespace between them."""
    return r"\s+".join(re.escape(word) for word in value.split())


def vocabulary_claims(vocabulary: OrgVocabulary) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The claims of a vocabulary, most specific first: Norrtälje's phrasings for the default; for
    another, each level's words after a verb (longest first, so "delvis uppnått" is never read as
    "uppnått"), and "inte"/"ej" before the best level's words as the lowest level."""
    if vocabulary.is_default:
        return CLAIMS
    best = _words(vocabulary.best.value)
    negated = (
        re.compile(
            rf"\b{_VERB}\s+(?:som\s+)?(?:ej|inte)\s+(?:som\s+|vara\s+)?{best}\b"
            rf"|\b(?:ej|inte)\s+{_VERB}\s+(?:som\s+|vara\s+)?{best}\b",
            re.I,
        ),
        vocabulary.lowest.value,
    )
    levels = sorted(vocabulary.levels, key=lambda level: len(level.value.split()), reverse=True)
    return (
        *[
            (re.compile(rf"\b{_VERB}\s+(?:som\s+|vara\s+)?{_words(level.value)}\b", re.I), level.value)
            for level in levels
            if level is not vocabulary.best
        ],
        negated,
        (re.compile(rf"\b{_VERB}\s+(?:som\s+|vara\s+)?{best}\b", re.I), vocabulary.best.value),
    )


def stated_assessments(
    source: str, vocabulary: OrgVocabulary = DEFAULT_VOCABULARY
) -> list[tuple[str, str, int]]:
    """Each assessment the text states: (assessment, the words, line), in order of appearance."""
    text = blank_placeholders(source)
    found: list[tuple[int, str, str]] = []
    starts: list[int] = []  # the spans already claimed, disjoint and sorted by start (so also by end)
    ends: list[int] = []
    for pattern, assessment in vocabulary_claims(vocabulary):  # most specific first; claimed once
        for match in pattern.finditer(text):
            before = bisect.bisect_left(starts, match.end())  # the claimed spans that start before it ends
            if before and ends[before - 1] > match.start():
                continue
            starts.insert(before, match.start())
            ends.insert(before, match.end())
            found.append((match.start(), assessment, match.group(0)))
    found.sort(key=lambda item: item[0])
    stated, line, counted = [], 1, 0  # lines are counted as the claims advance, not from the start each time
    for start, assessment, words in found:
        line += text.count("\n", counted, start)
        counted = start
        stated.append((assessment, " ".join(words.split()), line))
    return stated


def _goal_of(key: str) -> tuple[str, bool] | None:
    """(goal id, whether the text is only shown for a goal not fulfilled) for a goal's text key."""
    for required, only_not_fulfilled in ((GOAL_ANALYSIS, False), (GOAL_NOT_FULFILLED, True)):
        if key.startswith(required.prefix):
            return key[len(required.prefix) :], only_not_fulfilled
    return None


def _goal_assessment(report: Report, goal_id: str) -> str | None:
    rows = report.inriktningsmal[report.inriktningsmal["mal_id"].astype(str) == goal_id]
    if rows.empty or pd.isna(rows["bedomning"].iloc[0]):
        return None
    return str(rows["bedomning"].iloc[0])


def shown_for_goal(report: Report, key: str) -> bool:
    """False for the text of a goal not fulfilled whose goal is now assessed otherwise (it is not shown,
    so it need not be rewritten); True for every other text."""
    goal = _goal_of(key)
    if goal is None or not goal[1]:
        return True
    actual = _goal_assessment(report, goal[0])
    return actual is None or actual in report_vocabulary(report).not_fulfilled


def not_shown_reason(report: Report, key: str) -> str:
    goal = _goal_of(key)
    goal_id = "?" if goal is None else goal[0]
    wanted = " eller ".join(f'"{value}"' for value in report_vocabulary(report).not_fulfilled)
    return f'mål {goal_id} bedöms nu "{_goal_assessment(report, goal_id)}", inte {wanted}'


def assessment_claim_problems(report: Report, key: str, source: str, shown_as: str) -> list[Problem]:
    """A to-do for each assessment the goal's text states that is not the goal's bedömning."""
    goal = _goal_of(key)
    if goal is None:
        return []
    goal_id, only_not_fulfilled = goal
    actual = _goal_assessment(report, goal_id)
    if actual is None:
        return []  # an unknown goal or an empty assessment is reported elsewhere
    vocabulary = report_vocabulary(report)
    if only_not_fulfilled and actual not in vocabulary.not_fulfilled:
        return []  # the text is not shown
    return [
        Problem(
            shown_as,
            f'texten säger "{words}" men målets bedömning i inriktningsmal.csv är "{actual}"',
            row=line,
            allowed="skriv om meningen så att den stämmer med bedömningen, eller rätta bedömningen",
            missing=True,
            code="text.claim.assessment",
        )
        for stated, words, line in stated_assessments(source, vocabulary)
        if stated != actual
    ]


def _is_word(written: str) -> bool:
    return re.fullmatch(NUMBER_WORDS, written) is not None


def typed_figure_warnings(
    report: Report, key: str, source: str, shown_as: str, allowed: WrittenFigures
) -> list[Finding]:
    """A warning for each figure typed by hand that the allow-list does not accept for this text, and
    for each accepted figure the text does not have."""
    allow_file = f"{report.shown_folder}/{FILE_NAME}"
    figures = typed_figures(source)
    warnings = []
    for figure in figures:
        if allowed.reason(key, figure.written) is not None:
            continue
        if _is_word(figure.written):
            what = f"skrivet tal: {figure.written} — använd en platshållare med | ord"
        else:
            what = f"skriven siffra: {figure.written} — använd en platshållare"
        warnings.append(
            Finding(
                shown_as,
                f"rad {figure.line}, {what} (eller för upp den i {allow_file} med ett skäl)",
                code="text.figure.typed",
            )
        )
    present = {figure.written for figure in figures}
    for written in allowed.allowed.get(key, {}):
        if written not in present:
            warnings.append(
                Finding(
                    allow_file,
                    f'"{written}" för {key} finns inte längre i texten; ta bort raden',
                    code="written_figures.unused",
                )
            )
    return warnings


def unknown_text_warnings(report: Report, keys: Iterable[str], allowed: WrittenFigures) -> list[Finding]:
    """Allow-list entries for texts the year does not have."""
    known = set(keys)
    return [
        Finding(
            f"{report.shown_folder}/{FILE_NAME}",
            f"rad {allowed.lines[key]}: texten {key} finns inte",
            code="written_figures.text.unknown",
        )
        for key in allowed.allowed
        if key not in known
    ]


def statement_figure_warnings(content: Mapping[str, Any], file: str) -> list[Finding]:
    """A warning for each figure typed in the accessibility statement's settings (tillganglighet.yml):
    it is shown in every year's book, so a figure from one year's data does not belong there."""
    warnings = []
    for key, value in content.items():
        for text in value if isinstance(value, list) else [value]:
            for figure in typed_figures(str(text)):
                warnings.append(
                    Finding(
                        file,
                        f"{key}: skriven siffra: {figure.written} — sidan visas varje år; ta bort siffran "
                        "(avvikelser mellan tryckt text och data räknas fram ur årets data)",
                        code="statement.figure.typed",
                    )
                )
    return warnings


def check_written_figures(context: CheckContext) -> Iterable[Found]:
    """The problems of skrivna_siffror.yml, the year's list of figures typed in texts."""
    return errors(context.written[1])


def check_unknown_texts(context: CheckContext) -> Iterable[Found]:
    """skrivna_siffror.yml names only texts that exist."""
    return warnings(unknown_text_warnings(context.report, context.keys, context.written[0]))
