"""The comments check: a comment with no words ("." left by the source system) is not shown; say so."""

from __future__ import annotations

from collections.abc import Iterable

from rapportbok.checks.context import CheckContext, Found, warnings
from rapportbok.data.comments import COMMENT_COLUMN, COMMENT_TABLES, placeholder_comment_rows
from rapportbok.data.report import Report
from rapportbok.exceptions import Finding

EMPTY_COMMENT_CODE = "comment.empty"


def check_empty_comments(context: CheckContext) -> Iterable[Found]:
    """A warning for every comment cell that holds only punctuation or spaces."""
    return warnings(empty_comments(context.report))


def empty_comments(report: Report) -> list[Finding]:
    """Each comment without words, located by file, row (the file's line) and column."""
    found = []
    column = COMMENT_COLUMN
    for table in COMMENT_TABLES:
        frame = getattr(report, table)
        for position in placeholder_comment_rows(frame, column):
            found.append(
                Finding(
                    f"{report.shown_folder}/{table}.csv",
                    f"kommentaren {frame[column].iloc[position]!r} har inga ord och visas inte; fyll i "
                    "en kommentar eller lämna cellen tom",
                    position + 2,
                    column,
                    code=EMPTY_COMMENT_CODE,
                )
            )
    return found
