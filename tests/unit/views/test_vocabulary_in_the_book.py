"""Everything that uses the assessment scale follows the organisation's vocabulary (issue 26, item 4): the
computed assessment, the goal counts and the front page, the badges on the web and in print, the texts a
goal not fulfilled needs, and the claims check. Norrtälje's words stay exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.checks.claims import assessment_claim_problems, stated_assessments
from rapportbok.core.book import BookId
from rapportbok.data.load import load_book
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, OrgVocabulary
from rapportbok.data.report import Report
from rapportbok.data.required_texts import GOAL_NOT_FULFILLED, required_keys
from rapportbok.data.vocabulary import IndicatorDirection
from rapportbok.data.vocabulary_file import read_vocabulary
from rapportbok.model.computed_assessment import Outcome, computed_assessment, computed_trend
from rapportbok.model.goals import area_statement, goal_counts
from rapportbok.pdf.typst.document import report_edition, typst_source
from rapportbok.views.assessment import assessment_html, trend_html
from rapportbok.views.forsida import goals_figure
from rapportbok.views.mal_indikatorer_uppdrag import goals_not_fulfilled
from rapportbok.views.maluppfyllelse import goal_section
from tests.conftest import ROOT
from tests.unit.data.vocabulary_example import ORG, VOCABULARY, project_with_vocabulary

HIGHER = IndicatorDirection.HIGHER_IS_BETTER
LOWER = IndicatorDirection.LOWER_IS_BETTER


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> OrgVocabulary:
    path = tmp_path_factory.mktemp("vokabular") / "vokabular.yml"
    path.write_text(VOCABULARY, encoding="utf-8")
    found = read_vocabulary(path, "vokabular.yml")
    assert found.problems == []
    return found


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 2024 data in the four-level vocabulary; goal 1.2 assessed "Till stor del uppnått"."""
    root = project_with_vocabulary(tmp_path_factory.mktemp("org"))
    goals = root / "data" / ORG / "2024" / "inriktningsmal.csv"
    lines = goals.read_text(encoding="utf-8").splitlines()
    lines = [
        line.replace(",Uppnått,", ",Till stor del uppnått,") if line.startswith("1.2,") else line
        for line in lines
    ]
    goals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def report(root: Path) -> Report:
    return load_book(BookId(ORG, 2024, root))


@pytest.fixture(scope="module")
def original() -> Report:
    return load_book(BookId(ORG, 2024, ROOT))


def test_the_computed_assessment_gives_the_scales_best_and_lowest_level(vocabulary: OrgVocabulary) -> None:
    met = computed_assessment(HIGHER, 5.0, 4.0, 0, vocabulary)
    assert met.value == "Uppnått"
    assert "högre är bättre: uppnått när utfallet är minst målvärdet, annars ej uppnått" in met.rule
    assert computed_assessment(HIGHER, 3.0, 4.0, 0, vocabulary).value == "Ej uppnått"
    assert computed_assessment(LOWER, 3.0, 4.0, 0, vocabulary).value == "Uppnått"
    assert computed_assessment(HIGHER, None, 4.0, 0, vocabulary).value == "Kan inte mätas"
    assert computed_assessment(HIGHER, 5.0, None, 0, vocabulary).value == "Kan inte mätas"


def test_the_computed_trend_uses_the_vocabularys_words(vocabulary: OrgVocabulary) -> None:
    now, before = Outcome(2024, 5.0), [Outcome(2023, 4.0)]
    better = computed_trend(HIGHER, now, before, 0, vocabulary)
    assert better.value == "Förbättrad"
    assert "högre är bättre: förbättrad när utfallet har ökat" in better.rule
    assert computed_trend(LOWER, now, before, 0, vocabulary).value == "Försämrad"
    assert computed_trend(HIGHER, now, [Outcome(2023, 5.0)], 0, vocabulary).value == "Oförändrad"
    assert computed_trend(HIGHER, None, before, 0, vocabulary).value == "Ej bedömd"


def test_norrtaljes_rule_keeps_its_words() -> None:
    met = computed_assessment(HIGHER, 5.0, 4.0, 0)
    assert (met.value, met.rule) == (
        "Uppfyllt",
        "högre är bättre: uppfyllt när utfallet är minst målvärdet; utfall 5, mål 4",
    )


def test_every_level_that_counts_as_fulfilled_is_counted(report: Report, original: Report) -> None:
    counts, before = goal_counts(report), goal_counts(original)
    assessed = report.inriktningsmal["bedomning"]
    assert counts["uppfyllt"] == int(assessed.isin(["Uppnått", "Till stor del uppnått"]).sum())
    assert counts == before  # the same goals, in other words (1.2 at a level that also counts)
    assert counts["ej_uppfyllt"] == int((assessed == "Ej uppnått").sum())


def test_the_front_page_counts_the_goals_by_their_name(report: Report, original: Report) -> None:
    figure, before = goals_figure(report), goals_figure(original)
    assert figure.label == "nämndmål bedöms uppfyllda"
    assert before.label == "inriktningsmål bedöms uppfyllda"
    counts = goal_counts(report)
    assert figure.value == f"{counts['uppfyllt']} av {counts['antal']}" == before.value


