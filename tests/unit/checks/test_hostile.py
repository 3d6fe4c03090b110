"""Hostile input: script in narrative, oversized files, odd bytes in every loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportbok.checks.check import check_year
from rapportbok.core.book import BookId
from rapportbok.data.csvfile import MAX_ROWS
from rapportbok.data.load import book_of, load_year
from rapportbok.data.metadata import read_metadata
from rapportbok.data.report import Report
from rapportbok.exceptions import NarrativeError
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.templates import render_text
from tests.conftest import examples


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("Se <script>alert(1)</script> här.", "innehåller <script>"),
        ('En bild <img src=x onerror="alert(1)">.', "HTML-attribut som kör skript"),
        ("[Klicka](javascript:alert(1))", "javascript:-länk"),
        ("<iframe src=https://example.org></iframe>", "inbäddad HTML"),
    ],
)
def test_script_in_narrative_is_rejected_with_file_and_line(project_copy: Path, line: str, says: str) -> None:
    """check names the file and line of text that tries to carry script."""
    text = project_copy / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md"
    text.write_text("Första raden.\n\n" + line + "\n", encoding="utf-8")
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert any(
        p.startswith("data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md, rad 3: texten ")
        and says in p
        for p in problems
    ), problems


def test_a_huge_file_is_refused_with_its_size(project_copy: Path) -> None:
    """A 100 000-row file is rejected with a message about its size, not read half-way."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/indikator_utfall.csv"
    rows = ["indikator_id,ar,utfall,utfall_notering,mal"] + [f"1.1-01,2024,{n},," for n in range(100_000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        f"data/kommunstyrelsekontoret/2024/indikator_utfall.csv, rad {MAX_ROWS + 2}: filen har 100000 rader "
        f"(högst {MAX_ROWS} rader per tabell; dela upp eller rensa filen)"
    ]


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_random_metadata_ends_in_a_message_or_a_report(tmp_path: Path, content: bytes) -> None:
    """rapport.yml with any bytes: a located message, never a traceback.

    The metadata reader is what `check` calls on rapport.yml; without metadata `check` reports the
    reader's problems and stops (test_an_unreadable_metadata_file_stops_check), so the reader is fed
    directly instead of re-reading every table for each example.
    """
    book = BookId("kommunstyrelsekontoret", 2024, tmp_path)
    book.year_dir.mkdir(parents=True, exist_ok=True)
    (book.year_dir / "rapport.yml").write_bytes(content)
    meta, problems = read_metadata(book)
    assert meta is None and problems
    assert all(str(p).startswith("data/kommunstyrelsekontoret/2024/rapport.yml") for p in problems)


def test_an_unreadable_metadata_file_stops_check(project_copy: Path) -> None:
    """check gives exactly the metadata reader's problems when rapport.yml cannot be read."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml"
    path.write_bytes(b"organisation: [\x81\n")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert [str(p) for p in result.problems] == [
        str(p) for p in read_metadata(book_of(2024, path.parent.parent))[1]
    ]
    assert result.report is None and not result.ok


REPORTS: dict[Path, Report] = {}
MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a", "img"}
MARKDOWN_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}


@settings(
    max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.sampled_from(list("{}%#|.\"'()[] abcå<>-_\n1")), max_size=80))
def test_random_narrative_ends_in_a_message_or_text(project_copy: Path, text: str) -> None:
    """Any narrative text renders, or fails with the file named. A text without Jinja delimiters comes
    back unchanged; any rendered text becomes HTML with Markdown's own tags only (raw HTML as text)."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md"
    path.write_text(text, encoding="utf-8")
    if project_copy not in REPORTS:  # the same copy for every example: load its (unchanged) tables once
        REPORTS[project_copy] = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    try:
        rendered = render_text(REPORTS[project_copy], "tjanstegarantier/inforande")
    except NarrativeError as error:
        assert error.problem.file == "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md"
        assert any(mark in text for mark in ("{{", "{%", "{#", "}}", "%}", "#}")), error.problem
        return
    if not any(mark in text for mark in ("{{", "{%", "{#")):
        assert rendered.markdown == text.strip() + "\n"
    html = markdown_to_html(rendered.markdown)
    assert set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html)) <= MARKDOWN_TAGS, html
