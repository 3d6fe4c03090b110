"""`new-year`: printed values do not travel, and the next year's to-do list says what to enter."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from rapportbok.authoring.new_year import start_new_year, without_pins
from rapportbok.checks.check import CheckResult, check_year
from rapportbok.checks.crosschecks import all_warnings
from rapportbok.data.load import book_of, load_year
from rapportbok.narrative.templates import REWRITE_MARKER
from tests.fill_year import fill_year


@pytest.fixture
def started(project_copy: Path) -> Path:
    """The project copy with data/kommunstyrelsekontoret/2025 started from 2024."""
    start_new_year(book_of(2025, project_copy / "data" / "kommunstyrelsekontoret"))
    return project_copy / "data" / "kommunstyrelsekontoret"


def _items(result: CheckResult, file: str) -> list[str]:
    return [str(item).replace("\u00a0", " ") for item in result.todo + result.to_verify if item.file == file]


def _set_column(path: Path, key: str, column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if next(iter(row.values())) == key:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_it_removes_every_pin_and_marks_its_sentence() -> None:
    text, removed = without_pins(
        'om {{ drift.summa.avvikelse | mnkr | tryckt("22,3 mnkr") }} mot\n'
        "{{ investering[\"24007\"].under_budget | tkr | tryckt('75 tkr') }} och {{ ar }}."
    )
    assert removed == 2
    assert text == (
        f"om {{{{ drift.summa.avvikelse | mnkr }}}} {REWRITE_MARKER} mot\n"
        f'{{{{ investering["24007"].under_budget | tkr }}}} {REWRITE_MARKER} och {{{{ ar }}}}.'
    )


def test_no_printed_value_reaches_the_new_year(started: Path) -> None:
    texts = {path: path.read_text(encoding="utf-8") for path in (started / "2025/text").rglob("*.md")}
    assert not [path for path, text in texts.items() if "tryckt(" in text.replace(" ", "")]
    summary = texts[started / "2025/text/sammanfattning/ekonomi.md"]
    assert f"{{{{ drift.summa.avvikelse | mnkr }}}} {REWRITE_MARKER} mot årets budget" in summary
    assert "tryckta_varden" not in (started / "2025/rapport.yml").read_text(encoding="utf-8")
    assert not (started / "2025/skrivna_siffror.yml").exists()


def test_deleting_the_rewrite_line_does_not_publish_a_printed_value(started: Path) -> None:
    """The analyst removes the note at the top only: the marked sentence still stops publishing."""
    path = started / "2025/text/sammanfattning/ekonomi.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("> ")).lstrip(), encoding="utf-8")
    result = check_year(book_of(2025, started))
    assert "texten är kopierad från förra året och inte omskriven" in " ".join(
        _items(result, "data/kommunstyrelsekontoret/2025/text/sammanfattning/ekonomi.md")
    )


def test_the_to_do_list_says_which_investments_continue_and_what_to_enter(started: Path) -> None:
    (item,) = _items(check_year(book_of(2025, started)), "data/kommunstyrelsekontoret/2025/investeringar.csv")
    assert item.startswith(
        "data/kommunstyrelsekontoret/"
        "2025/investeringar.csv: tabellen är tom: för in årets investeringsprojekt."
    )
    assert "25000 Höjdfordon 2025 (prognos -11 600 tkr, ack. utfall -67 tkr)" in item
    assert "24001 Pumpvagn klass 3 2024" in item
    assert "24003" not in item and "23000" not in item and "20036" not in item  # finished or dropped
    assert "utfall föregående år (årets utfall i data/kommunstyrelsekontoret/2024)" in item


def test_the_to_do_list_asks_for_new_assignments_end_dates_and_next_years_list(started: Path) -> None:
    result = check_year(book_of(2025, started))
    assignments = _items(result, "data/kommunstyrelsekontoret/2025/uppdrag.csv")
    assert any("inga nya uppdrag eller nämndinitiativ för 2025 ännu" in item for item in assignments)
    assert any(
        "N03 gick över från 2024 men slutdatum 2024-05-06 ligger före 2025 — ange det nya slutdatumet" in item
        for item in assignments
    )
    (next_year,) = _items(result, "data/kommunstyrelsekontoret/2025/uppdrag_nasta_ar.csv")
    assert "vilka som går över till 2026" in next_year
    revised = _items(result, "data/kommunstyrelsekontoret/2025/indikator_utfall.csv")
    assert any(
        "har ett tidigare års utfall reviderats?" in item
        and "inte i data/kommunstyrelsekontoret/2024/" in item
        for item in revised
    )


def test_the_new_assignments_item_goes_once_a_new_assignment_is_entered(started: Path) -> None:
    path = started / "2025/uppdrag.csv"
    first = path.read_text(encoding="utf-8").splitlines()[1].split(",")
    path.write_text(path.read_text(encoding="utf-8") + ",".join(["U99", *first[1:]]) + "\n", encoding="utf-8")
    assert not any(
        "inga nya uppdrag" in item
        for item in _items(check_year(book_of(2025, started)), "data/kommunstyrelsekontoret/2025/uppdrag.csv")
    )


def test_a_text_for_a_goal_no_longer_unfulfilled_need_not_be_rewritten(started: Path) -> None:
    _set_column(started / "2025/inriktningsmal.csv", "2.1", "bedomning", "Delvis uppfyllt")
    result = check_year(book_of(2025, started))
    file = "data/kommunstyrelsekontoret/2025/text/mal-indikatorer-uppdrag/ej-uppfyllt-2.1.md"
    assert not [item for item in result.todo if item.file == file]
    (note,) = [str(item) for item in result.to_verify if item.file == file]
    assert 'visas inte i år (mål 2.1 bedöms nu "Delvis uppfyllt", inte "Ej uppfyllt")' in note
    still = (
        "data/kommunstyrelsekontoret/"
        "2025/text/mal-indikatorer-uppdrag/ej-uppfyllt-3.1.md"
    )  # its goal is not assessed yet
    assert [item for item in result.todo if item.file == still]


def test_last_years_rounding_is_not_reported_again(started: Path) -> None:
    """2024's activities sum to 1 tkr off the total; in 2025 that is the previous-year column."""
    fill_year(started, 2025, 2024)
    report, previous = load_year(2025, started), load_year(2024, started)
    repeated = [str(w) for w in all_warnings(report) if "utfall_foregaende_ar" in str(w)]
    assert repeated  # without last year's data the old difference shows again
    assert not [str(w) for w in all_warnings(report, previous) if "utfall_foregaende_ar" in str(w)]


