"""import, new-year and migrate are transactions: SIGKILLed at any step, the next command (check) finds
every old file or every new one under data/, and nothing else; two writers, or a writer and a build,
never interleave. Each writer runs in a forked child, killed by the test hook RAPPORTBOK_TEST_KILL_AT."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rapportbok.authoring.excel.export import export_workbook
from rapportbok.authoring.excel.sheets import SHEET_TITLES as SHEET
from rapportbok.cli import main
from rapportbok.data.datalock import LOCK_FILE, organisation_lock
from rapportbok.data.load import book_of
from tests.conftest import ROOT
from tests.unit.authoring.excel_helpers import edited
from tests.unit.data.forked import KILLED, Child, fingerprint, paused_before_commit, run, start

ORG = "kommunstyrelsekontoret"
THREE_TABLES = {"drift": ("C2", 90000), "personalomsattning": ("C2", 7.5), "sjukfranvaro_ar": ("C2", 4.7)}


def small_project(target: Path) -> Path:
    """What check and the writers read: _config.yml, tillganglighet.yml and data/ (no book, no notebooks)."""
    target.mkdir(parents=True)
    for name in ("_config.yml", "tillganglighet.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data" / ORG, target / "data" / ORG)
    return target


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 2024 workbook with three tables changed, and some with one table changed."""
    root = tmp_path_factory.mktemp("books")
    exported = export_workbook(book_of(2024, small_project(root / "p") / "data" / ORG), root / "_build")

    def change(tables: dict[str, tuple[str, object]]) -> Callable:
        def edit(book) -> None:
            for table, (cell, value) in tables.items():
                book[SHEET[table]][cell] = value

        return edit

    return {
        "three": edited(exported, root / "three.xlsx", change(THREE_TABLES)),
        "drift": edited(exported, root / "drift.xlsx", change({"drift": ("C2", 91000)})),
        "drift-2": edited(exported, root / "drift-2.xlsx", change({"drift": ("C2", 92000)})),
        "turnover": edited(exported, root / "turnover.xlsx", change({"personalomsattning": ("C2", 6.1)})),
    }


def command(argv: list[str]) -> Callable[[], int]:
    return lambda: main(argv)


def check(project: Path, tmp_path: Path, *args: str) -> tuple[int, str]:
    """`rapportbok check` as the next command, in a child like the writers (so its lock is its own)."""
    return run(command(["check", *args]), tmp_path / "check.txt", cwd=project)


def kill_at_every_step(
    tmp_path: Path, make: Callable[[Path], Path], argv: list[str], next_argv: list[str]
) -> tuple[list[str], str]:
    """Run the writer killed at step 1, 2, … on a fresh project each time, until it finishes; after each,
    run the next command and compare every file under data/ with the old and the new set.
    Returns what each run left ('old' or 'new') and the last check's output.

    Every step the hook counts is in the writer's transaction commit, so the writer runs once up to
    its commit and each kill is of a fork of it (forked.paused_before_commit): what it read and checked
    before the commit is the same for every step, and the project is put back fresh before each, with
    the lock files the writer holds (which a killed writer leaves behind)."""
    old = fingerprint(make(tmp_path / "old") / "data")
    done = make(tmp_path / "new")
    code, printed = run(command(argv), tmp_path / "writer.txt", cwd=done)
    assert code == 0, printed
    new = fingerprint(done / "data")
    assert new != old
    outcomes: list[str] = []
    project = make(tmp_path / "run")
    with paused_before_commit(command(argv), tmp_path / "paused.txt", cwd=project) as writer:
        locks = sorted(path.relative_to(project) for path in project.rglob(LOCK_FILE))  # the writer's
        assert locks, "the writer holds no lock"
        for step in range(1, 200):
            shutil.rmtree(project)
            make(project)
            for lock in locks:  # as the writer made them: a killed writer leaves them for check
                (project / lock).touch()
            code, printed = writer.commit(tmp_path / "writer.txt", kill_at=str(step))
            assert code in (0, KILLED), printed
            _, checked = check(project, tmp_path, *next_argv)
            seen = fingerprint(project / "data")
            assert seen in (old, new), f"step {step}: {_difference(seen, old, new)}"
            outcomes.append("new" if seen == new else "old")
            if code == 0:
                assert seen == new, "the finished writer left other files than a run of its own"
                return outcomes, checked
    pytest.fail("the writer never finished")


