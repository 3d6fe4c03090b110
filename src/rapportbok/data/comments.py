"""Comments exported from the source system: one that says nothing ("." or blank) is not a comment."""

from __future__ import annotations

import pandas as pd

# The tables whose column `kommentar` is shown on the page (with its date, `kommentar_datum`).
COMMENT_TABLES = ("indikatorer", "uppdrag")
COMMENT_COLUMN = "kommentar"
PLACEHOLDER_CHARACTERS = " \t\r\n.,;:-–—_*/"


def is_empty_comment(text: object) -> bool:
    """True when `text` has no words: missing, blank, or only punctuation such as "." (the source
    system's way of saving a comment field that was never written)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return True
    return not str(text).strip(PLACEHOLDER_CHARACTERS)


def placeholder_comment_rows(frame: pd.DataFrame, column: str) -> list[int]:
    """The positions (0-based) of rows whose `column` holds a comment without words but is not empty:
    the ones to clean up in the file (an empty cell is simply no comment)."""
    if column not in frame.columns:
        return []
    return [
        position
        for position, value in enumerate(frame[column])
        if is_empty_comment(value) and isinstance(value, str) and value.strip() != ""
    ]
