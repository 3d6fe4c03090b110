"""What narrative claims is checked against the data (checks.claims, through check_year)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year, require_valid
from rapportbok.checks.claims import stated_assessments
from rapportbok.data.load import book_of
from rapportbok.data.vocabulary import Assessment
from rapportbok.exceptions import DataError


def _set_assessment(project: Path, goal_id: str, assessment: str) -> None:
    path = project / "data/kommunstyrelsekontoret/2024/inriktningsmal.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(
            re.sub(r",(Uppfyllt|Delvis uppfyllt|Ej uppfyllt),", f",{assessment},", line, count=1)
            if line.startswith(f"{goal_id},")
            else line
            for line in lines
        ),
        encoding="utf-8",
    )


def _warnings(project: Path) -> list[str]:
    return [
        str(warning).replace("\u00a0", " ")
        for warning in check_year(book_of(2024, project / "data" / "kommunstyrelsekontoret")).all_warnings
    ]


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("Inriktningsmålet bedöms uppfyllt.", Assessment.FULFILLED),
        ("Inriktningsmålet bedöms som uppfyllt.", Assessment.FULFILLED),
        ("Inriktningsmålet bedöms ej uppfyllt.", Assessment.NOT_FULFILLED),
        ("Inriktningsmålet bedöms som ej\nuppfyllt.", Assessment.NOT_FULFILLED),
        ("Bedömningen är därmed att inriktningsmålet inte är uppfyllt.", Assessment.NOT_FULFILLED),
        ("att inriktningsmålet inte når måluppfyllelse", Assessment.NOT_FULFILLED),
        ("Målet är delvis uppfyllt.", Assessment.PARTLY_FULFILLED),
        ("Inriktningsmålet bedöms delvis uppfyllt.", Assessment.PARTLY_FULFILLED),
        ("Inriktningsmålet bedöms inte vara uppfyllt.", Assessment.NOT_FULFILLED),
        ("Inriktningsmålet bedöms vara uppfyllt.", Assessment.FULFILLED),
    ],
)
def test_it_reads_the_assessment_a_sentence_states(sentence: str, stated: Assessment) -> None:
    assert [found[0] for found in stated_assessments(sentence)] == [stated]


def test_a_sentence_without_an_assessment_states_none() -> None:
    assert stated_assessments("Bedömningen görs utifrån att uppdragen är genomförda.") == []


def test_the_2024_book_passes_with_its_typed_figures_listed(project_root: Path) -> None:
    result = check_year(book_of(2024, project_root / "data" / "kommunstyrelsekontoret"))
    assert result.problems == [] and result.todo == []
    listed = [str(w) for w in result.warnings if "skriv" in str(w) or "skrivna_siffror" in str(w)]
    assert listed == []


def test_an_analysis_that_states_another_assessment_stops_publishing_but_not_a_draft(
    project_copy: Path,
) -> None:
    _set_assessment(project_copy, "2.1", "Delvis uppfyllt")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    claims = [str(problem) for problem in result.todo]
    assert claims == [
        "data/kommunstyrelsekontoret/"
        '2024/text/maluppfyllelse/mal-2.1.md, rad 1: texten säger "bedöms ej uppfyllt" men målets '
        'bedömning i inriktningsmal.csv är "Delvis uppfyllt" (skriv om meningen så att den stämmer med '
        "bedömningen, eller rätta bedömningen)"
    ]
    with pytest.raises(DataError):
        require_valid(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    require_valid(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"), draft=True)


def test_a_typed_figure_is_a_warning_with_its_line_until_it_is_listed_with_a_reason(
    project_copy: Path,
) -> None:
    text = project_copy / "data/kommunstyrelsekontoret/2024/text/ekonomi/verksamhet-hr.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nKostnaden blev 2,7 mnkr för tolv chefer.\n")
    warnings = _warnings(project_copy)
    assert (
        "data/kommunstyrelsekontoret/"
        "2024/text/ekonomi/verksamhet-hr.md: rad 5, skriven siffra: 2,7 mnkr — använd en platshållare "
        "(eller för upp den i data/kommunstyrelsekontoret/2024/skrivna_siffror.yml med ett skäl)" in warnings
    )
    assert any("rad 5, skrivet tal: tolv — använd en platshållare med | ord" in w for w in warnings)
    allowed = project_copy / "data/kommunstyrelsekontoret/2024/skrivna_siffror.yml"
    allowed.write_text(
        allowed.read_text(encoding="utf-8")
        + 'ekonomi/verksamhet-hr:\n  "2,7 mnkr": Ur lönesystemet.\n  tolv: Antal chefer.\n',
        encoding="utf-8",
    )
    assert not [w for w in _warnings(project_copy) if "verksamhet-hr" in w]


def test_a_listed_figure_that_the_text_no_longer_has_is_a_warning(project_copy: Path) -> None:
    text = project_copy / "data/kommunstyrelsekontoret/2024/text/ekonomi/verksamhet-stab.md"
    text.write_text(text.read_text(encoding="utf-8").replace("cirka 1,4\nmnkr", "ett överskott"))
    assert (
        "data/kommunstyrelsekontoret/"
        '2024/skrivna_siffror.yml: "1,4 mnkr" för ekonomi/verksamhet-stab finns inte längre i texten; '
        "ta bort raden" in _warnings(project_copy)
    )


def test_a_listed_figure_without_a_reason_is_an_error(project_copy: Path) -> None:
    allowed = project_copy / "data/kommunstyrelsekontoret/2024/skrivna_siffror.yml"
    allowed.write_text('ekonomi/verksamhet-it:\n  "11,3 mnkr":\n', encoding="utf-8")
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        "data/kommunstyrelsekontoret/"
        '2024/skrivna_siffror.yml, rad 1, kolumn "ekonomi/verksamhet-it": skäl saknas för "11,3 mnkr" '
        "(varför siffran skrivs för hand, högst 500 tecken)"
    ]


def test_a_pin_that_disagrees_with_data_is_an_error_unless_the_year_keeps_printed_values(
    project_copy: Path,
) -> None:
    assert any('"22,3 mnkr"' in w for w in _warnings(project_copy))  # 2024 declares tryckta_varden
    meta = project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml"
    meta.write_text(meta.read_text(encoding="utf-8").split("# Boken 2024 återger")[0], encoding="utf-8")
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    problems = [str(p).replace("\u00a0", " ") for p in result.problems]
    assert [p.split(" (")[0] for p in problems] == [
        "data/kommunstyrelsekontoret/"
        '2024/text/ekonomi/investeringar.md: texten visar det tryckta värdet "75 tkr" men data ger '
        '"76 tkr"',
        "data/kommunstyrelsekontoret/"
        '2024/text/sammanfattning/ekonomi.md: texten visar det tryckta värdet "22,3 mnkr" men data ger '
        '"22,4 mnkr"',
    ]
    assert not any("22,3 mnkr" in str(w) for w in result.all_warnings)


def test_a_pin_that_agrees_with_data_is_no_error_without_the_declaration(project_copy: Path) -> None:
    meta = project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml"
    meta.write_text(meta.read_text(encoding="utf-8").split("# Boken 2024 återger")[0], encoding="utf-8")
    for name, old, new in (
        ("sammanfattning/ekonomi.md", '"22,3 mnkr"', '"22,4 mnkr"'),
        ("ekonomi/investeringar.md", '"75 tkr"', '"76 tkr"'),
    ):
        path = project_copy / "data/kommunstyrelsekontoret/2024/text" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems == []


def test_a_declaration_of_printed_values_needs_a_reason(project_copy: Path) -> None:
    meta = project_copy / "data/kommunstyrelsekontoret/2024/rapport.yml"
    text = meta.read_text(encoding="utf-8").split("# Boken 2024 återger")[0]
    meta.write_text(text + "tryckta_varden:\n  beslut: bevara\n", encoding="utf-8")
    problems = [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert len(problems) == 1 and 'kolumn "tryckta_varden": skäl saknas (skal)' in problems[0]


def test_a_figure_typed_in_the_accessibility_statement_is_a_warning(project_copy: Path) -> None:
    statement = project_copy / "tillganglighet.yml"
    statement.write_text(
        statement.read_text(encoding="utf-8").replace(
            "Diagrammen är bilder", "Texten säger 22,3 mnkr men tabellen 22 355 tkr. Diagrammen är bilder"
        ),
        encoding="utf-8",
    )
    found = [w for w in _warnings(project_copy) if w.startswith("tillganglighet.yml")]
    assert [w.split(" — ")[0] for w in found] == [
        "tillganglighet.yml: kanda_brister: skriven siffra: 22,3 mnkr",
        "tillganglighet.yml: kanda_brister: skriven siffra: 22 355 tkr",
    ]


def test_the_shipped_accessibility_statement_has_no_typed_figure(project_root: Path) -> None:
    assert not [w for w in _warnings(project_root) if w.startswith("tillganglighet.yml")]
