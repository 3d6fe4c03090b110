"""Read the report's metadata (data/<year>/rapport.yml) against its schema (schemas/rapport.yaml).

Each key has a type with rules (TYPES); every value that breaks them is a located problem, and no value
that passes can be read as markup: text is limited to letters, digits and a few punctuation marks.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rapportbok.core.book import BookId
from rapportbok.core.toc import chapter_names
from rapportbok.data.files import RefusedFile
from rapportbok.data.images import read_image
from rapportbok.data.report import Metadata, PrintedValues
from rapportbok.data.yamlfile import Entry, YamlMapping, read_mapping
from rapportbok.exceptions import ConfigError, InvalidMetadataValue, Problem

METADATA_FILE = "rapport.yml"

SCHEMA_FILE = "rapport.yaml"
TEXT_PUNCTUATION = " -–.,'’&()/"
TEXT_RULE = "bokstäver, siffror, mellanslag och " + " ".join(TEXT_PUNCTUATION.strip())
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
DECISION_YEARS = 2  # a report is decided in its year or, at the latest, two years after
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}", re.ASCII)


@dataclass(frozen=True)
class MetadataField:
    """One key of rapport.yml: where its value goes (a Metadata attribute), its type and its rules."""

    name: str
    attribute: str
    type: str
    description: str
    required: bool = False
    default: Any = None
    rules: dict[str, Any] = field(default_factory=dict)  # the type's parameters, e.g. maxLength


@dataclass(frozen=True)
class MetadataSchema:
    title: str
    description: str
    fields: tuple[MetadataField, ...]

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.fields]


@cache
def metadata_schema() -> MetadataSchema:
    """The schema of rapport.yml, from the package."""
    text = resources.files("rapportbok.data.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    descriptor = yaml.safe_load(text)
    known = {"name", "attribute", "type", "description", "required", "default"}
    fields = tuple(
        MetadataField(
            name=item["name"],
            attribute=item["attribute"],
            type=item["type"],
            description=" ".join(str(item.get("description", "")).split()),
            required=bool(item.get("required", False)),
            default=item.get("default"),
            rules={key: value for key, value in item.items() if key not in known},
        )
        for item in descriptor["fields"]
    )
    unknown = {spec.type for spec in fields} - set(TYPES)
    if unknown:
        raise ValueError(f"{SCHEMA_FILE}: unknown types {sorted(unknown)}")
    return MetadataSchema(descriptor["title"], " ".join(descriptor["description"].split()), fields)


@dataclass(frozen=True)
class Context:
    """What a type needs besides the value: the book whose rapport.yml it is (its year, its folders)."""

    book: BookId

    @property
    def year(self) -> int:
        return self.book.year

    @property
    def folder(self) -> Path:
        """data/<org>/<year>/"""
        return self.book.year_dir

    @property
    def project(self) -> Path:
        """The project root: no path may leave it."""
        return self.book.root


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "…"


def _text(value: Any, spec: MetadataField, context: Context) -> str:
    if not isinstance(value, str):
        raise InvalidMetadataValue(
            f"{_shown(value)} är inte en text", "skriv texten inom citattecken om den ser ut som ett tal"
        )
    text = value.strip()
    limit = spec.rules.get("maxLength", 100)
    if len(text) > limit:
        raise InvalidMetadataValue(f"texten är för lång ({len(text)} tecken)", f"högst {limit} tecken")
    allowed = TEXT_PUNCTUATION + str(spec.rules.get("extraCharacters", ""))
    for char in text:
        category = unicodedata.category(char)
        if char not in allowed and category[0] not in "LM" and category != "Nd":
            shown = char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
            raise InvalidMetadataValue(f'tecknet "{shown}" är inte tillåtet', _text_rule(spec))
    if text and not (text[0].isalnum()):
        raise InvalidMetadataValue("texten ska börja med en bokstav eller siffra", TEXT_RULE)
    return text


def _text_rule(spec: MetadataField) -> str:
    """The characters a text field allows, in words: TEXT_RULE and the field's own extra ones."""
    extra = str(spec.rules.get("extraCharacters", ""))
    return TEXT_RULE + "".join(f" {char}" for char in extra)


def _year(value: Any, spec: MetadataField, context: Context) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        raise InvalidMetadataValue(
            f"året {_shown(value)} är skrivet som text (inom citattecken)",
            f"ett tal utan citattecken, mappens år: ar: {context.year}",
        )
    if isinstance(value, bool) or not isinstance(value, int) or value != context.year:
        raise InvalidMetadataValue(f"året {_shown(value)} stämmer inte med mappens år", str(context.year))
    return value


def _date(value: Any, spec: MetadataField, context: Context) -> date:
    example = f"ÅÅÅÅ-MM-DD, t.ex. {context.year}-12-31"
    value = _a_date(value, example)
    if value.year != context.year:
        raise InvalidMetadataValue(f"{value.isoformat()} ligger inte inom året", example)
    return value


