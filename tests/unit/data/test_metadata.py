"""rapport.yml against its schema: typed values, located Swedish messages, and nothing that can be markup."""

from __future__ import annotations

import base64
import time
from datetime import date
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of, load_year
from rapportbok.data.metadata import metadata_schema
from rapportbok.data.report import Metadata

FILE = "data/kommunstyrelsekontoret/2024/rapport.yml"
VALID = """organisation: Kommunstyrelsekontoret
kommun: Norrtälje kommun
ar: 2024
period_slut: 2024-12-31
"""
PNG = base64.b64decode(  # a real 1 × 1 PNG: check decodes the logo
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _problems(project: Path, content: str) -> list[str]:
    (project / "data/kommunstyrelsekontoret/2024/rapport.yml").write_text(content, encoding="utf-8")
    return [
        str(problem)
        for problem in check_year(book_of(2024, project / "data" / "kommunstyrelsekontoret")).problems
    ]


def _meta(project: Path, content: str) -> Metadata:
    (project / "data/kommunstyrelsekontoret/2024/rapport.yml").write_text(content, encoding="utf-8")
    return load_year(2024, project / "data" / "kommunstyrelsekontoret").meta


def test_the_2024_metadata_is_typed(project_root: Path) -> None:
    """The published year reads as typed values; the optional print fields are absent, and it keeps its
    printed values (a faithful reproduction of the printed report) with a reason."""
    meta = load_year(2024, project_root / "data" / "kommunstyrelsekontoret").meta
    assert meta.printed_values is not None and meta.printed_values.decision == "bevara"
    assert "tryckta verksamhetsberättelsen 2024" in meta.printed_values.reason
    assert meta == Metadata(
        organisation="Kommunstyrelsekontoret",
        kommun="Norrtälje kommun",
        year=2024,
        period_end=date(2024, 12, 31),
        report_type="Verksamhetsberättelse",
        logo=None,
        accent_colour=None,
        printed_values=meta.printed_values,
    )


@pytest.mark.parametrize("value", ["null", "", '""'])
def test_an_empty_report_type_is_the_default_never_none(project_copy: Path, value: str) -> None:
    """rapporttyp: null (or empty) means the default, never the text "None"."""
    assert _meta(project_copy, VALID + f"rapporttyp: {value}\n").report_type == "Verksamhetsberättelse"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'organisation: "```{raw} html"',
            f'{FILE}, rad 1, kolumn "organisation": tecknet "`" är inte tillåtet',
        ),
        (
            'organisation: "```{literalinclude} ../../../../etc/passwd"',
            f'{FILE}, rad 1, kolumn "organisation": tecknet "`" är inte tillåtet',
        ),
        ('organisation: "{raw}`html`"', f'{FILE}, rad 1, kolumn "organisation": tecknet "{{" är inte'),
        ("organisation: <script>alert(1)</script>", f'{FILE}, rad 1, kolumn "organisation": tecknet "<"'),
        ('organisation: "[x](javascript:alert(1))"', f'{FILE}, rad 1, kolumn "organisation": tecknet "["'),
        ('organisation: "Kontoret\\u202egnp.exe"', f'{FILE}, rad 1, kolumn "organisation": tecknet "U+202E"'),
        ('organisation: "Två\\nrader"', f'{FILE}, rad 1, kolumn "organisation": tecknet "U+000A"'),
        ('organisation: "- lista"', f'{FILE}, rad 1, kolumn "organisation": texten ska börja med en bokstav'),
        ("organisation: " + "x" * 101, f'{FILE}, rad 1, kolumn "organisation": texten är för lång (101'),
        ("organisation: 123", f'{FILE}, rad 1, kolumn "organisation": 123 är inte en text'),
        ("organisation: [a, b]", f"{FILE}, rad 1, kolumn \"organisation\": ['a', 'b'] är inte en text"),
        ("organisation:", f'{FILE}, rad 1, kolumn "organisation": värde saknas'),
    ],
)
def test_a_bad_text_value_is_refused_with_line_and_key(project_copy: Path, line: str, expected: str) -> None:
    """Markup, control characters, wrong types and over-long values are located problems."""
    content = line + "\n" + VALID.split("\n", 1)[1]
    problems = _problems(project_copy, content)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        ("period_slut: 2024-02-30", 'rad 4: filen går inte att läsa som YAML: "2024-02-30" är inget datum'),
        ("period_slut: '2024-02-30'", 'rad 4, kolumn "period_slut": "2024-02-30" är inget datum som finns'),
        (
            "period_slut: 2024-12-31 10:00:00",
            'rad 4, kolumn "period_slut": 2024-12-31 10:00:00 har ett klockslag',
        ),
        ("period_slut: 2023-12-31", 'rad 4, kolumn "period_slut": 2023-12-31 ligger inte inom året'),
        ("period_slut: tomorrow", 'rad 4, kolumn "period_slut": "tomorrow" är inte ett datum'),
        ("period_slut: 20241231", 'rad 4, kolumn "period_slut": 20241231 är inte ett datum'),
        ("ar: 2023", 'rad 3, kolumn "ar": året 2023 stämmer inte med mappens år'),
        ("ar: true", 'rad 3, kolumn "ar": året True stämmer inte med mappens år'),
        ("ar: '2024'", 'rad 3, kolumn "ar": året "2024" är skrivet som text (inom citattecken)'),
        ('ar: "2023"', 'rad 3, kolumn "ar": året "2023" är skrivet som text (inom citattecken)'),
        ("ar: " + "9" * 5000, "rad 3: filen går inte att läsa som YAML: talet är för långt"),
    ],
)
def test_years_and_dates_have_types(project_copy: Path, replacement: str, expected: str) -> None:
    """Impossible dates, times, other years and huge numbers are located problems, not tracebacks."""
    key = replacement.split(":")[0]
    lines = [replacement if line.startswith(f"{key}:") else line for line in VALID.splitlines()]
    problems = _problems(project_copy, "\n".join(lines) + "\n")
    assert len(problems) == 1 and problems[0].startswith(f"{FILE}, {expected}"), problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("organistion: Fel", f'{FILE}, rad 5, kolumn "organistion": okänd nyckel (tillåtna nycklar: '),
        ("kommun: Igen", f'{FILE}, rad 5, kolumn "kommun": nyckeln finns redan på rad 2'),
        ("1: x", f"{FILE}, rad 5: nyckeln ska vara ett namn"),
        (
            "djup: " + "[" * 20 + "]" * 20,
            f"{FILE}, rad 5: filen går inte att läsa som YAML: värdena är nästlade",
        ),
        ("ref: &a x\nkopia: *a", f"{FILE}, rad 6: filen går inte att läsa som YAML: alias (*namn) är inte"),
        ("obj: !!python/object/apply:os.system ['id']", f"{FILE}, rad 5: filen går inte att läsa som YAML"),
        ("accentfarg: #1A5F8C", f'{FILE}, rad 5, kolumn "accentfarg": värdet läses som en kommentar (#)'),
        ("accentfarg: '#1A5F8'", f'{FILE}, rad 5, kolumn "accentfarg": "#1A5F8" är ingen färg'),
        ("accentfarg: 'red; background: url(x)'", f'{FILE}, rad 5, kolumn "accentfarg": "red; background'),
    ],
)
def test_unknown_duplicate_nested_and_aliased_keys_are_refused(
    project_copy: Path, extra: str, expected: str
) -> None:
    """The schema is closed: typos, duplicates, nesting, aliases and Python tags are located problems."""
    problems = _problems(project_copy, VALID + extra + "\n")
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_quoted_year_says_to_write_it_as_a_number_without_quotes(project_copy: Path) -> None:
    """`ar: "2024"` is the folder's year written as text: the message says so, and how to write it."""
    lines = ['ar: "2024"' if line.startswith("ar:") else line for line in VALID.splitlines()]
    problems = _problems(project_copy, "\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "stämmer inte med mappens år" not in problems[0]
    assert 'året "2024" är skrivet som text (inom citattecken)' in problems[0]
    assert "ett tal utan citattecken, mappens år: ar: 2024" in problems[0]


def test_a_billion_laughs_file_is_refused_at_once(project_copy: Path) -> None:
    """A YAML alias bomb is refused at its first alias, in far less than a second of work."""
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"{chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]" for n in range(8)]
    started = time.monotonic()
    problems = _problems(project_copy, "\n".join(bomb) + "\n")
    assert time.monotonic() - started < 30  # generous under load; the refusal itself takes milliseconds
    assert problems == [
        f"{FILE}, rad 2: filen går inte att läsa som YAML: alias (*namn) är inte tillåtna (se data/README.md)"
    ]


