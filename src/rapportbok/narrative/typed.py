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
from dataclasses import dataclass

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
PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)
ADDRESS = re.compile(r"\]\([^)]*\)|<[^>\s]*>|\b(?:https?://|mailto:)\S+", re.IGNORECASE)
DATE_AFTER = re.compile(rf"\s+(?:{MONTHS})\b", re.IGNORECASE)
ID_BEFORE = re.compile(rf"\b(?:{ID_WORDS})\s+$", re.IGNORECASE)
YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class TypedFigure:
    """A figure in a text that no placeholder produced: as written (spaces normalised) and its line."""

    written: str
    line: int


def written_form(text: str) -> str:
    """How a figure is compared with an allow-list: one space between parts, number words lower-case."""
    return " ".join(text.split()).lower()


def _blanked(source: str, pattern: re.Pattern[str]) -> str:
    """`source` with each match replaced by spaces (newlines kept, so lines do not move)."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), source)


def _is_date_or_year(match: re.Match[str], text: str) -> bool:
    digits = match.group("number")
    bare = digits.strip()
    if YEAR.fullmatch(bare):
        return True  # a year; a four-digit amount is written with a unit or a space (2 500)
    day = bare.isdigit() and 1 <= int(bare) <= 31
    return day and bool(DATE_AFTER.match(text, match.end()))


def typed_figures(source: str) -> list[TypedFigure]:
    """Every figure in `source` that no placeholder produced, in order, with its line."""
    text = _blanked(_blanked(source, PLACEHOLDER), ADDRESS)
    found = []
    for match in TOKEN.finditer(text):
        if match.group("iso") or match.group("dotted"):
            continue  # a date, an id such as 7.3 or 1.1-01, a section number, a law's number
        if match.group("number") is not None:
            if _is_date_or_year(match, text):
                continue
            is_id = match.group("number").strip().isdigit()
            if is_id and ID_BEFORE.search(text, max(0, match.start() - 40), match.start()):
                continue  # "målområde 7", "projekt 24007"
        line = text.count("\n", 0, match.start()) + 1
        found.append(TypedFigure(written_form(match.group(0)), line))
    return found
