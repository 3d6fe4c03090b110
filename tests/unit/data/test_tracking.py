"""The build ↔ kernel protocol: a chapter notes the data files it reads in the log the build names."""

from __future__ import annotations

from pathlib import Path

from rapportbok.data.inventory import data_files
from rapportbok.data.load import load_year, previous_year
from rapportbok.data.tracking import ReadRecorder, recorded_reads
from rapportbok.narrative.templates import render_text
from rapportbok.views.chapter import start_chapter
from tests.conftest import ROOT

DATA = ROOT / "data" / "kommunstyrelsekontoret"


def _names(log: Path) -> list[str]:
    return [path.relative_to(ROOT).as_posix() for path in recorded_reads(log) or []]


def test_a_recorder_without_a_log_records_nothing(tmp_path: Path) -> None:
    """Outside a build nothing is written anywhere, whatever the working folder holds."""
    recorder = ReadRecorder()
    recorder.record(DATA / "2024/drift.csv")
    assert not recorder.active
    assert list(tmp_path.iterdir()) == []


def test_the_log_exists_from_the_start_and_lists_each_file_once(tmp_path: Path) -> None:
    """An empty log means 'read nothing'; no log at all means the chapter never started recording."""
    log = tmp_path / "run/reads.log"
    assert recorded_reads(log) is None
    recorder = ReadRecorder(log)
    assert recorded_reads(log) == []
    for name in ("drift.csv", "uppdrag.csv", "drift.csv"):
        recorder.record(DATA / "2024" / name)
    assert _names(log) == [
        "data/kommunstyrelsekontoret/2024/drift.csv",
        "data/kommunstyrelsekontoret/2024/uppdrag.csv",
    ]


def test_a_lazy_chapter_records_only_the_tables_and_texts_it_uses(tmp_path: Path) -> None:
    """start_chapter with the build's parameters: rapport.yml, then each table and text on first use."""
    log = tmp_path / "reads.log"
    report = start_chapter(2024, DATA, False, str(log), True)
    assert _names(log) == ["data/kommunstyrelsekontoret/2024/rapport.yml"]
    assert len(report.sjukfranvaro) > 0
    render_text(report, "tjanstegarantier/inforande")
    assert _names(log) == [
        "data/kommunstyrelsekontoret/2024/rapport.yml",
        "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv",
        "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md",
    ]


def test_an_eager_load_records_every_table(tmp_path: Path) -> None:
    """Without lazy loading every table is read at once, and so recorded."""
    log = tmp_path / "reads.log"
    load_year(2024, DATA, reads=ReadRecorder(log))
    names = _names(log)
    assert (
        names[0] == "data/kommunstyrelsekontoret/2024/rapport.yml"
        and "data/kommunstyrelsekontoret/2024/investeringar.csv" in names
    )
    assert len(names) == 14  # rapport.yml and the 13 tables (an absent optional table included)


def test_the_previous_year_and_the_inventory_are_recorded_for_the_same_chapter(tmp_path: Path) -> None:
    """Last year's rapport.yml is a dependency even while data/kommunstyrelsekontoret/2023 does not
    exist; so is every file the page Om rapporten lists."""
    log = tmp_path / "reads.log"
    report = start_chapter(2024, DATA, False, str(log), True)
    assert previous_year(report) is None
    assert "data/kommunstyrelsekontoret/2023/rapport.yml" in _names(log)
    listed = {item.name for item in data_files(report)}
    assert listed <= set(_names(log))


def test_a_notebook_outside_the_build_records_nothing(tmp_path: Path, monkeypatch) -> None:
    """The defaults of the parameters cell: no reads log, tables read at once; the working folder is
    not consulted."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".rapportbok-reads").write_text("", encoding="utf-8")  # the old marker means nothing
    report = start_chapter(2024, DATA)
    assert not report.reads.active
    assert (tmp_path / ".rapportbok-reads").read_text(encoding="utf-8") == ""