def _difference(seen: dict[str, str], old: dict[str, str], new: dict[str, str]) -> str:
    """The names that differ from the nearer of the two sets (a short message, not two listings)."""
    nearest = min((old, new), key=lambda full: len(set(seen.items()) ^ set(full.items())))
    return ", ".join(sorted({name for name, _ in set(seen.items()) ^ set(nearest.items())})[:10])


def test_an_import_killed_at_any_step_leaves_all_old_or_all_new_tables(
    tmp_path: Path, workbooks: dict[str, Path]
) -> None:
    outcomes, _ = kill_at_every_step(
        tmp_path, small_project, ["import", str(workbooks["three"]), "--year", "2024"], ["--year", "2024"]
    )
    assert len(outcomes) > 15, "the hook did not stop at every step"
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    assert "old" not in outcomes[outcomes.index("new") :]


def test_a_kill_while_import_renames_its_files_never_leaves_a_mixed_year_that_check_passes(
    tmp_path: Path, workbooks: dict[str, Path]
) -> None:
    """The repro of issue 24: SIGKILL after 2 of 3 tables were replaced left them so, with a
    `.personalomsattning.csv.import` in data/, and check said the year was valid. Now check finishes
    the import first: all three tables are new, nothing else is there."""
    project = small_project(tmp_path / "p")
    original = fingerprint(project / "data")
    argv = ["import", str(workbooks["three"]), "--year", "2024"]
    code, _ = run(command(argv), tmp_path / "import.txt", cwd=project, kill_at="switched-2")
    assert code == KILLED
    code, printed = check(project, tmp_path, "--year", "2024")
    assert code == 0, printed
    assert "Obs: en avbruten skrivning i data/kommunstyrelsekontoret slutfördes" in printed
    assert "data/kommunstyrelsekontoret/2024 är giltig" in printed
    after = fingerprint(project / "data")
    changed = {name for name in after if after[name] != original.get(name)}
    assert changed == {f"{ORG}/2024/{table}.csv" for table in THREE_TABLES}
    assert set(after) == set(original), "a file was left beside the tables"
    assert "Nämnden,2024,4.7" in (project / "data" / ORG / "2024" / "sjukfranvaro_ar.csv").read_text("utf-8")


def test_new_year_killed_at_any_step_leaves_no_year_or_the_whole_year(tmp_path: Path) -> None:
    outcomes, _ = kill_at_every_step(tmp_path, small_project, ["new-year", "2025"], ["--year", "2024"])
    assert len(outcomes) > 10
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    assert "old" not in outcomes[outcomes.index("new") :]


def old_layout_with_two_years(target: Path) -> Path:
    """A project from before organisations: data/2023/ and data/2024/ directly in data/."""
    project = small_project(target)
    shutil.copytree(project / "data" / ORG / "2024", project / "data" / "2023")
    shutil.move(project / "data" / ORG / "2024", project / "data" / "2024")
    (project / "data" / ORG).rmdir()
    return project


def test_migrate_killed_at_any_step_moves_every_year_or_none(tmp_path: Path) -> None:
    """The next command after a killed migrate: check --org, which finishes or undoes the move first."""
    outcomes, _ = kill_at_every_step(
        tmp_path, old_layout_with_two_years, ["migrate"], ["--org", ORG, "--year", "2024"]
    )
    assert len(outcomes) > 6
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    assert "old" not in outcomes[outcomes.index("new") :]


def test_a_stale_staging_folder_of_new_year_is_removed_and_does_not_stop_it(tmp_path: Path) -> None:
    """A folder an older version left while it made the new year: cleaned up, and the year is made."""
    project = small_project(tmp_path / "p")
    org = project / "data" / ORG
    (org / ".2025.new" / "text").mkdir(parents=True)
    (org / ".2025.rapportbok-tmp").mkdir()
    code, printed = run(command(["new-year", "2025"]), tmp_path / "out.txt", cwd=project)
    assert code == 0, printed
    assert sorted(p.name for p in org.iterdir()) == ["2024", "2025"]


