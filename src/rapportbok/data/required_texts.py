"""The narrative texts a year must have, declared once: `check` requires them, the data contract
documents them and the chapters show them.

Each is one Markdown file per row of a table (or per row whose `when` column has the given value),
named after the row's key, e.g. text/maluppfyllelse/mal-3.1.md for goal 3.1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapportbok.core.formatting import is_value
from rapportbok.data.vocabulary import Assessment


@dataclass(frozen=True)
class RequiredText:
    """A text `<prefix><key>.md` under data/<year>/text/ for each row of `table` that it applies to."""

    prefix: str  # e.g. "maluppfyllelse/mal-"
    table: str
    column: str  # the key column, e.g. mal_id
    applies_to: str  # who needs it, in the contract's words
    when: tuple[str, str] | None = None  # (column, value): only rows with that value need the text

    def key(self, value: object) -> str:
        """The text's key for one row, e.g. 'maluppfyllelse/mal-3.1'."""
        return f"{self.prefix}{value}"

    @property
    def pattern(self) -> str:
        """The file name pattern as the contract shows it, e.g. 'maluppfyllelse/mal-<mal_id>.md'."""
        return f"{self.prefix}<{self.column}>.md"

    def applies(self, row: Mapping[str, object]) -> bool:
        """Whether this row needs the text."""
        return self.when is None or is_value(row[self.when[0]], self.when[1])


GOAL_ANALYSIS = RequiredText("maluppfyllelse/mal-", "inriktningsmal", "mal_id", "för varje inriktningsmål")
GOAL_NOT_FULFILLED = RequiredText(
    "mal-indikatorer-uppdrag/ej-uppfyllt-",
    "inriktningsmal",
    "mal_id",
    "för varje mål som inte är uppfyllt",
    when=("bedomning", Assessment.NOT_FULFILLED),
)
ACTIVITY_COMMENT = RequiredText(
    "ekonomi/verksamhet-", "drift_verksamhet", "verksamhet_id", "för varje verksamhet"
)

REQUIRED_TEXTS = (GOAL_ANALYSIS, GOAL_NOT_FULFILLED, ACTIVITY_COMMENT)


def required_keys(table: str, row: Mapping[str, object]) -> list[str]:
    """The keys of the texts that one row of `table` needs, in declaration order."""
    return [
        text.key(row[text.column]) for text in REQUIRED_TEXTS if text.table == table and text.applies(row)
    ]
