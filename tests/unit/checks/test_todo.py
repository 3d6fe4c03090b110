"""The to-do list of a new year names its items: by file, then by goal, indicator, assignment …"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rapportbok.authoring.new_year import start_new_year
from rapportbok.checks.check import check_year
from rapportbok.checks.todo import markdown_text, todo_list, todo_markdown, todo_text
from rapportbok.cli import main
from rapportbok.data.load import book_of

FOLDER = "data/kommunstyrelsekontoret/2025"  # the year folder as messages name it


@pytest.fixture
def new_year(project_copy: Path) -> Path:
    start_new_year(book_of(2025, project_copy / "data" / "kommunstyrelsekontoret"), None)
    return project_copy


def test_a_goal_is_one_line_with_its_id_title_columns_and_analysis(new_year: Path) -> None:
    """Mål 3.1 gathers its empty bedömning and trend and its two texts to rewrite."""
    text = todo_text(check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret")), FOLDER)
    assert (
        "    [krävs] Mål 3.1 Stärka tryggheten i hela Norrtälje kommun: bedömning, trend saknas; "
        "analys av ej uppfyllt mål (text/mal-indikatorer-uppdrag/ej-uppfyllt-3.1.md), "
        "analys (text/maluppfyllelse/mal-3.1.md): märkt [SKRIV OM] – skriv texten och ta bort märkningen\n"
    ) in text
    assert "  data/kommunstyrelsekontoret/2025/inriktningsmal.csv (18 poster, 59 uppgifter saknas)\n" in text


def test_every_to_do_is_counted_once(new_year: Path) -> None:
    """The groups' counts add up to the check's to-dos, and no line is a bare cell position."""
    result = check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret"))
    groups = todo_list(result, FOLDER)
    assert sum(group.required for group in groups) == len(result.todo)
    assert sum(group.to_verify for group in groups) == len(result.to_verify)
    items = [item for group in groups for item in group.items.values()]
    assert not [item.name for item in items if re.fullmatch(r"rad \d+", item.name)]
    lines = todo_text(result, FOLDER).splitlines()
    assert len(lines) < len(result.todo) + len(result.to_verify)  # one line per item, not per cell


def test_an_indicator_outcome_is_named_by_indicator_and_year(new_year: Path) -> None:
    """indikator_utfall.csv rows are named by the indicator's id, name and year."""
    text = todo_text(check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret")), FOLDER)
    assert (
        "    [kontrollera] Indikator 3.1-01 Upplevd trygghet – oro för brott (2025): utfall, mål saknas "
        "(fyll i värdet, eller lämna tomt om det inte finns)\n"
    ) in text


def test_markdown_is_a_checklist_with_a_heading_per_file(
    new_year: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --format markdown` writes a checklist that Markdown renders as lists under headings."""
    monkeypatch.chdir(new_year)
    assert main(["check", "--year", "2025", "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("# Kontroll av data/kommunstyrelsekontoret/2025\n")
    assert (
        "### `data/kommunstyrelsekontoret/2025/inriktningsmal.csv` (18 poster, 59 uppgifter saknas)\n" in out
    )
    assert "- [ ] Mål 3.1 Stärka tryggheten i hela Norrtälje kommun: bedömning, trend saknas; " in out
    indicator = (
        "- [ ] Indikator 3.1-01 Upplevd trygghet – oro för brott (2025): utfall, mål saknas "
        "(fyll i värdet, eller lämna tomt om det inte finns) (kontrollera)\n"
    )
    assert indicator in out
    tokens = MarkdownIt().parse(out)
    items = [t for t in tokens if t.type == "list_item_open"]
    result = check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret"))
    groups = todo_list(result, FOLDER)
    assert len(items) == sum(len(group.items) for group in groups)
    assert todo_markdown(result, FOLDER) in out


def test_values_from_data_cannot_make_markup_in_the_checklist(new_year: Path) -> None:
    """A title with HTML, a link or emphasis is shown as its text in the Markdown checklist."""
    goals = new_year / "data/kommunstyrelsekontoret/2025/inriktningsmal.csv"
    text = goals.read_text(encoding="utf-8")
    goals.write_text(
        text.replace("En ekonomi i balans", "<script>x</script> [länk](https://x.se) *fet*"), encoding="utf-8"
    )
    out = todo_markdown(check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret")), FOLDER)
    html = MarkdownIt().render(out)
    assert "<script>" not in html and "<a " not in html and "<em>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; [länk](https://x.se) *fet*" in html


def test_markdown_text_escapes_only_inline_markup() -> None:
    """Dots, dashes and parentheses stay readable for an e-mail; markup characters are escaped."""
    assert markdown_text("Mål 3.1 (2025) – a_b *c*") == "Mål 3.1 (2025) – a\\_b \\*c\\*"


def test_each_line_says_why_and_names_rows_by_their_names(new_year: Path) -> None:
    """A carried-over end date says what is wrong; months are named; an operating post is named once."""
    text = todo_text(check_year(book_of(2025, new_year / "data" / "kommunstyrelsekontoret")), FOLDER)
    assert (
        "(kontrollera: N03 gick över från 2024 men slutdatum 2024-05-06 ligger före 2025 — ange det nya "
        "slutdatumet)\n"
    ) in text
    assert "    [krävs] Sjukfrånvaro Kommunen januari 2025: sjukfrånvaro saknas\n" in text
    assert "    [krävs] Post Intäkter: budget, utfall, avvikelse saknas\n" in text
    assert "Kommunen 2025 1:" not in text and "intakter" not in text and "(kontrollera: värde)" not in text


def test_an_analysis_that_contradicts_its_assessment_says_so(project_copy: Path) -> None:
    """Not '[krävs] … analys' as if the file were missing: the line and what it says."""
    org = project_copy / "data" / "kommunstyrelsekontoret"
    folder = "data/kommunstyrelsekontoret/2024"
    analysis = org / "2024/text/maluppfyllelse/mal-3.1.md"
    analysis.write_text("Målet bedöms uppfyllt.\n", encoding="utf-8")
    text = todo_text(check_year(book_of(2024, org)), folder)
    line = next(line for line in text.splitlines() if "Mål 3.1" in line)
    assert "analys (text/maluppfyllelse/mal-3.1.md): rad 1: texten säger" in line, line
    assert "men målets bedömning i inriktningsmal.csv är" in line