def test_two_imports_of_the_same_table_at_once_never_interleave(
    tmp_path: Path, workbooks: dict[str, Path]
) -> None:
    """Both land one after the other (the table holds one of the two versions, whole), or the refused
    one says why in Swedish; never a mixed or half-written table, never a stray file."""
    project = small_project(tmp_path / "p")
    original = fingerprint(project / "data")
    children = [
        start(
            command(["import", str(workbooks[name]), "--year", "2024"]), tmp_path / f"{name}.txt", cwd=project
        )
        for name in ("drift", "drift-2")
    ]
    results = [child.wait() for child in children]
    for code, printed in results:
        assert code == 0 or (code == 1 and "inget har skrivits" in printed.lower()), printed
    assert any(code == 0 for code, _ in results)
    drift = (project / "data" / ORG / "2024" / "drift.csv").read_text("utf-8").splitlines()[1]
    assert drift in ("intakter,Intäkter,91000,88302,-1267,78276", "intakter,Intäkter,92000,88302,-1267,78276")
    after = fingerprint(project / "data")
    assert set(after) == set(original)
    assert {name for name in after if after[name] != original[name]} == {f"{ORG}/2024/drift.csv"}


def test_two_imports_of_different_tables_at_once_both_land_or_the_refused_one_says_why(
    tmp_path: Path, workbooks: dict[str, Path]
) -> None:
    project = small_project(tmp_path / "p")
    children = [
        start(
            command(["import", str(workbooks[name]), "--year", "2024"]), tmp_path / f"{name}.txt", cwd=project
        )
        for name in ("drift", "turnover")
    ]
    results = dict(zip(("drift", "turnover"), (child.wait() for child in children), strict=True))
    year = project / "data" / ORG / "2024"
    landed = {
        "drift": "intakter,Intäkter,91000," in (year / "drift.csv").read_text("utf-8"),
        "turnover": "Extern,2024,6.1" in (year / "personalomsattning.csv").read_text("utf-8"),
    }
    for name, (code, printed) in results.items():
        assert landed[name] or (code == 1 and "inget har skrivits" in printed.lower()), (name, code, printed)


def build_holding_the_lock(org: Path, release: Path, output: Path) -> Child:
    """A child that holds the organisation's lock shared, as a build does, until `release` exists.
    (A child, not the test itself: a forked writer would inherit the test's lock and keep it.)"""

    def hold() -> int:
        with organisation_lock(org, write=False):
            print("håller låset", flush=True)
            while not release.exists():
                time.sleep(0.05)
        return 0

    child = start(hold, output)
    assert child.wait_for_output("håller låset")
    return child


def test_an_import_during_a_build_waits_for_it_then_lands(tmp_path: Path, workbooks: dict[str, Path]) -> None:
    """A build holds the organisation's lock shared for its whole run: the import says it waits, and
    writes only once the build is done."""
    project = small_project(tmp_path / "p")
    table = project / "data" / ORG / "2024" / "drift.csv"
    before = table.read_bytes()
    build = build_holding_the_lock(project / "data" / ORG, tmp_path / "done", tmp_path / "build.txt")
    child = start(
        command(["import", str(workbooks["drift"]), "--year", "2024"]), tmp_path / "i.txt", cwd=project
    )
    assert child.wait_for_output(
        "Väntar på att ett annat kommando ska bli klart med data/kommunstyrelsekontoret"
    )
    assert table.read_bytes() == before, "the import wrote while the build read"
    (tmp_path / "done").touch()
    assert build.wait()[0] == 0
    code, printed = child.wait()
    assert code == 0, printed
    assert "Skrev data/kommunstyrelsekontoret/2024/drift.csv" in printed
    assert table.read_bytes() != before


def test_an_import_refuses_when_a_build_outlasts_its_wait(
    tmp_path: Path, workbooks: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = small_project(tmp_path / "p")
    monkeypatch.setattr("rapportbok.authoring.excel.import_.WRITE_WAIT", 0.5)
    build = build_holding_the_lock(project / "data" / ORG, tmp_path / "done", tmp_path / "build.txt")
    before = fingerprint(project / "data")
    code, printed = run(
        command(["import", str(workbooks["drift"]), "--year", "2024"]), tmp_path / "i.txt", cwd=project
    )
    after = fingerprint(project / "data")
    (tmp_path / "done").touch()
    assert build.wait()[0] == 0
    assert code == 1
    assert (
        "data/kommunstyrelsekontoret används av ett annat kommando just nu (ett bygge, en kontroll, en "
        "import eller ett nytt år). Inget har skrivits; vänta tills det är klart och kör kommandot igen."
    ) in printed
    assert after == before
