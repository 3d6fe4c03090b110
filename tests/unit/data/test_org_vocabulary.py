"""An organisation's vocabulary (issue 26, item 4): data/<org>/vokabular.yml, validated strictly, with the
assessment and trend columns checked against it; without the file, Norrtälje's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.core.book import BookId
from rapportbok.core.contrast import contrast_ratio
from rapportbok.data.load import load_book, read_book
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY
from rapportbok.data.vocabulary import Assessment, Trend
from rapportbok.data.vocabulary_file import org_vocabulary, read_vocabulary, shown_ratio
from tests.conftest import ROOT
from tests.unit.data.vocabulary_example import ORG, VOCABULARY, project_with_vocabulary

SHOWN = "data/x/vokabular.yml"


def _read(tmp_path: Path, text: str):
    path = tmp_path / "vokabular.yml"
    path.write_text(text, encoding="utf-8")
    return read_vocabulary(path, SHOWN)


def _codes(tmp_path: Path, text: str) -> list[str]:
    return [problem.code for problem in _read(tmp_path, text).problems]


def test_without_a_file_the_vocabulary_is_norrtaljes(tmp_path: Path) -> None:
    vocabulary = org_vocabulary(tmp_path)
    assert vocabulary is DEFAULT_VOCABULARY
    assert vocabulary.is_default
    assert vocabulary.goal_values == (
        Assessment.FULFILLED,
        Assessment.PARTLY_FULFILLED,
        Assessment.NOT_FULFILLED,
    )
    assert vocabulary.indicator_values[-1] == Assessment.NO_VALUE
    assert vocabulary.trend_values == tuple(Trend)
    assert vocabulary.fulfilled == (Assessment.FULFILLED,)
    assert vocabulary.not_fulfilled == (Assessment.NOT_FULFILLED,)
    assert vocabulary.name("mal").singular == "Inriktningsmål"


def test_a_four_level_scale_is_read_best_first(tmp_path: Path) -> None:
    vocabulary = _read(tmp_path, VOCABULARY)
    assert vocabulary.problems == []
    assert not vocabulary.is_default
    assert vocabulary.goal_values == ("Uppnått", "Till stor del uppnått", "Delvis uppnått", "Ej uppnått")
    assert vocabulary.fulfilled == ("Uppnått", "Till stor del uppnått")
    assert vocabulary.not_fulfilled == ("Ej uppnått",)
    assert vocabulary.no_value.value == "Kan inte mätas"
    assert vocabulary.best.label == "Målet är uppnått"
    assert vocabulary.level("Delvis uppnått").label == "Delvis uppnått"  # the value when no label is given
    assert vocabulary.trend_values == ("Förbättrad", "Oförändrad", "Försämrad", "Ej bedömd")
    assert vocabulary.name("indikator").plural == "nyckeltal"
    # a name the file leaves out stays the default
    assert vocabulary.name("malomrade").singular == "Målområde"


def test_a_section_without_a_scale_keeps_norrtaljes_levels(tmp_path: Path) -> None:
    vocabulary = _read(tmp_path, "bedomning:\n  utan_varde: {varde: Kan inte mätas, symbol: '?'}\n")
    assert vocabulary.problems == []
    assert vocabulary.goal_values == DEFAULT_VOCABULARY.goal_values
    assert vocabulary.indicator_values[-1] == "Kan inte mätas"


def test_a_file_with_norrtaljes_words_is_the_default(tmp_path: Path) -> None:
    text = "nivaer:\n  mal: {ental: Inriktningsmål, flertal: inriktningsmål}\n"
    assert _read(tmp_path, text).is_default


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("farger: {}\n", "vocabulary.key.unknown"),
        (
            VOCABULARY.replace(
                "      raknas_som: uppfyllt\n    - varde: Delvis", "      okand: 1\n    - varde: Delvis"
            ),
            "vocabulary.key.unknown",
        ),
        ("bedomning: [1, 2]\n", "vocabulary.type"),
        (
            "bedomning:\n  skala:\n    - varde: Bra\n      symbol: '+'\n"
            "      farg: {ljus: '#1b6b2f', mork: '#74d68f'}\n      raknas_som: uppfyllt\n",
            "vocabulary.levels.count",
        ),
        (
            VOCABULARY.replace("    - varde: Delvis uppnått\n", "    - etikett: Delvis uppnått\n"),
            "vocabulary.missing",
        ),
        (VOCABULARY.replace("Till stor del uppnått", "Uppnått"), "vocabulary.value.duplicate"),
        (VOCABULARY.replace('"◕"', '"●"'), "vocabulary.symbol.duplicate"),
        (VOCABULARY.replace('"#345e00"', '"grön"'), "vocabulary.colour.invalid"),
        (VOCABULARY.replace('"#345e00"', '"#8fd14f"'), "vocabulary.colour.contrast"),
        (VOCABULARY.replace("raknas_som: ej_uppfyllt", "raknas_som: uppfyllt"), "vocabulary.order"),
        (
            VOCABULARY.replace(
                "      raknas_som: uppfyllt\n    - varde: Delvis",
                "      raknas_som: nej\n    - varde: Delvis",
            ),
            "vocabulary.counts_as",
        ),
        (VOCABULARY.replace("Ej bedömd", "Oförändrad"), "vocabulary.value.duplicate"),
        (
            VOCABULARY.replace("mal: {ental: Nämndmål, flertal: nämndmål}", "mal: {ental: Nämndmål}"),
            "vocabulary.missing",
        ),
        (VOCABULARY.replace("varde: Kan inte mätas", 'varde: "Kan\\ninte"'), "vocabulary.text"),
        ("bedomning: [\n", "yaml.invalid"),
        ("bedomning:\n  skala: []\n", "vocabulary.levels.count"),
        (VOCABULARY.replace("varde: Kan inte mätas", "varde: '??'"), "vocabulary.text"),
    ],
)
def test_each_wrong_file_is_named_by_its_code(tmp_path: Path, text: str, code: str) -> None:
    assert code in _codes(tmp_path, text)


def test_a_problem_names_the_file_the_line_and_the_key(tmp_path: Path) -> None:
    problem = _read(tmp_path, VOCABULARY.replace('"◕"', '"●"')).problems[0]
    assert str(problem).startswith(f'{SHOWN}, rad 1, kolumn "bedomning": symbolen "●" finns redan')


def test_a_colour_without_contrast_is_named_with_its_key_and_ratio(tmp_path: Path) -> None:
    [problem] = _read(tmp_path, VOCABULARY.replace('mork: "#ff9a9a"', 'mork: "#a4161a"')).problems
    ratio = contrast_ratio("#a4161a", "#121417")
    assert problem.code == "vocabulary.colour.contrast"
    assert problem.column == "bedomning.skala[4].farg.mork"
    assert f"{shown_ratio(ratio)}:1 mot sidans bakgrund #121417" in problem.message
    assert shown_ratio(ratio).startswith(str(int(ratio)) + ",")
    assert "minst 4,5:1" in problem.allowed


def test_a_ratio_just_below_the_limit_never_reads_as_the_limit() -> None:
    assert shown_ratio(4.4999) == "4,49"
    assert shown_ratio(4.5) == "4,5"
    assert shown_ratio(21.0) == "21"


def test_every_default_colour_passes_the_text_contrast() -> None:
    for level in DEFAULT_VOCABULARY.levels:
        assert contrast_ratio(level.light, "#ffffff") >= 4.5
        assert contrast_ratio(level.dark, "#121417") >= 4.5


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_assessments_are_checked_against_the_organisations_scale(tmp_path: Path) -> None:
    project_with_vocabulary(tmp_path, reword=False)
    _, problems, _ = read_book(BookId(ORG, 2024, tmp_path))
    wrong = [problem for problem in problems if problem.column == "bedomning"]
    assert wrong, "Norrtälje's words are not in this organisation's scale"
    first = wrong[0]
    assert first.file == f"data/{ORG}/2024/inriktningsmal.csv"
    assert first.row == 2
    assert first.allowed == "tillåtna: Uppnått, Till stor del uppnått, Delvis uppnått, Ej uppnått"
    indicator = next(problem for problem in wrong if problem.file.endswith("indikatorer.csv"))
    assert indicator.allowed.endswith("Ej uppnått, Kan inte mätas")
    assert any(problem.column == "trend" and "Förbättrad" in problem.allowed for problem in problems)


def test_a_year_in_the_organisations_words_loads(tmp_path: Path) -> None:
    project_with_vocabulary(tmp_path)
    for lazy in (False, True):
        report = load_book(BookId(ORG, 2024, tmp_path), lazy=lazy)
        assert "Uppnått" in set(report.inriktningsmal["bedomning"])
        assert "Kan inte mätas" in set(report.indikatorer["bedomning"])


def test_a_wrong_vocabulary_stops_the_year(tmp_path: Path) -> None:
    project_with_vocabulary(tmp_path)
    path = tmp_path / "data" / ORG / "vokabular.yml"
    path.write_text(VOCABULARY + "farger: {}\n", encoding="utf-8")
    _, problems, _ = read_book(BookId(ORG, 2024, tmp_path))
    assert [problem.code for problem in problems if problem.file.endswith("vokabular.yml")] == [
        "vocabulary.key.unknown"
    ]


def test_the_excel_workbook_offers_the_organisations_words(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from rapportbok.authoring.excel.export import export_workbook
    from rapportbok.data.org_tables import book_schemas

    project_with_vocabulary(tmp_path)
    org_dir = tmp_path / "data" / ORG
    schemas = book_schemas(org_dir)
    assert schemas["indikatorer"].field("bedomning").enum[-1] == "Kan inte mätas"
    assert schemas["inriktningsmal"].field("trend").enum == (
        "Förbättrad",
        "Oförändrad",
        "Försämrad",
        "Ej bedömd",
    )
    book = load_workbook(export_workbook(BookId(ORG, 2024, tmp_path), tmp_path / "_build"))
    sheet = book["Inriktningsmål"]
    column = next(cell.column_letter for cell in sheet[1] if cell.value and "edömning" in str(cell.value))
    rule = next(rule for rule in sheet.data_validations.dataValidation if f"{column}2" in rule.sqref)
    lists, _, reference = rule.formula1.partition("!")
    values = [cell.value for (cell,) in book[lists.strip("'")][reference.replace("$", "")]]
    assert values == ["Uppnått", "Till stor del uppnått", "Delvis uppnått", "Ej uppnått"]


def test_the_preview_watches_the_vocabulary(tmp_path: Path) -> None:
    from rapportbok.pipeline.preview.builder import watched_paths

    project_with_vocabulary(tmp_path)
    assert tmp_path / "data" / ORG / "vokabular.yml" in watched_paths(BookId(ORG, 2024, tmp_path))


def test_the_contrast_is_measured_against_the_sites_page_backgrounds() -> None:
    """BACKGROUNDS are the web edition's --rb-bg in light and dark: a changed background changes the rule."""
    import re

    from rapportbok.data.vocabulary_file import BACKGROUNDS

    css = (ROOT / "book" / "_themes" / "rapportbok" / "static" / "rapportbok-webb.css").read_text(
        encoding="utf-8"
    )
    backgrounds = re.findall(r"--rb-bg:\s*(#[0-9a-f]{6})", css)
    assert backgrounds[0] == BACKGROUNDS["ljus"]
    assert set(backgrounds[1:]) == {BACKGROUNDS["mork"]}