def test_an_area_statement_names_the_goals_as_the_vocabulary_does(vocabulary: OrgVocabulary) -> None:
    import pandas as pd

    three = pd.Series(["Uppnått", "Till stor del uppnått", "Ej uppnått"], dtype=object)
    assert area_statement(three, vocabulary) == "två av tre nämndmål bedöms som uppfyllda"
    assert area_statement(pd.Series(["Uppfyllt"], dtype=object)) == "inriktningsmålet bedöms som uppfyllt"


def test_a_badge_shows_the_levels_label_symbol_and_colours(vocabulary: OrgVocabulary) -> None:
    badge = assessment_html("Uppnått", vocabulary)
    assert badge == (
        '<span class="rb-badge rb-bedomning-uppnatt" style="color: light-dark(#1b6b2f, '
        '#74d68f)"><span class="rb-symbol" aria-hidden="true">●</span> Målet är uppnått</span>'
    )
    assert 'class="rb-badge rb-bedomning-kan-inte-matas">' in assessment_html("Kan inte mätas", vocabulary)
    assert "light-dark(#a4161a, #ff9a9a)" in trend_html("Försämrad", vocabulary)
    assert "↑" in trend_html("Förbättrad", vocabulary)
    assert "&lt;b&gt;" in assessment_html("<b>", vocabulary)  # a value outside the scale is escaped


def test_norrtaljes_badges_are_unchanged() -> None:
    assert assessment_html("Uppfyllt") == (
        '<span class="rb-badge rb-bedomning-uppfyllt"><span class="rb-symbol" aria-hidden="true">✓</span> '
        "Uppfyllt</span>"
    )
    assert assessment_html("Uppfyllt", DEFAULT_VOCABULARY) == assessment_html("Uppfyllt")
    assert trend_html("Positiv") == (
        '<span class="rb-badge rb-trend-positiv"><span class="rb-symbol" aria-hidden="true">↗</span> '
        "Positiv</span>"
    )


def test_the_goal_page_names_the_levels_as_the_vocabulary_does(report: Report) -> None:
    html = goal_section(report, "1.1").html
    assert "<h3>Nyckeltal</h3>" in html
    assert "Nyckeltal för nämndmål 1.1" in html
    assert "Nyckeltal (nivå)" in html
    assert "Till listan över nämndmål" in html
    assert "Målet är uppnått" in html


def test_a_goal_at_any_level_that_counts_as_not_fulfilled_needs_its_reason(
    vocabulary: OrgVocabulary, report: Report
) -> None:
    row = {"mal_id": "9.9", "bedomning": "Ej uppnått"}
    assert GOAL_NOT_FULFILLED.key("9.9") in required_keys("inriktningsmal", row, vocabulary)
    assert GOAL_NOT_FULFILLED.key("9.9") not in required_keys("inriktningsmal", row)  # not Norrtälje's word
    not_fulfilled = report.inriktningsmal.loc[report.inriktningsmal["bedomning"] == "Ej uppnått", "mal_id"]
    html = goals_not_fulfilled(report).html
    assert len(not_fulfilled) > 0
    assert all(f"#mal-{goal_id.replace('.', '-')}" in html for goal_id in not_fulfilled)


def test_claims_are_read_in_the_vocabularys_words(vocabulary: OrgVocabulary) -> None:
    def stated(text: str) -> list[str]:
        return [found[0] for found in stated_assessments(text, vocabulary)]

    assert stated("Målet bedöms som delvis uppnått.") == ["Delvis uppnått"]
    assert stated("Målet är till stor del uppnått.") == ["Till stor del uppnått"]
    assert stated("Målet bedöms inte vara uppnått.") == ["Ej uppnått"]
    assert stated("Målet bedöms\nsom uppnått.") == ["Uppnått"]
    assert stated("Målet bedöms som uppfyllt.") == []  # Norrtälje's word is not this scale's


def test_an_analysis_stating_another_level_is_a_to_do(report: Report) -> None:
    goal = report.inriktningsmal.iloc[0]
    other = next(value for value in ("Delvis uppnått", "Uppnått") if value != goal["bedomning"])
    problems = assessment_claim_problems(
        report, f"maluppfyllelse/mal-{goal['mal_id']}", f"Målet bedöms som {other.lower()}.", "mal.md"
    )
    assert [problem.code for problem in problems] == ["text.claim.assessment"]
    assert f'"{goal["bedomning"]}"' in problems[0].message


def test_the_print_edition_colours_the_vocabularys_badges(
    report: Report, original: Report, root: Path
) -> None:
    edition = report_edition(report, [], root)
    colours = dict(edition.badge_colours)
    assert colours["rb-bedomning-uppnatt"] == "#1b6b2f"
    assert colours["rb-bedomning-till-stor-del-uppnatt"] == "#345e00"
    assert colours["rb-trend-forsamrad"] == "#a4161a"
    source = typst_source(edition).source
    assert '"rb-bedomning-till-stor-del-uppnatt": rgb("#345e00")' in source
    assert report_edition(original, [], ROOT).badge_colours == ()


