"""Narrative Markdown with placeholders filled from data."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of, load_year
from rapportbok.exceptions import NarrativeError
from rapportbok.narrative.templates import render_text
from rapportbok.views.text import show_text


def _write(project: Path, key: str, text: str) -> None:
    path = project / "data" / "kommunstyrelsekontoret" / "2024" / "text" / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_placeholders_are_filled_in_swedish_format(project_root: Path) -> None:
    """The net deviation 22 355 tkr appears as '22,4 mnkr' in the Ekonomi text."""
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    text = " ".join(render_text(report, "ekonomi/driftredovisning").markdown.split())
    assert "överskott om 22,4 mnkr" in text
    assert "underskott om 1,3 mnkr" in text
    assert "överskott om 23,6 mnkr" in text
    assert "{{" not in text


def test_a_published_value_that_disagrees_is_kept_and_reported(project_root: Path) -> None:
    """The report says the safety cabinets cost 75 tkr less than budget; the data gives 76."""
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    rendered = render_text(report, "ekonomi/investeringar")
    assert "blev 75 tkr lägre än budget" in " ".join(rendered.markdown.split())
    (disagreement,) = rendered.disagreements
    assert (disagreement.printed, disagreement.computed) == ("75 tkr", "76 tkr")


def test_an_unknown_placeholder_names_file_and_line(project_copy: Path) -> None:
    """It tells the analyst which line holds the placeholder the data cannot fill."""
    _write(
        project_copy,
        "ekonomi/driftredovisning",
        "Rad ett.\n\nÖverskottet är {{ drift.summa.avvikelse | mnkr }}.\n"
        "Fel: {{ drift.sumam.avvikelse | mnkr }}.\n",
    )
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    with pytest.raises(NarrativeError) as raised:
        render_text(report, "ekonomi/driftredovisning")
    problem = raised.value.problem
    assert (problem.file, problem.row) == (
        "data/kommunstyrelsekontoret/2024/text/ekonomi/driftredovisning.md",
        4,
    )
    assert "{{ drift.sumam.avvikelse | mnkr }}" in problem.message


def test_check_reports_bad_placeholders_as_errors(project_copy: Path) -> None:
    """`rapportbok check` fails on a placeholder whose value the data does not have."""
    _write(
        project_copy,
        "ekonomi/investeringar",
        'Prognos: {{ investering["20036"].total_prognos | mnkr }}\n',
    )
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert [str(p) for p in result.problems] == [
        "data/kommunstyrelsekontoret/2024/text/ekonomi/investeringar.md, rad 1: platshållaren "
        '{{ investering["20036"].total_prognos | mnkr }} kan inte fyllas i '
        "(platshållaren har inget värde i data) (se platshållarna i data/README.md)"
    ]


def test_html_in_narrative_and_data_is_shown_as_text(project_copy: Path) -> None:
    """Neither the analyst's text nor a value from data can inject markup into the page."""
    _write(
        project_copy,
        "ekonomi/driftredovisning",
        'Text <img src=x onerror=alert(1)> av {{ mal["1.1"].titel }}.\n',
    )
    goals = project_copy / "data" / "kommunstyrelsekontoret" / "2024" / "inriktningsmal.csv"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("En ekonomi i balans", '"<script>alert(2)</script>"'),
        encoding="utf-8",
    )
    html = show_text(
        load_year(2024, project_copy / "data" / "kommunstyrelsekontoret"), "ekonomi/driftredovisning"
    ).html
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
