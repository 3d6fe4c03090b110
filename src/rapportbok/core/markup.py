"""Values from data or metadata as literal text inside Markdown (CommonMark and MyST).

A value is text, never markup: every character that can start Markdown or MyST syntax (emphasis, links,
images, code, fences, directives, roles, HTML, entities, headings, lists, tables, comments) is
backslash-escaped, a line break becomes a space and leading blanks are dropped, so the value cannot
start a block of its own.
CommonMark shows a backslash-escaped ASCII punctuation character as that character, so the visible
text is unchanged.
"""

from __future__ import annotations

# Every ASCII punctuation character that takes part in some CommonMark or MyST construct. The others
# (, ; ? @ / ' " ^) never start markup and are left alone, so that "22,4 mnkr" stays readable in the
# Markdown source.
MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~:&=$%")
LINE_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\u2028": " ", "\u2029": " ", "\x0b": " ", "\x0c": " "})


def markdown_literal(value: object) -> str:
    """`value` as Markdown source that renders as exactly its text, e.g. '```{raw}' → '\\`\\`\\`\\{raw\\}'."""
    # Without line breaks and leading blanks, a value cannot start a block of its own (four spaces
    # would make an indented code block where MyST puts a substitution on its own line).
    text = str(value).translate(LINE_BREAKS).strip(" \t")
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIAL else char for char in text)