def test_the_images_a_text_shows_come_along_with_the_texts(project_copy: Path) -> None:
    """A text that shows `bilder/karta.png` is carried over, so the image is too (byte for byte), and
    the new year's check finds it; files that are no images are not copied."""
    org = project_copy / "data" / "kommunstyrelsekontoret"
    pictures = org / "2024" / "bilder"
    pictures.mkdir()
    png = _tiny_png()
    (pictures / "karta.png").write_bytes(png)
    (pictures / "anteckning.txt").write_text("inte en bild", encoding="utf-8")
    start_new_year(book_of(2025, org))
    assert (org / "2025" / "bilder" / "karta.png").read_bytes() == png
    assert not (org / "2025" / "bilder" / "anteckning.txt").exists()


def _tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_what_belongs_to_the_organisation_is_carried_and_the_years_decision_is_not(
    project_copy: Path,
) -> None:
    """kontakt and beslutande_organ go over to the new year; beslutsdatum and diarienummer are the
    new year's own decision, left to fill in."""
    organisation = project_copy / "data" / "kommunstyrelsekontoret"
    metadata = organisation / "2024" / "rapport.yml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8")
        + 'kontakt: "Kommunstyrelsekontoret, ks@example.se"\n'
        + "beslutande_organ: Kommunstyrelsen\nbeslutsdatum: 2025-03-12\ndiarienummer: KS 2025/17\n",
        encoding="utf-8",
    )
    start_new_year(book_of(2025, organisation))
    meta = load_year(2025, organisation, draft=True).meta
    assert meta.contact == "Kommunstyrelsekontoret, ks@example.se"
    assert meta.decision_body == "Kommunstyrelsen"
    assert meta.decision_date is None and meta.case_number is None
