"""`check` lists every problem of a year in one pass: tables, rules, placeholders and formats together."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.cli import main
from rapportbok.data.load import book_of
from rapportbok.narrative.templates import PLACEHOLDER_REFUSED, PLACEHOLDER_UNKNOWN_NAME

TEXT = "data/kommunstyrelsekontoret/2024/text/arbetsgivare/sjukfranvaro-analys.md"


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _make_mistakes(project: Path) -> None:
    """Five mistakes of four kinds, each in a different place of the 2024 data."""
    data = project / "data/kommunstyrelsekontoret/2024"
    # A table error (a status that is not allowed) and an empty required field in uppdrag.csv.
    _replace(data / "uppdrag.csv", ",Slutförd,Slutfört.,", ",Slutfört,Slutfört.,")
    _replace(data / "uppdrag.csv", ",Stab- och planeringsavdelningen,", ",,")
    # A type error in another table.
    _replace(data / "personalomsattning.csv", "2024,", "tjugofyra,")
    # A placeholder typo and an unknown format, in two placeholders of one text.
    _replace(project / TEXT, "sjukfranvaro.namnden | procent", "sjukfranvaro.namden | procent")
    _replace(project / TEXT, "sjukfranvaro.kommunen | procent", "sjukfranvaro.kommunen | mkr")


def test_every_kind_of_mistake_is_listed_in_one_pass(project_copy: Path) -> None:
    """Table errors, an empty field, a placeholder typo and an unknown format appear together."""
    _make_mistakes(project_copy)
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    problems = [str(problem) for problem in result.problems]
    status = 'uppdrag.csv, rad 2, kolumn "status": "Slutfört" är inte ett tillåtet värde'
    year = 'personalomsattning.csv, rad 2, kolumn "ar": "tjugofyra" är inte giltigt'
    assert any(status in p for p in problems)
    assert any(year in p for p in problems)
    assert any(
        f"{TEXT}, rad 1: platshållaren {{{{ sjukfranvaro.namden | procent }}}} kan inte fyllas i "
        "(namnet finns inte i data; menade du `sjukfranvaro.namnden`?)" in p
        for p in problems
    )
    assert any(
        f'{TEXT}, rad 2: platshållaren är inte tillåten: formatet "mkr" finns inte; menade du `mnkr`' in p
        and "(tillåtna format: mnkr, tkr, tal, procent, ord, abs, capitalize, tryckt)" in p
        for p in problems
    )
    assert len(problems) == 4, problems
    # Which problems: by code (Frictionless's error type for a cell), never by wording.
    assert [problem.code for problem in result.problems] == [
        "constraint-error",
        "type-error",
        PLACEHOLDER_REFUSED,
        PLACEHOLDER_UNKNOWN_NAME,
    ]
    assert [problem.code for problem in result.todo] == ["constraint-error"]
    assert [str(p) for p in result.todo] == [
        "data/kommunstyrelsekontoret/"
        '2024/uppdrag.csv, rad 3, kolumn "ansvarig_avdelning": värde saknas (fältet är obligatoriskt)'
    ]


def test_the_command_prints_one_total_for_everything(
    project_copy: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary counts every error and to-do of the pass, with singular and plural right."""
    _make_mistakes(project_copy)
    monkeypatch.chdir(project_copy)
    assert main(["check", "--year", "2024"]) == 1
    captured = capsys.readouterr()
    assert "data/kommunstyrelsekontoret/2024: 4 fel, 1 uppgift saknas, " in captured.err
    assert "Rätta felen och kör kommandot igen." in captured.err
    assert "[krävs] Uppdrag U02 Se över regelverket" in captured.out


def test_an_unreadable_table_does_not_make_its_placeholders_errors(project_copy: Path) -> None:
    """A table that cannot be read is one error; the texts that use it are not blamed for it."""
    os.remove(project_copy / "data/kommunstyrelsekontoret/2024/personalomsattning.csv")
    problems = [
        str(problem)
        for problem in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    assert problems == [
        "data/kommunstyrelsekontoret/"
        "2024/personalomsattning.csv: filen saknas (se data/README.md för filens kolumner)"
    ]


def test_a_name_typo_in_a_table_read_in_part_still_gets_a_suggestion(project_copy: Path) -> None:
    """With an error in sjukfranvaro_ar.csv, a typo in a name from it is reported, with the hint."""
    _replace(project_copy / "data/kommunstyrelsekontoret/2024/sjukfranvaro_ar.csv", "2024,", "2O24,")
    _replace(project_copy / TEXT, "sjukfranvaro.namnden", "sjukfranvaro.namden")
    problems = [
        str(problem)
        for problem in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ]
    typo = [p for p in problems if "sjukfranvaro.namden" in p]
    assert len(typo) == 1
    assert "menade du `sjukfranvaro.namnden`?" in typo[0]
    assert "kan också bero på felen i sjukfranvaro_ar.csv" in typo[0]


def test_every_failing_placeholder_of_a_text_is_named(project_copy: Path) -> None:
    """Two name typos in one text are two errors, each on its own line."""
    _replace(project_copy / TEXT, "sjukfranvaro.namnden", "sjukfranvaro.namden")
    _replace(project_copy / TEXT, "sjukfranvaro.kommunen", "sjukfranvaro.komunen")
    problems = [
        p
        for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
        if p.file == TEXT
    ]
    assert [(p.row, "menade du" in p.message) for p in problems] == [(1, True), (2, True)]


def test_every_item_a_check_finds_carries_a_code(project_copy: Path, project_root: Path) -> None:
    """Code and tests branch on codes: every error, to-do, value to verify and warning has one."""
    _make_mistakes(project_copy)
    broken = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    published = check_year(book_of(2024, project_root / "data" / "kommunstyrelsekontoret"))
    for result in (broken, published):
        found = result.problems + result.todo + result.to_verify + result.warnings
        assert found and all(item.code for item in found), [str(item) for item in found if not item.code]


def test_one_broken_table_hides_no_other_warning(project_copy: Path, project_root: Path) -> None:
    """A type error in personalomsattning.csv (which no cross-check reads) leaves every warning of the
    published year: the cross-table rules run on the tables that could be read."""
    org = "data/kommunstyrelsekontoret"
    published = check_year(book_of(2024, project_root / org))
    _replace(project_copy / org / "2024/personalomsattning.csv", "2024,", "tjugofyra,")
    broken = check_year(book_of(2024, project_copy / org))
    assert [problem.code for problem in broken.problems] == ["type-error"]
    assert [str(w) for w in broken.all_warnings] == [str(w) for w in published.all_warnings]
    assert len(broken.acknowledged) == len(published.acknowledged) == 27


def test_a_broken_table_hides_only_the_warnings_that_read_it(project_copy: Path) -> None:
    """An error in uppdrag.csv leaves the operating, investment and indicator warnings; only the
    warning that compares uppdrag.csv with uppdrag_nasta_ar.csv waits for the fix."""
    org = project_copy / "data/kommunstyrelsekontoret"
    before = {item.code for item in check_year(book_of(2024, org)).all_warnings}
    _replace(org / "2024/uppdrag.csv", ",Slutförd,Slutfört.,", ",Slutfört,Slutfört.,")
    codes = [item.code for item in check_year(book_of(2024, org)).all_warnings]
    assert "crosscheck.total" in codes and "assessment.differs" in codes and "source.signs" in codes
    assert "source.year" in before and "source.year" not in codes