def _decision_date(value: Any, spec: MetadataField, context: Context) -> date:
    """A decision on the year's report: in the year or up to DECISION_YEARS after it."""
    example = f"ÅÅÅÅ-MM-DD, t.ex. {context.year + 1}-03-18"
    value = _a_date(value, example)
    if not context.year <= value.year <= context.year + DECISION_YEARS:
        raise InvalidMetadataValue(
            f"{value.isoformat()} ligger inte inom {context.year}–{context.year + DECISION_YEARS}", example
        )
    return value


def _a_date(value: Any, example: str) -> date:
    """`value` as a date (a date from YAML or an ISO text), or a problem saying how to write it."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError as error:
            raise InvalidMetadataValue(f"{_shown(value)} är inget datum som finns", example) from error
    if isinstance(value, datetime):
        raise InvalidMetadataValue(f"{value.isoformat(' ')} har ett klockslag", f"bara datumet: {example}")
    if not isinstance(value, date):
        raise InvalidMetadataValue(f"{_shown(value)} är inte ett datum", example)
    return value


def _image(value: Any, spec: MetadataField, context: Context) -> Path:
    formats = [str(kind) for kind in spec.rules.get("formats", [])]
    folder = context.book.label
    allowed = f"en sökväg relativt {folder}/ till en bildfil i projektet ({', '.join(formats)})"
    if not isinstance(value, str) or not value.strip():
        raise InvalidMetadataValue(f"{_shown(value)} är ingen sökväg", allowed)
    text = value.strip()
    if "\\" in text or text.startswith("/") or ":" in text or any(not c.isprintable() for c in text):
        raise InvalidMetadataValue(f"{_shown(text)} är ingen relativ sökväg", allowed)
    kind = text.rsplit(".", 1)[-1].lower() if "." in text else ""
    if kind not in formats:
        raise InvalidMetadataValue(f"{_shown(text)} är inte en bildfil av tillåten typ", allowed)
    path = Path(os.path.normpath(context.folder / text))
    project = Path(os.path.normpath(context.project))
    if not path.is_relative_to(project) or path == project:
        raise InvalidMetadataValue(f"{_shown(text)} pekar utanför projektet", allowed)
    shown_as = path.relative_to(project).as_posix()
    try:  # the same reading and decoding as the build's cover (pdf.cover.logo_source)
        read_image(path, shown_as, within=project, limit=int(spec.rules.get("maxBytes", 2**20)))
    except RefusedFile as refused:
        raise InvalidMetadataValue(
            f"{_shown(text)}: {refused.problem.message}", refused.problem.allowed or allowed
        ) from None
    return path


def _colour(value: Any, spec: MetadataField, context: Context) -> str:
    if not isinstance(value, str) or not COLOUR.fullmatch(value.strip()):
        raise InvalidMetadataValue(
            f"{_shown(value)} är ingen färg", 'sex hexadecimala siffror inom citattecken, t.ex. "#1A5F8C"'
        )
    return value.strip().upper()


def _printed(value: Any, spec: MetadataField, context: Context) -> PrintedValues:
    decisions = [str(item) for item in spec.rules.get("decisions", [])]
    limit = int(spec.rules.get("maxReasonLength", 500))
    allowed = f"beslut: {' eller '.join(decisions)} och skal: varför (högst {limit} tecken)"
    if not isinstance(value, dict) or set(value) - {"beslut", "skal"}:
        raise InvalidMetadataValue("ska ha nycklarna beslut och skal", allowed)
    decision, reason = value.get("beslut"), value.get("skal")
    if decision not in decisions:
        raise InvalidMetadataValue(f"beslutet {_shown(decision)} finns inte", allowed)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidMetadataValue("skäl saknas (skal)", allowed)
    reason = " ".join(reason.split())
    if len(reason) > limit or any(unicodedata.category(char) in ("Cc", "Cf") for char in reason):
        raise InvalidMetadataValue("skälet är för långt eller har styrtecken", allowed)
    return PrintedValues(decision, reason)


def _chapters(value: Any, spec: MetadataField, context: Context) -> tuple[str, ...]:
    """Chapter names of the book's table of contents (_toc.yml, or the organisation's own), each once,
    not all of them."""
    known = _known_chapters(context)
    toc = context.book.toc_label
    allowed = f"en lista med kapitelnamn ur {toc}, t.ex. [tjanstegarantier]"
    if known is not None:
        allowed += f"; kapitlen är {', '.join(known)}"
    names = _chapter_list(value, allowed)
    if known is None:  # a data folder outside a project: no book, nothing to check against
        return tuple(names)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidMetadataValue(
            f"{', '.join(_shown(name) for name in unknown)} finns inte i {toc}", allowed
        )
    if known and set(known) <= set(names):
        raise InvalidMetadataValue("alla kapitel är utelämnade", "lämna minst ett kapitel kvar")
    return tuple(name for name in known if name in names)  # in book order


def _known_chapters(context: Context) -> list[str] | None:
    """The chapter names of the book's table of contents; None when there is none or it cannot be read."""
    toc = context.book.toc
    try:
        return chapter_names(toc, context.book.toc_label) if toc.is_file() else None
    except ConfigError:  # the build names _toc.yml's own problem
        return None


