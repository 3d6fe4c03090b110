"""rapport.yml's optional decision and contact fields: typed, located when wrong, shown on Om rapporten."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from lxml import html as lxml_html

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of, load_year
from rapportbok.views.om_rapporten import about_body, decision_html

VALID = """organisation: Kommunstyrelsekontoret
kommun: Norrtälje kommun
ar: 2024
period_slut: 2024-12-31
"""
DECIDED = VALID + (
    'kontakt: "Kommunstyrelsekontoret, ks@kommun.se, 0176-710 00"\n'
    "beslutande_organ: Kommunstyrelsen\nbeslutsdatum: 2025-03-18\ndiarienummer: KS 2025/123\n"
)


def _write(project: Path, content: str) -> None:
    (project / "data/kommunstyrelsekontoret/2024/rapport.yml").write_text(content, encoding="utf-8")


def _problems(project: Path) -> list[tuple[str | None, str]]:
    result = check_year(book_of(2024, project / "data" / "kommunstyrelsekontoret"))
    return [(problem.column, problem.code) for problem in result.problems]


def test_the_decision_and_contact_are_read_typed(project_copy: Path) -> None:
    _write(project_copy, DECIDED)
    meta = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret").meta
    assert meta.contact == "Kommunstyrelsekontoret, ks@kommun.se, 0176-710 00"
    assert (meta.decision_body, meta.decision_date, meta.case_number) == (
        "Kommunstyrelsen",
        date(2025, 3, 18),
        "KS 2025/123",
    )


def test_a_decision_date_years_away_or_markup_in_a_field_is_located(project_copy: Path) -> None:
    _write(project_copy, VALID + "beslutsdatum: 2031-01-01\ndiarienummer: KS <b>1</b>\n")
    assert _problems(project_copy) == [("beslutsdatum", "metadata.value"), ("diarienummer", "metadata.value")]


def test_om_rapporten_names_the_decision_and_the_contact(project_copy: Path) -> None:
    _write(project_copy, DECIDED)
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    text = " ".join(
        lxml_html.fragment_fromstring(about_body(report), create_parent="div").text_content().split()
    )
    assert "Kommunstyrelsen beslutade rapporten den 18 mars 2025 (diarienummer KS 2025/123)." in text
    assert "Frågor om rapporten: Kommunstyrelsekontoret, ks@kommun.se, 0176-710 00." in text


def test_without_decision_fields_the_page_says_nothing_about_a_decision(project_root: Path) -> None:
    """2024's rapport.yml gives no decision (the printed report does not): nothing is invented."""
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    assert decision_html(report.meta) == ""
    assert "beslutade rapporten" not in about_body(report)
    only_date = replace(report.meta, decision_date=date(2025, 4, 2))
    assert decision_html(only_date) == "<h2>Beslut</h2><p>Rapporten är beslutad den 2 april 2025.</p>"
