"""Nothing outside the project is read through data/, and no file in it can hang, crash or flood a read."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from rapportbok.authoring.new_year import start_new_year
from rapportbok.checks.check import CheckResult, check_year
from rapportbok.data.files import MAX_TEXT_BYTES
from rapportbok.data.load import book_of, load_year
from rapportbok.exceptions import DataError, NarrativeError, UsageError
from rapportbok.narrative.templates import render_text

TEXT = "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md"


def _check(project: Path) -> list[str]:
    return [
        str(problem)
        for problem in check_year(book_of(2024, project / "data" / "kommunstyrelsekontoret")).problems
    ]


def _within(seconds: float, work: Callable[[], CheckResult]) -> CheckResult:
    """Run `work` in a thread and fail (instead of hanging the test run) if it does not finish."""
    outcome: list[CheckResult] = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the read hangs"
    return outcome[0]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project whose content must never be read."""
    path = tmp_path / "outside" / "secret.md"
    path.parent.mkdir()
    path.write_text("HEMLIGT innehåll utanför projektet\n", encoding="utf-8")
    return path


def test_a_text_that_is_a_link_is_refused_and_never_read(project_copy: Path, secret: Path) -> None:
    """A narrative file linking to a file outside the project: check names it, rendering refuses it."""
    text = project_copy / TEXT
    text.unlink()
    text.symlink_to(secret)
    assert _check(project_copy) == [
        f"{TEXT}: är en symbolisk länk (ersätt länken med en vanlig fil (en kopia); data får inte peka "
        "utanför projektet)"
    ]
    with pytest.raises(DataError) as raised:
        load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    assert "HEMLIGT" not in str(raised.value)


def test_rendering_never_follows_a_link_even_without_check(project_copy: Path, secret: Path) -> None:
    """render_text itself refuses a text reached through a link (the build renders in the notebooks)."""
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    text = project_copy / TEXT
    text.unlink()
    text.symlink_to(secret)
    with pytest.raises(NarrativeError) as raised:
        render_text(report, "tjanstegarantier/inforande")
    assert (raised.value.problem.file, raised.value.problem.code) == (TEXT, "file.link")
    assert "symbolisk länk" in raised.value.problem.message  # and the message says so
    (project_copy / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier").rename(
        project_copy / "data/kommunstyrelsekontoret/2024/text/riktig"
    )
    (project_copy / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier").symlink_to(
        project_copy / "data/kommunstyrelsekontoret/2024/text/riktig"
    )
    with pytest.raises(NarrativeError, match="mappen tjanstegarantier är en symbolisk länk"):
        render_text(report, "tjanstegarantier/uppfoljning")


