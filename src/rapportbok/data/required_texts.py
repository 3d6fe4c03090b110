"""The narrative texts a year must have, declared once: `check` requires them, the data contract
documents them and the chapters show them.

Each is one Markdown file per row of a table (or per row whose `when` column holds an assessment that
counts as not fulfilled in the organisation's vocabulary), named after the row's key, e.g.
text/maluppfyllelse/mal-3.1.md for goal 3.1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapportbok.core.formatting import is_missing
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, OrgVocabulary


@dataclass(frozen=True)
class RequiredText:
    """A text `<prefix><key>.md` under data/<year>/text/ for each row of `table` that it applies to."""

    prefix: str  # e.g. "maluppfyllelse/mal-"
    table: str
    column: str  # the key column, e.g. mal_id
    applies_to: str  # who needs it, in the contract's words
    when: str | None = None  # a column: only rows whose assessment there counts as not fulfilled

    def key(self, value: object) -> str:
        """The text's key for one row, e.g. 'maluppfyllelse/mal-3.1'."""
        return f"{self.prefix}{value}"

    @property
    def pattern(self) -> str:
        """The file name pattern as the contract shows it, e.g. 'maluppfyllelse/mal-<mal_id>.md'."""
        return f"{self.prefix}<{self.column}>.md"

    def applies(self, row: Mapping[str, object], vocabulary: OrgVocabulary = DEFAULT_VOCABULARY) -> bool:
        """Whether this row needs the text."""
        if self.when is None:
            return True
        value = row[self.when]
        return not is_missing(value) and value in vocabulary.not_fulfilled


GOAL_ANALYSIS = RequiredText("maluppfyllelse/mal-", "inriktningsmal", "mal_id", "för varje inriktningsmål")
GOAL_NOT_FULFILLED = RequiredText(
    "mal-indikatorer-uppdrag/ej-uppfyllt-",
    "inriktningsmal",
    "mal_id",
    "för varje mål som inte är uppfyllt",
    when="bedomning",
)
ACTIVITY_COMMENT = RequiredText(
    "ekonomi/verksamhet-", "drift_verksamhet", "verksamhet_id", "för varje verksamhet"
)

REQUIRED_TEXTS = (GOAL_ANALYSIS, GOAL_NOT_FULFILLED, ACTIVITY_COMMENT)


def required_keys(
    table: str, row: Mapping[str, object], vocabulary: OrgVocabulary = DEFAULT_VOCABULARY
) -> list[str]:
    """The keys of the texts that one row of `table` needs, in declaration order."""
    return [
        text.key(row[text.column])
        for text in REQUIRED_TEXTS
        if text.table == table and text.applies(row, vocabulary)
    ]
