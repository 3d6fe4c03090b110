"""Text as Typst source that can only ever print as itself.

Every text that comes from data (a cell, a heading, a caption, an alt text) is written as a Typst
string literal: inside `"…"` only the backslash and the double quote mean anything, so a cell saying
`#import`, `*x*`, `$`, `@ref` or `<lbl>` is printed as written and never read as markup, code, maths,
a reference or a label.
"""

from __future__ import annotations

import hashlib
import re

LABEL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def string(text: str) -> str:
    """`text` as a Typst string literal (in code: a value; control characters dropped)."""
    cleaned = CONTROL.sub("", text)
    return (
        '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'
    )


def literal(text: str) -> str:
    """`text` embedded in markup as a string literal: prints as itself. Empty text gives nothing."""
    return f"#{string(text)}" if text else ""


def label(anchor: str) -> str:
    """A Typst label name for an HTML id: the id itself when it is plain ASCII, else a digest (the
    same id always gives the same label, two ids never the same)."""
    if LABEL_SAFE.fullmatch(anchor):
        return f"rb-{anchor}"
    return "rb-x" + hashlib.sha256(anchor.encode()).hexdigest()[:16]