def test_the_build_hands_the_badge_colours_to_the_pdf_child(
    report: Report, original: Report, root: Path
) -> None:
    """The build's PDF child reads the edition back from the print document: the colours travel in it."""
    from rapportbok.pdf.document import print_document
    from rapportbok.pdf.typst.from_html import edition_from_html

    assert (
        edition_from_html(print_document(report, [], root)).badge_colours
        == report_edition(report, [], root).badge_colours
    )
    assert edition_from_html(print_document(original, [], ROOT)).badge_colours == ()


def test_the_site_overview_names_the_goals_when_an_organisation_calls_them_otherwise(report: Report) -> None:
    from rapportbok.model.overview import OverviewFigures, overview_figures
    from rapportbok.views.site_index import SiteBook, overview_table

    def book(organisation: str) -> SiteBook:
        return SiteBook(
            organisation, organisation, "Norrtälje kommun", "Verksamhetsberättelse", 2024, "x.pdf"
        )

    figures = overview_figures(report)
    assert figures.goals_name == "nämndmål"
    counts = goal_counts(report)
    assert (figures.goals_fulfilled, figures.goals_total) == (counts["uppfyllt"], counts["antal"])
    norrtalje = OverviewFigures(12, 16, 29, 38, 22355.0, 3.8)
    alone = overview_table([(book("ks"), norrtalje)])
    assert ">Inriktningsmål uppfyllda<" in alone and "Mål uppfyllda" not in alone
    mixed = overview_table([(book("ks"), norrtalje), (book("vard"), figures)])
    assert ">Mål uppfyllda<" in mixed
    assert "12\u00a0av\u00a016 inriktningsmål" in mixed
    assert f"{counts['uppfyllt']}\u00a0av\u00a0{counts['antal']} nämndmål" in mixed


NORRTALJE = """\
bedomning:
  skala:
    - {varde: Uppfyllt, symbol: "✓", farg: {ljus: "#1b6b2f", mork: "#74d68f"}, raknas_som: uppfyllt}
    - {varde: Delvis uppfyllt, symbol: "◐", farg: {ljus: "#7a4d00", mork: "#f2bb5c"}}
    - {varde: Ej uppfyllt, symbol: "✗", farg: {ljus: "#a4161a", mork: "#ff9a9a"}, raknas_som: ej_uppfyllt}
  utan_varde: {varde: Inget värde angivet, symbol: "–"}
trend:
  positiv: {varde: Positiv, symbol: "↗"}
  oforandrad: {varde: Oförändrad, symbol: "→"}
  negativ: {varde: Negativ, symbol: "↘"}
  ej_bedomd: {varde: Ej utvärderad, symbol: "–"}
nivaer:
  malomrade: {ental: Målområde, flertal: målområden}
  mal: {ental: Inriktningsmål, flertal: inriktningsmål}
  indikator: {ental: Indikator, flertal: indikatorer}
"""


def test_a_file_with_norrtaljes_words_renders_the_2024_book_as_without_it(
    tmp_path: Path, original: Report
) -> None:
    """Kommunstyrelsekontoret 2024 with its words spelled out in vokabular.yml is the book without the file:
    the goal pages, the not-fulfilled chapter, the front page and the print edition's badge colours."""
    project_with_vocabulary(tmp_path, reword=False)
    (tmp_path / "data" / ORG / "vokabular.yml").write_text(NORRTALJE, encoding="utf-8")
    spelled = load_book(BookId(ORG, 2024, tmp_path))
    for goal_id in original.inriktningsmal["mal_id"]:
        assert goal_section(spelled, goal_id).html == goal_section(original, goal_id).html
    assert goals_not_fulfilled(spelled).html == goals_not_fulfilled(original).html
    assert goals_figure(spelled) == goals_figure(original)
    assert report_edition(spelled, [], tmp_path).badge_colours == ()


def test_check_names_a_colour_without_contrast_with_file_key_and_ratio(tmp_path: Path) -> None:
    from rapportbok.checks.check import check_year

    project_with_vocabulary(tmp_path)
    path = tmp_path / "data" / ORG / "vokabular.yml"
    path.write_text(VOCABULARY.replace('ljus: "#345e00"', 'ljus: "#8fd14f"'), encoding="utf-8")
    result = check_year(BookId(ORG, 2024, tmp_path))
    [problem] = [problem for problem in result.problems if problem.code == "vocabulary.colour.contrast"]
    assert str(problem).startswith(
        f'data/{ORG}/vokabular.yml, rad 1, kolumn "bedomning.skala[2].farg.ljus": #8fd14f har kontrasten 1,'
    )
    assert "mot sidans bakgrund #ffffff (ljust läge) (minst 4,5:1 krävs" in str(problem)
