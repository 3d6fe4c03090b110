"""Reading data/<org>/vokabular.yml: an organisation's assessment scale, trend words and the names of
its goal hierarchy (data/org_vocabulary.py), or Norrtälje's when the file is absent.

The file is optional; a section it leaves out keeps Norrtälje's words. It is data, not code: read with
the safe YAML loader and checked strictly (known keys only, types, 2–5 levels, unique values and symbols,
a fulfilled level first and a not-fulfilled level last, and colours with enough contrast against the page
in light and dark). Every problem names the file and the key.

A level's colour is used for its text (the badge "✓ Uppfyllt" is coloured as a whole), so it must reach
WCAG's ratio for text, 4.5:1, against the page's background in both colour schemes; a symbol alone would
need 3:1, but the label beside it is text.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from rapportbok.core.contrast import HEX_COLOUR, TEXT_CONTRAST, contrast_ratio
from rapportbok.core.formatting import format_number
from rapportbok.core.slug import slug
from rapportbok.data.files import is_regular_file
from rapportbok.data.org_vocabulary import (
    DEFAULT_LEVELS,
    DEFAULT_NAMES,
    DEFAULT_NO_VALUE,
    DEFAULT_TRENDS,
    DEFAULT_VOCABULARY,
    FULFILLED,
    NOT_FULFILLED,
    TREND_KEYS,
    Level,
    LevelName,
    OrgVocabulary,
    Word,
)
from rapportbok.data.report import Report
from rapportbok.data.schema import TableSchema, with_enums
from rapportbok.data.yamlfile import read_mapping
from rapportbok.exceptions import Problem

VOCABULARY_FILE = "vokabular.yml"
HELP = "se docs/organisationer.md, avsnittet om vokabulär"
MIN_LEVELS, MAX_LEVELS = 2, 5
MAX_VALUE = 60  # characters of a value, label or name
MAX_SYMBOL = 3
BACKGROUNDS = {"ljus": "#ffffff", "mork": "#121417"}  # the page (--rb-bg) in rapportbok-webb.css
SCHEME_WORDS = {"ljus": "ljust", "mork": "mörkt"}
TOP_KEYS = ("bedomning", "trend", "nivaer")
SCALE_KEYS = ("skala", "utan_varde")
LEVEL_KEYS = ("varde", "etikett", "symbol", "farg", "raknas_som")
NO_VALUE_KEYS = ("varde", "etikett", "symbol", "farg")
COLOUR_KEYS = ("ljus", "mork")
WORD_KEYS = ("varde", "symbol")
NAME_KEYS = ("malomrade", "mal", "indikator")
FORM_KEYS = ("ental", "flertal")


def shown_ratio(ratio: float) -> str:
    """A contrast ratio as Swedish text, cut (not rounded) to two decimals: 4.4999 → '4,49', so that a
    ratio below the limit never reads as the limit."""
    return format_number(math.floor(ratio * 100) / 100, 2).rstrip("0").rstrip(",")


class _Reader:
    """Collects the problems of one file while its sections are read."""

    def __init__(self, shown_as: str) -> None:
        self.shown_as = shown_as
        self.problems: list[Problem] = []
        self.line: int | None = None

    def problem(self, key: str, message: str, code: str, allowed: str = HELP) -> None:
        self.problems.append(
            Problem(self.shown_as, message, self.line, key, allowed, code=f"vocabulary.{code}")
        )

    def mapping(self, value: Any, key: str, known: tuple[str, ...]) -> dict[str, Any] | None:
        """`value` as a mapping with only `known` keys (an unknown key is a problem, and left out)."""
        if not isinstance(value, dict):
            self.problem(key, "ska vara nyckel: värde", "type", "tillåtna nycklar: " + ", ".join(known))
            return None
        for name in value:
            if name not in known:
                self.problem(
                    f"{key}.{name}", "okänd nyckel", "key.unknown", "tillåtna nycklar: " + ", ".join(known)
                )
        return {name: item for name, item in value.items() if name in known}

    def text(self, value: Any, key: str, limit: int = MAX_VALUE) -> str | None:
        """A non-empty single-line text of at most `limit` characters."""
        if value is None:
            self.problem(key, "värde saknas", "missing")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(key, "ska vara en text", "type")
            return None
        text = str(value).strip()
        if not text or len(text) > limit or any(char in text for char in "\n\r\t"):
            self.problem(key, f"ska vara en text på en rad, 1–{limit} tecken", "text")
            return None
        return text

    def colour(self, value: Any, key: str) -> str | None:
        """'#RRGGBB', readable as text on the page in the scheme the key names (ljus or mork)."""
        if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value.strip()):
            self.problem(key, "ska vara en färg #RRGGBB inom citattecken", "colour.invalid")
            return None
        colour = value.strip().lower()
        scheme = key.rsplit(".", 1)[-1]
        ratio = contrast_ratio(colour, BACKGROUNDS[scheme])
        if ratio < TEXT_CONTRAST:
            self.problem(
                key,
                f"{colour} har kontrasten {shown_ratio(ratio)}:1 mot sidans bakgrund {BACKGROUNDS[scheme]} "
                f"({SCHEME_WORDS[scheme]} läge)",
                "colour.contrast",
                f"minst {shown_ratio(TEXT_CONTRAST)}:1 krävs (WCAG 1.4.3, färgen används för text); välj en "
                + ("mörkare" if scheme == "ljus" else "ljusare")
                + " färg",
            )
        return colour  # a colour with too little contrast is a problem, but the scale stays readable


def _colours(reader: _Reader, value: Any, key: str, required: bool) -> tuple[str | None, str | None]:
    if value is None and not required:
        return None, None
    colours = reader.mapping(value, key, COLOUR_KEYS)
    if colours is None:
        return None, None
    found = []
    for scheme in COLOUR_KEYS:
        if scheme not in colours:
            reader.problem(f"{key}.{scheme}", "färg saknas", "missing")
            found.append(None)
        else:
            found.append(reader.colour(colours[scheme], f"{key}.{scheme}"))
    return found[0], found[1]


def _level(reader: _Reader, value: Any, key: str, ranked: bool) -> Level | None:
    spec = reader.mapping(value, key, LEVEL_KEYS if ranked else NO_VALUE_KEYS)
    if spec is None:
        return None
    text = reader.text(spec.get("varde"), f"{key}.varde")
    if text is not None and not slug(text):
        reader.problem(f"{key}.varde", "ska innehålla minst en bokstav eller siffra", "text")
        text = None
    label = text if spec.get("etikett") is None else reader.text(spec["etikett"], f"{key}.etikett")
    symbol = reader.text(spec.get("symbol"), f"{key}.symbol", MAX_SYMBOL)
    light, dark = _colours(reader, spec.get("farg"), f"{key}.farg", ranked)
    counts_as = spec.get("raknas_som")
    if counts_as is not None and counts_as not in (FULFILLED, NOT_FULFILLED):
        reader.problem(
            f"{key}.raknas_som", f'okänt värde "{counts_as}"', "counts_as", "uppfyllt eller ej_uppfyllt"
        )
        counts_as = None
    if text is None or label is None or symbol is None or (ranked and (light is None or dark is None)):
        return None
    return Level(text, label, symbol, light, dark, counts_as)


def _scale_order_problems(reader: _Reader, levels: list[Level]) -> None:
    """The best level counts as fulfilled, the lowest as not fulfilled, and no fulfilled level comes
    after a level that does not count as fulfilled (and the other way round)."""
    kinds = [level.counts_as for level in levels]
    if kinds[0] != FULFILLED or kinds[-1] != NOT_FULFILLED:
        reader.problem(
            "bedomning.skala",
            "den bästa nivån (den första) ska räknas som uppfylld och den lägsta (den sista) som ej uppfylld",
            "order",
            "skriv raknas_som: uppfyllt på den första nivån och raknas_som: ej_uppfyllt på den sista",
        )
        return
    last_fulfilled = max(i for i, kind in enumerate(kinds) if kind == FULFILLED)
    first_not = min(i for i, kind in enumerate(kinds) if kind == NOT_FULFILLED)
    if last_fulfilled > first_not or any(kind != FULFILLED for kind in kinds[:last_fulfilled]):
        reader.problem(
            "bedomning.skala",
            "nivåerna ska stå i ordning, bäst först: de som räknas som uppfyllda överst, de som räknas "
            "som ej uppfyllda nederst",
            "order",
        )


def _unique(reader: _Reader, levels: list[Level], key: str) -> None:
    """Values (also as CSS class names) and symbols are unique within the scale and its no-value level."""
    for attribute, what, code in (
        ("value", "värdet", "value.duplicate"),
        ("symbol", "symbolen", "symbol.duplicate"),
    ):
        seen: dict[str, str] = {}
        for level in levels:
            shown = getattr(level, attribute)
            compared = slug(shown) if attribute == "value" else shown
            if compared in seen:
                reader.problem(key, f'{what} "{shown}" finns redan ({seen[compared]})', code)
            seen[compared] = shown


def _scale(reader: _Reader, scale: Any) -> list[Level] | None:
    """The levels of `bedomning.skala`, or None when the list or one of its levels cannot be used."""
    if not isinstance(scale, list) or not MIN_LEVELS <= len(scale) <= MAX_LEVELS:
        reader.problem(
            "bedomning.skala",
            "ska vara en lista med nivåer, bäst först",
            "levels.count",
            f"{MIN_LEVELS}–{MAX_LEVELS} nivåer",
        )
        return None
    levels = [
        _level(reader, item, f"bedomning.skala[{number}]", ranked=True)
        for number, item in enumerate(scale, 1)
    ]
    found = [level for level in levels if level is not None]
    return found if len(found) == len(levels) else None


def _assessment(reader: _Reader, value: Any) -> tuple[tuple[Level, ...], Level]:
    """The scale (Norrtälje's when the section leaves it out) and the level outside it."""
    section = reader.mapping(value, "bedomning", SCALE_KEYS)
    if section is None:
        return DEFAULT_LEVELS, DEFAULT_NO_VALUE
    levels = _scale(reader, section["skala"]) if "skala" in section else list(DEFAULT_LEVELS)
    no_value = DEFAULT_NO_VALUE
    if "utan_varde" in section:
        no_value = _level(reader, section["utan_varde"], "bedomning.utan_varde", ranked=False) or no_value
    if levels is None:
        return DEFAULT_LEVELS, no_value
    _unique(reader, [*levels, no_value], "bedomning")
    _scale_order_problems(reader, levels)
    return tuple(levels), no_value


def _trends(reader: _Reader, value: Any) -> dict[str, Word]:
    section = reader.mapping(value, "trend", TREND_KEYS)
    if section is None:
        return dict(DEFAULT_TRENDS)
    words: dict[str, Word] = {}
    for key in TREND_KEYS:
        spec = reader.mapping(section.get(key), f"trend.{key}", WORD_KEYS)
        if spec is None:
            continue
        text = reader.text(spec.get("varde"), f"trend.{key}.varde")
        symbol = reader.text(spec.get("symbol"), f"trend.{key}.symbol", MAX_SYMBOL)
        if text is not None and symbol is not None:
            words[key] = Word(text, symbol)
    if len(words) != len(TREND_KEYS):
        return dict(DEFAULT_TRENDS)
    for attribute, what, code in (
        ("value", "värdet", "value.duplicate"),
        ("symbol", "symbolen", "symbol.duplicate"),
    ):
        shown = [getattr(word, attribute) for word in words.values()]
        for item in sorted({item for item in shown if shown.count(item) > 1}):
            reader.problem("trend", f'{what} "{item}" står flera gånger', code)
    return words


def _names(reader: _Reader, value: Any) -> dict[str, LevelName]:
    section = reader.mapping(value, "nivaer", NAME_KEYS)
    names = dict(DEFAULT_NAMES)
    for key, item in (section or {}).items():
        forms = reader.mapping(item, f"nivaer.{key}", FORM_KEYS)
        if forms is None:
            continue
        singular = reader.text(forms.get("ental"), f"nivaer.{key}.ental")
        plural = reader.text(forms.get("flertal"), f"nivaer.{key}.flertal")
        if singular is not None and plural is not None:
            names[key] = LevelName(singular, plural)
    return names


def read_vocabulary(path: Path, shown_as: str, *, within: Path | None = None) -> OrgVocabulary:
    """The vocabulary in `path`; a section with problems falls back to the default, and the problems
    are in the result's `problems`."""
    mapping, problems = read_mapping(path, shown_as, within=within)
    if mapping is None or problems:
        return OrgVocabulary(problems=problems)
    reader = _Reader(shown_as)
    for entry in mapping.entries:
        if entry.key not in TOP_KEYS:
            reader.line = entry.line
            reader.problem(
                entry.key, "okänd nyckel", "key.unknown", "tillåtna nycklar: " + ", ".join(TOP_KEYS)
            )
    sections = {entry.key: entry for entry in mapping.entries}
    found: dict[str, Any] = {}
    for key, parse in (("bedomning", _assessment), ("trend", _trends), ("nivaer", _names)):
        if key in sections:
            reader.line = sections[key].line
            found[key] = parse(reader, sections[key].value)
    levels, no_value = found.get("bedomning", (DEFAULT_LEVELS, DEFAULT_NO_VALUE))
    return OrgVocabulary(
        levels,
        no_value,
        found.get("trend", dict(DEFAULT_TRENDS)),
        found.get("nivaer", dict(DEFAULT_NAMES)),
        reader.problems,
    )


def vocabulary_path(org_dir: Path) -> Path:
    return org_dir / VOCABULARY_FILE


def org_vocabulary(org_dir: Path) -> OrgVocabulary:
    """The organisation's vocabulary: data/<org>/vokabular.yml, or the default when there is none."""
    path = vocabulary_path(org_dir)
    shown_as = f"data/{org_dir.name}/{VOCABULARY_FILE}"
    if not os.path.lexists(path):
        return DEFAULT_VOCABULARY
    if not is_regular_file(path):
        return OrgVocabulary(
            problems=[
                Problem(shown_as, "ska vara en vanlig fil (ingen länk)", allowed=HELP, code="vocabulary.link")
            ]
        )
    return read_vocabulary(path, shown_as, within=org_dir)


def vocabulary_schema(schema: TableSchema, vocabulary: OrgVocabulary) -> TableSchema:
    """`schema` with the allowed assessments and trends of the organisation's vocabulary (unchanged for
    the default vocabulary: the package's schemas already say Norrtälje's words)."""
    if vocabulary.is_default:
        return schema
    enums = {column: values for (table, column), values in vocabulary.enums().items() if table == schema.name}
    return with_enums(schema, enums)


MEMO_KEY = "org_vocabulary"


def report_vocabulary(report: Report) -> OrgVocabulary:
    """The vocabulary of the report's organisation, read once per report (and noted as read: a changed
    vocabulary re-runs the chapters)."""
    if MEMO_KEY not in report.memo:
        report.reads.record(vocabulary_path(report.org_dir))
        report.memo[MEMO_KEY] = org_vocabulary(report.org_dir)
    return report.memo[MEMO_KEY]
