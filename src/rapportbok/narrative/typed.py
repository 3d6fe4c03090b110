"""Figures typed by hand in narrative: digits and number words that no placeholder produced.

A text's numbers should come from data through placeholders (`{{ drift.summa.avvikelse | mnkr }}`,
`{{ uppdrag.antal | ord }}`). What is left once the placeholders are taken out is scanned for amounts,
counts and number words. Not reported: years (1900–2099, also in ranges such as 2021–2022), dates
("6 maj", "2024-12-31"), ids and section numbers (numbers with a dot such as 7.3, a law's number such
as 2018:1937, a number after a word that names what it identifies, e.g. "målområde 7", and a number
joined to a name by a hyphen, e.g. SHA-256, PDF/UA-1), and digits inside links or addresses.
Everything else is a typed figure; a year's allow-list (data.written_figures) can accept it with a
reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapportbok.narrative.placeholders import PLACEHOLDER, Placeholders

__all__ = ["PLACEHOLDER", "TypedFigure", "address_spans", "typed_figures", "written_form"]

MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
NUMBER_WORDS = (
    "två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|sexton|sjutton|arton|nitton"
    "|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra|tusen"
)
ID_WORDS = (
    "målområde|målområdet|målområdena|mål|målet|inriktningsmål|inriktningsmålet|indikator|indikatorn"
    "|uppdrag|uppdraget|nämndinitiativ|initiativ|initiativet|projekt|projektet|projektnummer|avsnitt"
    "|kapitel|bilaga|punkt|nummer|nr"
)
UNIT = r"(?:\s*(?:%(?:-enheter)?|procentenheter|procent|mdkr|mnkr|mkr|tkr|kr|kronor|miljoner|miljarder))?"
SPACE = "[ \u00a0\u202f]"
TOKEN = re.compile(
    rf"(?P<iso>(?<![\w.,])\d{{4}}-\d{{2}}-\d{{2}}(?![\w]))"
    rf"|(?P<dotted>(?<![\w.,])\d+(?:[.:]\d+)+(?:-\d+)?(?![\w])(?!{UNIT[3:-2]}))"
    rf"|(?P<number>(?<![\w.,#])(?<!\w-)\d+(?:{SPACE}\d{{3}}(?!\d))*(?:[,.]\d+)?(?![\w]){UNIT})"
    rf"|(?P<word>\b(?:{NUMBER_WORDS})\b)",
    re.IGNORECASE,
)
# Where an address may begin: a link target "](", an autolink "<", a bare https://, http:// or mailto:.
ADDRESS_START = re.compile(r"\](?=\()|<|\b(?:https?://|mailto:)", re.IGNORECASE)
NOT_IN_AUTOLINK = re.compile(r"[>\s]")
URL_REST = re.compile(r"\S+")
DATE_AFTER = re.compile(rf"\s+(?:{MONTHS})\b", re.IGNORECASE)
ID_BEFORE = re.compile(rf"\b(?:{ID_WORDS})\s+$", re.IGNORECASE)
ID_WINDOW = 40  # characters before a number in which ID_BEFORE looks for the word
# The last letter of every word of ID_WORDS: a word of ID_BEFORE ends in one of them.
ID_FINAL_LETTERS = "".join(sorted({word[-1] for word in ID_WORDS.split("|")}))
ID_FINAL_LETTER = re.compile(f"[{ID_FINAL_LETTERS}]", re.IGNORECASE)
YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class TypedFigure:
    """A figure in a text that no placeholder produced: as written (spaces normalised) and its line."""

    written: str
    line: int


def written_form(text: str) -> str:
    """How a figure is compared with an allow-list: one space between parts, number words lower-case."""
    return " ".join(text.split()).lower()


def address_spans(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the addresses in `text`, in linear time: what
    `\\]\\([^)]*\\)|<[^>\\s]*>|\\b(?:https?://|mailto:)\\S+` (case-insensitive) finds, without its
    quadratic search ("](" × 200 000 rescans the rest of the text from each "](").

    The first ")" and the first ">" or blank at or after a position are remembered: they are the same
    for every position before them, so each is searched for once per stretch of text.
    """
    close = stop = -1  # the first ")" / the first ">" or blank at or after the last lookup; len(text): none
    position = 0
    while found := ADDRESS_START.search(text, position):
        start = found.start()
        end = None
        if text[start] == "]":
            if close < start + 2:
                close = text.find(")", start + 2)
                close = len(text) if close < 0 else close
            end = close + 1 if close < len(text) else None
        elif text[start] == "<":
            if stop < start + 1:
                blank = NOT_IN_AUTOLINK.search(text, start + 1)
                stop = blank.start() if blank else len(text)
            end = stop + 1 if stop < len(text) and text[stop] == ">" else None
        elif rest := URL_REST.match(text, found.end()):
            end = rest.end()
        if end is None:
            position = start + 1
            continue
        yield start, end
        position = end


def _blanked(source: str, spans: Iterator[tuple[int, int]]) -> str:
    """`source` with each span replaced by spaces (newlines kept, so lines do not move)."""
    parts, end = [], 0
    for start, stop in spans:
        parts += [source[end:start], _spaces(source[start:stop])]
        end = stop
    parts.append(source[end:])
    return "".join(parts)


def _spaces(text: str) -> str:
    """`text` as spaces, its line breaks kept."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def blank_placeholders(source: str, placeholders: Placeholders = PLACEHOLDER) -> str:
    """`source` with each placeholder replaced by spaces (newlines kept, so lines do not move)."""
    return _blanked(source, (match.span() for match in placeholders.finditer(source)))


def _is_date_or_year(match: re.Match[str], text: str) -> bool:
    digits = match.group("number")
    bare = digits.strip()
    if YEAR.fullmatch(bare):
        return True  # a year; a four-digit amount is written with a unit or a space (2 500)
    day = bare.isdigit() and len(bare) <= 2 and 1 <= int(bare) <= 31  # a day has one or two digits
    return day and bool(DATE_AFTER.match(text, match.end()))


def _after_id_word(text: str, start: int) -> bool:
    """Whether a word of ID_WORDS and blanks come just before `start`: `ID_BEFORE.search` on the
    ID_WINDOW characters before it, searched only when the last character before the blanks can end
    such a word (most numbers follow a digit, a sign or another word; the search tries each of the
    window's positions)."""
    first = max(0, start - ID_WINDOW)
    last = start - 1
    while last >= first and text[last].isspace():  # what \s matches
        last -= 1
    if last == start - 1 or last < first or not ID_FINAL_LETTER.match(text, last):
        return False
    return ID_BEFORE.search(text, first, start) is not None


def typed_figures(source: str) -> list[TypedFigure]:
    """Every figure in `source` that no placeholder produced, in order, with its line."""
    without_placeholders = blank_placeholders(source)
    text = _blanked(without_placeholders, address_spans(without_placeholders))
    found = []
    line, counted = 1, 0  # lines are counted as the matches advance, not from the start each time
    for match in TOKEN.finditer(text):
        if match.group("iso") or match.group("dotted"):
            continue  # a date, an id such as 7.3 or 1.1-01, a section number, a law's number
        if match.group("number") is not None:
            if _is_date_or_year(match, text):
                continue
            is_id = match.group("number").strip().isdigit()
            if is_id and _after_id_word(text, match.start()):
                continue  # "målområde 7", "projekt 24007"
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.append(TypedFigure(written_form(match.group(0)), line))
    return found