def test_a_nul_byte_is_a_located_problem(project_copy: Path) -> None:
    """Control characters YAML cannot read are named with their line."""
    (project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml").write_bytes(VALID.encode() + b"x: \x00\n")
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [f"{FILE}, rad 5: filen innehåller ett otillåtet tecken (#x0000) (se data/README.md)"]


def test_the_print_fields_are_typed(project_copy: Path) -> None:
    """logotyp becomes a path inside the project, accentfarg an upper-case #RRGGBB."""
    (project_copy / "data/gemensamt").mkdir()
    (project_copy / "data/gemensamt/logotyp.svg").write_bytes(SVG)
    meta = _meta(project_copy, VALID + "logotyp: ../../gemensamt/logotyp.svg\naccentfarg: '#1a5f8c'\n")
    assert meta.logo == project_copy / "data/gemensamt/logotyp.svg"
    assert meta.accent_colour == "#1A5F8C"
    (project_copy / "data/kommunstyrelsekontoret/2024/logo.png").write_bytes(PNG)
    assert (
        _meta(project_copy, VALID + "logotyp: logo.png\n").logo
        == project_copy / "data/kommunstyrelsekontoret/2024/logo.png"
    )


@pytest.mark.parametrize(
    ("value", "setup", "expected"),
    [
        ("../../../../../etc/hostname.png", None, "pekar utanför projektet"),
        ("/etc/passwd.png", None, "är ingen relativ sökväg"),
        ("file:///etc/passwd.png", None, "är ingen relativ sökväg"),
        ("..\\\\..\\\\x.png", None, "är ingen relativ sökväg"),
        ("logo.gif", None, "är inte en bildfil av tillåten typ"),
        ("saknas.png", None, "filen saknas"),
        ("logo.png", "link", "filen nås via en symbolisk länk"),
        ("logo.png", "fake", "är ingen giltig png-fil"),
        ("logo.svg", "script", "är ingen giltig svg-fil"),
        ("logo.svg", "entity", "är ingen giltig svg-fil"),
        ("logo.svg", "external", "är ingen giltig svg-fil"),
        ("logo.png", "big", "filen är för stor"),
        ("bilder/logo.png", "folder-link", "nås via en symbolisk länk (mappen bilder är en symbolisk länk)"),
    ],
)
def test_a_logo_outside_the_project_or_not_an_image_is_refused(
    project_copy: Path, tmp_path: Path, value: str, setup: str | None, expected: str
) -> None:
    """The logo is a regular image file inside the project, reached without links."""
    folder = project_copy / "data/kommunstyrelsekontoret/2024"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    if setup == "link":
        (folder / "logo.png").symlink_to(outside / "logo.png")
    elif setup == "fake":
        (folder / "logo.png").write_bytes(b"#!/bin/sh\nid\n")
    elif setup == "script":
        (folder / "logo.svg").write_bytes(SVG.replace(b"<rect", b"<script>alert(1)</script><rect"))
    elif setup == "entity":
        (folder / "logo.svg").write_bytes(b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>' + SVG)
    elif setup == "external":
        (folder / "logo.svg").write_bytes(SVG.replace(b"<rect", b'<image href="file:///etc/passwd"/><rect'))
    elif setup == "big":
        (folder / "logo.png").write_bytes(PNG + b"\x00" * 2**20)
    elif setup == "folder-link":
        (folder.parent / "bilder").symlink_to(outside)
        value = "../bilder/logo.png"
    problems = _problems(project_copy, VALID + f"logotyp: '{value}'\n")
    where = f'{FILE}, rad 5, kolumn "logotyp": '
    assert any(p.startswith(where) and expected in p for p in problems), problems


def test_every_schema_field_is_a_metadata_attribute() -> None:
    """The schema and the Metadata dataclass name the same values, so a new field cannot be half-added."""
    attributes = set(Metadata.__dataclass_fields__)
    assert {spec.attribute for spec in metadata_schema().fields} == attributes