def _chapter_list(value: Any, allowed: str) -> list[str]:
    """`value` as a list of chapter names, stripped, each once."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise InvalidMetadataValue(f"{_shown(value)} är ingen lista med kapitelnamn", allowed)
    names = [item.strip() for item in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InvalidMetadataValue(f"{', '.join(repeated)} står flera gånger", allowed)
    return names


TypeCheck = Callable[[Any, MetadataField, Context], Any]
# Each type: its check, and its name and rules in words for the data contract.
TYPES: dict[str, tuple[TypeCheck, str, str]] = {
    "text": (_text, "text", f"{TEXT_RULE}; börjar med en bokstav eller siffra"),
    "year": (_year, "heltal", "ska vara mappens år"),
    "date": (_date, "datum", "ÅÅÅÅ-MM-DD, inom räkenskapsåret"),
    "decision_date": (_decision_date, "datum", "ÅÅÅÅ-MM-DD, räkenskapsåret eller de två följande åren"),
    "image": (
        _image,
        "sökväg",
        "relativt `data/<organisation>/<år>/`, inom projektet, ingen symbolisk länk; `check` avkodar bilden "
        "som bygget gör (en SVG utan skript, DOCTYPE, `@import` eller hänvisningar till andra filer)",
    ),
    "colour": (_colour, "färg", '`"#RRGGBB"` inom citattecken'),
    "chapters": (_chapters, "lista", "kapitelnamn ur `_toc.yml`, varje högst en gång"),
    "printed": (_printed, "beslut och skäl", "`beslut: bevara` och `skal:` en text (högst 500 tecken)"),
}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _looks_commented(entry: Entry, lines: list[str]) -> bool:
    """`accentfarg: #1A5F8C` without quotes: YAML reads the value as a comment."""
    line = lines[entry.line - 1] if 0 < entry.line <= len(lines) else ""
    return bool(re.match(rf"\s*{re.escape(entry.key)}\s*:\s+#", line))


def metadata_values(
    content: YamlMapping, context: Context, shown_as: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Every field's checked value by Metadata attribute, and a located problem for each bad value."""
    schema = metadata_schema()
    problems = [
        Problem(
            shown_as,
            "okänd nyckel",
            row=entry.line,
            column=entry.key,
            allowed="tillåtna nycklar: " + ", ".join(schema.names),
            code="metadata.key.unknown",
        )
        for entry in content.entries
        if entry.key not in schema.names
    ]
    values: dict[str, Any] = {}
    for spec in schema.fields:
        entry = next((item for item in content.entries if item.key == spec.name), None)
        row = entry.line if entry else None
        if entry is None or _is_empty(entry.value):
            if entry is not None and _looks_commented(entry, content.lines):
                problems.append(
                    Problem(
                        shown_as,
                        "värdet läses som en kommentar (#)",
                        row,
                        spec.name,
                        "skriv värdet inom citattecken",
                        code="metadata.comment",
                    )
                )
            elif spec.required:
                problems.append(
                    Problem(
                        shown_as, "värde saknas", row, spec.name, spec.description, code="metadata.missing"
                    )
                )
            else:
                values[spec.attribute] = (
                    tuple(spec.default) if isinstance(spec.default, list) else spec.default
                )
            continue
        check = TYPES[spec.type][0]
        try:
            values[spec.attribute] = check(entry.value, spec, context)
        except InvalidMetadataValue as invalid:
            problems.append(
                Problem(shown_as, invalid.message, row, spec.name, invalid.allowed, code="metadata.value")
            )
    return values, problems


def read_metadata(book: BookId) -> tuple[Metadata | None, list[Problem]]:
    """The book's rapport.yml: the metadata, or None and every problem that stops it from being read."""
    shown_as = f"{book.label}/{METADATA_FILE}"
    content, problems = read_mapping(book.year_dir / METADATA_FILE, shown_as, within=book.org_dir)
    if content is None:
        return None, problems
    values, more = metadata_values(content, Context(book), shown_as)
    problems += more
    if problems:
        return None, problems
    return Metadata(**values), []


def left_out_chapters(book: BookId) -> tuple[str, ...]:
    """The chapters the year's rapport.yml leaves out (`utelamnade_kapitel`); none when the file cannot
    be read (validation then names its problems)."""
    meta, _ = read_metadata(book)
    return meta.left_out_chapters if meta is not None else ()
