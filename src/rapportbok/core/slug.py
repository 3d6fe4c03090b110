"""Id-safe names from Swedish text, used for anchors, file names and placeholder keys."""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """An id-safe form of a text: 'Driftredovisning per verksamhet' → 'driftredovisning-per-verksamhet'."""
    table = str.maketrans("åäöÅÄÖé", "aaoAAOe")
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")
