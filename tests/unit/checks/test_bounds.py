"""Bounded work for every input (issue 24): the issue's repros end in located Swedish problems, never in
a traceback, and `--timeout` bounds the whole of `check`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import rapportbok.checks.source_checks as source_checks
import rapportbok.checks.texts as texts_module
from rapportbok.checks.check import TIMEOUT_CODE, check_year
from rapportbok.checks.context import CheckContext, Found
from rapportbok.cli import main
from rapportbok.core.deadline import time_limit
from rapportbok.data.files import MAX_FOLDER_DEPTH, MAX_YEAR_ENTRIES, require_within_limits, year_files
from rapportbok.data.load import book_of, load_year
from rapportbok.data.organisations import MAX_ORGANISATION_ID, is_organisation_id
from rapportbok.exceptions import DataError
from rapportbok.narrative import templates
from rapportbok.narrative.templates import text_keys

ORG = "kommunstyrelsekontoret"
YEAR = f"data/{ORG}/2024"
GUARD_SECONDS = 300  # fails a test that would hang; far above what the work takes (see test_linear_time)
# The check's limit where a text hangs: the checks before the texts run within it (the tables are read and
# cached before), a fraction of a second on a loaded machine; the test waits this long for the limit.
LIMIT = 3


def _text(project: Path, key: str) -> Path:
    return project / YEAR / "text" / f"{key}.md"


def test_the_issue_s_hostile_texts_end_in_located_problems(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    # Each of these kept check busy for minutes (regular-expression backtracking) or ran markdown-it out
    # of memory; now each text is checked in linear work and the bad ones are named with file and line.
    _text(in_project, "ekonomi/driftredovisning").write_text("<" * 150_000, encoding="utf-8")
    _text(in_project, "ekonomi/investeringar").write_text("{{" * 250_000, encoding="utf-8")
    _text(in_project, "ekonomi/verksamhet-it").write_text("](" * 200_000, encoding="utf-8")
    _text(in_project, "ekonomi/verksamhet-hr").write_text("*a _b " * 80_000, encoding="utf-8")
    with time_limit(GUARD_SECONDS):
        code = main(["check", "--year", "2024"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and "kontrollen avbröts" not in err
    assert (
        f"{YEAR}/text/ekonomi/investeringar.md, rad 1: platshållaren är inte tillåten: texten har fler än "
        "1\u00a0000 platshållare" in err
    )
    assert (
        f"{YEAR}/text/ekonomi/verksamhet-hr.md, rad 1: stycket har för många tecken * och _ "
        "(högst 2\u00a0000 per stycke)" in err
    )
    assert "driftredovisning.md" not in err and "verksamhet-it.md" not in err  # only text: no problem


def test_timeout_bounds_the_whole_check_and_names_the_limit(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, only filling in a text was bounded: a check that hung anywhere else ran on.
    check_year(
        book_of(2024, project_copy / "data" / ORG)
    )  # the tables are read (and cached) before the limit
    monkeypatch.setattr(source_checks, "SOURCE_CHECKS", (((), _busy),))  # one of the last checks
    result = check_year(book_of(2024, project_copy / "data" / ORG), timeout=LIMIT)
    last = result.problems[-1]
    assert last.code == TIMEOUT_CODE
    assert (last.file, last.message) == (
        YEAR,
        f"kontrollen avbröts: den tog mer än {LIMIT} s (--timeout {LIMIT})",
    )
    assert result.report is not None  # what was found before the limit is kept


def test_a_check_stopped_at_its_limit_names_the_text_it_was_checking(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = text_keys(load_year(2024, project_copy / "data" / ORG, lazy=True))[0]
    real = texts_module.script_problems

    def hangs_on_the_first_text(source: str, shown_as: str) -> list[object]:
        if shown_as.endswith(f"{first}.md"):
            _busy()
        return real(source, shown_as)

    check_year(
        book_of(2024, project_copy / "data" / ORG)
    )  # the tables are read (and cached) before the limit
    monkeypatch.setattr(texts_module, "script_problems", hangs_on_the_first_text)
    result = check_year(book_of(2024, project_copy / "data" / ORG), timeout=LIMIT)
    last = result.problems[-1]
    assert (last.file, last.message) == (
        f"{YEAR}/text/{first}.md",
        f"kontrollen avbröts: den tog mer än {LIMIT} s (--timeout {LIMIT})",
    )


def test_a_text_that_fills_in_forever_stops_the_whole_check_not_only_the_text(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The text's own limit is inside the check's; when the check's runs out while a text is filled in,
    # the check stops there (it does not report the text as slow and go on past its limit).
    first = text_keys(load_year(2024, project_copy / "data" / ORG, lazy=True))[0]
    real = templates._fill

    def hangs_on_the_first_text(
        report: object, env: object, source: str, shown_as: str, deadline: object
    ) -> str:
        if shown_as.endswith(f"{first}.md"):
            _busy()
        return real(report, env, source, shown_as, deadline)  # type: ignore[arg-type]

    check_year(
        book_of(2024, project_copy / "data" / ORG)
    )  # the tables are read (and cached) before the limit
    monkeypatch.setattr(templates, "_fill", hangs_on_the_first_text)
    result = check_year(book_of(2024, project_copy / "data" / ORG), timeout=LIMIT)
    messages = [(problem.file, problem.message) for problem in result.problems]
    assert messages[-1] == (
        f"{YEAR}/text/{first}.md",
        f"kontrollen avbröts: den tog mer än {LIMIT} s (--timeout {LIMIT})",
    )
    assert result.problems[-1].code == TIMEOUT_CODE
    assert not any(problem.code == "text.timeout" for problem in result.problems)


def test_outside_the_main_thread_the_check_stops_between_texts(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No alarm outside the main thread: the check looks at its deadline before each text.
    checked: list[str] = []
    real = texts_module._check_text

    def slow_text(context: CheckContext, key: str) -> Iterator[Found]:
        checked.append(key)
        time.sleep(0.5)
        return real(context, key)

    monkeypatch.setattr(texts_module, "_check_text", slow_text)
    found: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: found.update(result=check_year(book_of(2024, project_copy / "data" / ORG), timeout=1))
    )
    worker.start()
    worker.join(GUARD_SECONDS)
    result = found["result"]
    texts = len(text_keys(load_year(2024, project_copy / "data" / ORG, lazy=True)))
    assert "kontrollen avbröts: den tog mer än 1 s (--timeout 1)" in str(result.problems[-1])  # type: ignore[attr-defined]
    assert len(checked) < texts  # stopped before the last text, not after all of them


def test_folders_nested_too_deep_are_a_located_problem_not_a_recursion_error(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    top = folder = in_project / YEAR / "text" / "a"
    top.mkdir()
    for _ in range(1099):  # os.makedirs itself recurses once per level
        folder = folder / "a"
        folder.mkdir()
    (folder / "x.md").write_text("Hej.", encoding="utf-8")
    try:
        assert main(["check", "--year", "2024"]) == 1
    finally:
        _remove_chain(top, folder)  # pytest's clean-up (shutil.rmtree) recurses once per level too
    err = capsys.readouterr().err
    deepest = "/".join(["text"] + ["a"] * MAX_FOLDER_DEPTH)
    assert f"{YEAR}/{deepest}: mappen ligger för djupt (högst 8 nivåer av mappar i ett år)" in err
    assert "Traceback" not in err and "RecursionError" not in err


def test_the_build_refuses_a_year_nested_too_deep_before_hashing_it(project_copy: Path) -> None:
    folder = project_copy / YEAR
    for _ in range(MAX_FOLDER_DEPTH + 1):
        folder = folder / "a"
        folder.mkdir()
    with pytest.raises(DataError, match=r"mappen ligger för djupt \(högst 8 nivåer"):
        require_within_limits(project_copy / YEAR, YEAR)


def test_a_folder_at_the_deepest_level_allowed_is_walked(project_copy: Path) -> None:
    folder = project_copy / YEAR
    for _ in range(MAX_FOLDER_DEPTH):
        folder = folder / "a"
        folder.mkdir()
    (folder / "x.md").write_text("Hej.", encoding="utf-8")
    walked = year_files(project_copy / YEAR, YEAR)
    assert walked.problems == [] and folder / "x.md" in walked.files


def test_a_year_with_too_many_files_is_refused_before_any_is_read(project_copy: Path) -> None:
    # 30 000 empty texts took 176 s to check; more than MAX_YEAR_ENTRIES files and folders are refused
    # from the listing alone.
    folder = project_copy / YEAR / "text" / "ekonomi"
    present = len(year_files(project_copy / YEAR, YEAR).files) + len(
        year_files(project_copy / YEAR, YEAR).folders
    )
    for number in range(MAX_YEAR_ENTRIES - present + 1):
        (folder / f"tom-{number}.md").touch()
    result = check_year(book_of(2024, project_copy / "data" / ORG))
    assert (
        f"{YEAR}: mappen har för många filer och mappar (högst 2\u00a0000 i ett år); inget i den läses"
        in [str(problem).split(" (ta bort")[0] for problem in result.problems]
    )
    assert result.report is not None and text_keys(result.report) == []  # no text is read


def test_a_year_at_the_file_limit_is_read(project_copy: Path) -> None:
    folder = project_copy / YEAR / "text" / "ekonomi"
    walked = year_files(project_copy / YEAR, YEAR)
    for number in range(MAX_YEAR_ENTRIES - len(walked.files) - len(walked.folders)):
        (folder / f"tom-{number}.md").touch()
    assert year_files(project_copy / YEAR, YEAR).beyond_limits == []


def test_an_organisation_id_is_at_most_64_characters(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    # --org of 5 000 letters gave "OSError: File name too long".
    assert is_organisation_id("a" * MAX_ORGANISATION_ID) and not is_organisation_id(
        "a" * (MAX_ORGANISATION_ID + 1)
    )
    assert main(["check", "--org", "a" * 5000]) == 1
    err = capsys.readouterr().err
    assert "högst 64 tecken" in err and "File name too long" not in err and "Traceback" not in err
    assert len(err) < 1000  # the id is shortened in the message, not repeated in full


def _remove_chain(top: Path, deepest: Path) -> None:
    """Remove a chain of nested folders from the bottom up, without recursion."""
    for path in deepest.iterdir():
        path.unlink()
    folder = deepest
    while True:
        folder.rmdir()
        if folder == top:
            return
        folder = folder.parent


def _busy(*args: object) -> list[object]:
    """Work that does not end by itself before GUARD_SECONDS (the check's own limit must stop it; the
    test fails rather than hangs if it does not). It waits in short sleeps, which the limit's alarm
    interrupts as it interrupts a loop, without spending the CPU of the other tests."""
    ends = time.monotonic() + GUARD_SECONDS
    while time.monotonic() < ends:
        time.sleep(0.01)
    return []