def test_a_linked_folder_in_the_texts_is_refused(project_copy: Path, secret: Path) -> None:
    """A folder link inside data/<year>/ is named, and nothing below it is read."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/extra").symlink_to(secret.parent)
    assert _check(project_copy) == [
        "data/kommunstyrelsekontoret/"
        "2024/text/extra: är en symbolisk länk (ersätt länken med en vanlig fil (en kopia); data får "
        "inte peka utanför projektet)"
    ]


def test_a_year_folder_that_is_a_link_is_refused(project_copy: Path, tmp_path: Path) -> None:
    """data/kommunstyrelsekontoret/2024 may not itself point somewhere else."""
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project_copy / "data/kommunstyrelsekontoret/2024", elsewhere)
    (project_copy / "data/kommunstyrelsekontoret/2024").symlink_to(elsewhere)
    result = check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"))
    assert [str(p) for p in result.problems] == [
        "data/kommunstyrelsekontoret/"
        "2024: mappen är en symbolisk länk (ersätt länken med en vanlig fil (en kopia); data får inte "
        "peka utanför projektet)"
    ]
    assert result.report is None
    with pytest.raises(DataError):
        load_year(2024, project_copy / "data" / "kommunstyrelsekontoret", lazy=True)


@pytest.mark.parametrize(
    "name", ["text/tjanstegarantier/inforande.md", "drift.csv", "rapport.yml", "text/ny.md"]
)
def test_a_named_pipe_is_refused_without_hanging(project_copy: Path, name: str) -> None:
    """A FIFO among the texts or tables is reported, never opened for reading."""
    path = project_copy / "data/kommunstyrelsekontoret/2024" / name
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    result = _within(120, lambda: check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")))
    messages = [str(p) for p in result.problems]
    assert f"data/kommunstyrelsekontoret/2024/{name}: är en namngiven pipe (FIFO), inte en fil" in "\n".join(
        messages
    ), messages


def test_a_device_is_refused(project_copy: Path) -> None:
    """A link to a device (here /dev/zero) is refused as a link; it is never read."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/noll.md").symlink_to("/dev/zero")
    result = _within(120, lambda: check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")))
    assert any(p.file == "data/kommunstyrelsekontoret/2024/text/noll.md" for p in result.problems)


def test_a_folder_named_like_a_text_is_reported(project_copy: Path) -> None:
    """A folder x.md is not a text: check says so instead of crashing."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/extra.md").mkdir()
    assert _check(project_copy) == [
        "data/kommunstyrelsekontoret/"
        "2024/text/tjanstegarantier/extra.md: är en mapp, inte en text (byt namn på mappen, eller "
        "ersätt den med en textfil)"
    ]


def test_a_required_text_that_is_a_folder_is_reported(project_copy: Path) -> None:
    """A text a chapter shows, replaced by a folder of that name, is an error before any chapter runs."""
    text = project_copy / "data/kommunstyrelsekontoret/2024/text/sammanfattning/ekonomi.md"
    text.unlink()
    text.mkdir()
    problems = _check(project_copy)
    assert (
        "data/kommunstyrelsekontoret/"
        "2024/text/sammanfattning/ekonomi.md: texten är en mapp, inte en fil (kapitlet sammanfattning "
        "visar texten; skapa filen)"
    ) in problems


def test_a_text_that_is_not_utf8_is_named_with_its_line(project_copy: Path) -> None:
    """A Windows-1252 text is refused with the line of the first byte that is not UTF-8."""
    (project_copy / TEXT).write_bytes("Rad ett.\nRad två med å.\n".encode("cp1252"))
    assert _check(project_copy) == [
        f"{TEXT}, rad 2: filen är inte sparad som UTF-8 (spara filen med teckenkodningen UTF-8)"
    ]


@pytest.mark.parametrize(("char", "code"), [("\x1b", "U+001B"), ("\x00", "U+0000"), ("\u202e", "U+202E")])
def test_invisible_control_characters_in_a_text_are_refused(project_copy: Path, char: str, code: str) -> None:
    """ESC, NUL and bidi overrides ("Trojan Source") are named with their line."""
    (project_copy / TEXT).write_text(f"Rad ett.\nRad{char} två.\n", encoding="utf-8")
    assert _check(project_copy) == [
        f"{TEXT}, rad 2: texten innehåller ett osynligt styrtecken ({code}) (ta bort tecknet)"
    ]


def test_a_text_over_the_size_limit_is_refused_unread(project_copy: Path) -> None:
    """A huge text is refused by its size."""
    (project_copy / TEXT).write_text("x" * (MAX_TEXT_BYTES + 1), encoding="utf-8")
    assert _check(project_copy) == [
        f"{TEXT}: filen är för stor (över {MAX_TEXT_BYTES // 1024} kB) (högst {MAX_TEXT_BYTES // 1024} kB; "
        "dela upp eller korta filen)"
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("99999999999999999999999", "är för stort (högst 15 siffror före decimaltecknet)"),
        ("-" + "9" * 400, "är för stort"),
        ("NaN", '"NaN" är inte ett tal'),
        ("inf", '"inf" är inte ett tal'),
        ("1e999999", '"1e999999" är för stort'),
    ],
)
def test_a_number_beyond_any_report_is_a_located_problem(
    project_copy: Path, cell: str, expected: str
) -> None:
    """Integers beyond 64 bits, NaN and infinities in a table are refused with row and column."""
    path = project_copy / "data/kommunstyrelsekontoret/2024/drift.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = cell  # budget
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _check(project_copy)
    where = 'data/kommunstyrelsekontoret/2024/drift.csv, rad 2, kolumn "budget": '
    assert any(p.startswith(where) and expected in p for p in problems), problems


def test_new_year_refuses_a_dangling_link_as_the_new_year(project_copy: Path) -> None:
    """A dangling data/kommunstyrelsekontoret/2025 link: a message, not a traceback, and nothing is
    created through it."""
    (project_copy / "data/kommunstyrelsekontoret/2025").symlink_to(project_copy / "nowhere")
    with pytest.raises(UsageError, match="data/kommunstyrelsekontoret/2025 är en symbolisk länk"):
        start_new_year(book_of(2025, project_copy / "data" / "kommunstyrelsekontoret"))
    assert not (project_copy / "nowhere").exists()


def test_new_year_never_copies_a_link_target(project_copy: Path, secret: Path) -> None:
    """A year holding a link is refused as a source: the secret never lands in the new year."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/extra.md").symlink_to(secret)
    with pytest.raises(
        DataError, match=r"data/kommunstyrelsekontoret/2024/text/extra\.md: är en symbolisk länk"
    ):
        start_new_year(book_of(2025, project_copy / "data" / "kommunstyrelsekontoret"))
    assert not (project_copy / "data/kommunstyrelsekontoret/2025").exists()
    assert not list((project_copy / "data" / "kommunstyrelsekontoret").glob(".2025*"))


def test_new_year_replaces_a_staging_link_without_following_it(project_copy: Path, tmp_path: Path) -> None:
    """A leftover staging name that is a link is removed as a link; its target is untouched."""
    target = tmp_path / "keep"
    target.mkdir()
    (target / "file").write_text("kvar", encoding="utf-8")
    (project_copy / "data/.2025.new").symlink_to(target)
    created = start_new_year(book_of(2025, project_copy / "data" / "kommunstyrelsekontoret"))
    assert created.folder == project_copy / "data/kommunstyrelsekontoret/2025"
    assert (target / "file").read_text(encoding="utf-8") == "kvar"
