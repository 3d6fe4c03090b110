"""A change to data/<org>/ is one transaction: killed at any step, the next command finds every old file
or every new one, and no temporary file, journal or lock file is left behind."""

from __future__ import annotations

import errno
import json
import threading
from pathlib import Path

import pytest

from rapportbok.data import datalock
from rapportbok.data import transaction as transaction_module
from rapportbok.data.datalock import LOCK_FILE, organisation_lock
from rapportbok.data.organisations import organisations
from rapportbok.data.transaction import JOURNAL, Transaction, recover
from rapportbok.data.years import data_years
from rapportbok.exceptions import DataBusy, TransactionError
from tests.unit.data.forked import KILLED, fingerprint, run

OLD = {"2024/a.csv": b"a,old\n", "2024/b.csv": b"b,old\n", "2024/c.csv": b"c,old\n"}
NEW = {"2024/a.csv": b"a,new\n" * 50, "2024/b.csv": b"b,new\n", "2024/c.csv": b"c,new\n" * 9}
NEW_YEAR = {"rapport.yml": b"ar: 2025\n", "text/inledning.md": b"# Inledning\n", "drift.csv": b"x\n1\n"}


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """data/ks with one year of three small tables."""
    folder = tmp_path / "data" / "ks"
    for name, content in OLD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def change(org: Path) -> None:
    """Three files replaced and a new year folder, in one transaction."""
    transaction = Transaction(org)
    for name, content in NEW.items():
        transaction.write(org / name, content)
    transaction.new_folder(org / "2025", NEW_YEAR)
    transaction.commit()


def read_with_lock(org: Path) -> dict[str, str]:
    """What the next reader (a build, a check) leaves behind once it has held the lock."""
    with organisation_lock(org, write=False):
        pass
    return fingerprint(org)


def test_a_transaction_replaces_every_file_and_leaves_nothing_beside_them(org: Path, tmp_path: Path) -> None:
    change(org)
    expected = tmp_path / "expected"
    for name, content in {**NEW, **{f"2025/{k}": v for k, v in NEW_YEAR.items()}}.items():
        (expected / name).parent.mkdir(parents=True, exist_ok=True)
        (expected / name).write_bytes(content)
    assert fingerprint(org) == fingerprint(expected)


def test_a_kill_at_every_step_leaves_all_old_or_all_new_files(org: Path, tmp_path: Path) -> None:
    """The writer is SIGKILLed at step 1, 2, … until it finishes; after each, a reader's lock completes or
    undoes it, and the folder is exactly the old one or exactly the new one."""
    old = fingerprint(org)
    new_org = tmp_path / "new"
    _copy(org, new_org)
    change(new_org)  # the same change, uninterrupted
    new = fingerprint(new_org)
    outcomes = []
    step = 0
    while True:
        step += 1
        folder = tmp_path / f"run{step}" / "ks"
        _copy(org, folder)
        code, printed = run(
            lambda folder=folder: change(folder) or 0, tmp_path / "out.txt", kill_at=str(step)
        )
        assert code in (0, KILLED), printed
        seen = read_with_lock(folder)
        assert seen in (old, new), f"step {step}: {sorted(seen)}"
        outcomes.append("new" if seen == new else "old")
        if code == 0:
            break
    assert step > 10, "the hook did not stop at every step"
    assert outcomes[0] == "old" and outcomes[-1] == "new"
    assert "old" not in outcomes[outcomes.index("new") :], "once the journal is committed, it stays new"


def test_recovery_killed_in_its_turn_is_completed_by_the_next_command(org: Path, tmp_path: Path) -> None:
    """Killed after 2 of 3 files switched, then the recovering reader killed after one more: all new."""
    code, _ = run(lambda: change(org) or 0, tmp_path / "out.txt", kill_at="switched-2")
    assert code == KILLED
    assert (org / JOURNAL).exists()
    code, _ = run(lambda: recover(org) or 0, tmp_path / "out.txt", kill_at="switched-1")
    assert code == KILLED
    read_with_lock(org)
    assert {name: (org / name).read_bytes() for name in NEW} == NEW
    assert not [p for p in org.rglob(".*")]


def test_old_versions_leftovers_are_removed_by_the_next_lock_holder(org: Path) -> None:
    """The repro of issue 24: a `.personalomsattning.csv.import` beside the tables, a staging folder of
    new-year and a copy that import checked: none of them stays once a command holds the lock."""
    (org / "2024" / ".personalomsattning.csv.import").write_text("half", encoding="utf-8")
    (org / ".2025.new" / "text").mkdir(parents=True)
    (org / ".2024.import-x1y2" / "ks" / "2024").mkdir(parents=True)
    (org / "2024" / ".b.csv.rapportbok-tmp").write_text("half", encoding="utf-8")
    before = {name: (org / name).read_bytes() for name in OLD}
    read_with_lock(org)
    assert sorted(p.relative_to(org).as_posix() for p in org.rglob("*")) == ["2024", *sorted(OLD)]
    assert {name: (org / name).read_bytes() for name in OLD} == before


@pytest.mark.parametrize(
    "journal",
    [
        {"state": "committed", "operations": [{"op": "move", "target": "2024", "source": "../../outside"}]},
        {
            "state": "committed",
            "operations": [{"op": "write", "target": "2024/a.csv", "source": "2024/b.csv"}],
        },
        {"state": "prepared", "temporaries": ["2024/a.csv"]},
        {"state": "prepared", "temporaries": ["/etc/.passwd.rapportbok-tmp"]},
        "not a journal",
    ],
)
def test_a_journal_rapportbok_did_not_write_is_refused_and_nothing_is_touched(
    org: Path, tmp_path: Path, journal: object
) -> None:
    """The journal is data like any other file in data/: it never moves or removes a file outside the
    folder, or a file that is not a temporary name."""
    (tmp_path / "outside").mkdir()
    (org / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    before = fingerprint(tmp_path)
    with pytest.raises(TransactionError) as raised:
        read_with_lock(org)
    assert f"{JOURNAL} är ingen journal som rapportbok har skrivit" in str(raised.value)
    assert "ta bort filen" in str(raised.value)
    after = fingerprint(tmp_path)
    assert after == before


def test_a_write_outside_the_folder_or_through_a_link_is_refused(org: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (org / "2023").symlink_to(tmp_path / "elsewhere")
    transaction = Transaction(org)
    with pytest.raises(TransactionError, match="symbolisk"):
        transaction.write(org / "2023" / "a.csv", b"x")
    with pytest.raises(TransactionError, match="ligger inte i"):
        transaction.write(tmp_path / "a.csv", b"x")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_writer_refuses_while_a_reader_holds_the_lock_and_says_why_in_swedish(org: Path) -> None:
    with organisation_lock(org, write=False), pytest.raises(DataBusy) as raised:  # noqa: SIM117
        with organisation_lock(org, write=True, wait=0.3):
            pytest.fail("the writer got the lock while a build read")
    assert "ks används av ett annat kommando just nu" in str(raised.value)
    assert "Inget har skrivits; vänta tills det är klart och kör kommandot igen." in str(raised.value)


def test_a_waiting_writer_gets_the_lock_when_the_reader_lets_go(
    org: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It says once, in Swedish, that it waits; then it writes."""
    holding, waited = threading.Event(), threading.Event()
    show = datalock._Notice.show

    def shown(notice: datalock._Notice) -> None:
        show(notice)
        waited.set()

    monkeypatch.setattr(datalock._Notice, "show", shown)

    def build() -> None:
        with organisation_lock(org, write=False):
            holding.set()
            waited.wait(60)  # until the writer says it waits

    reader = threading.Thread(target=build)
    reader.start()
    holding.wait()
    with organisation_lock(org, write=True, wait=60):
        change(org)
    reader.join()
    assert capsys.readouterr().err.count("Väntar på att ett annat kommando ska bli klart med") == 1
    assert (org / "2025" / "rapport.yml").read_bytes() == NEW_YEAR["rapport.yml"]


def test_readers_share_the_lock_and_the_last_one_removes_its_file(org: Path) -> None:
    with organisation_lock(org, write=False), organisation_lock(org, write=False):
        assert (org / LOCK_FILE).exists()
    assert not (org / LOCK_FILE).exists()
    with organisation_lock(org, write=True):
        assert (org / LOCK_FILE).exists()
    assert not (org / LOCK_FILE).exists()


def _copy(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())


def test_a_kill_before_the_commit_is_undone_and_the_reader_says_so(
    org: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every new file was written beside its target, but the commit journal never appeared: all old."""
    before = fingerprint(org)
    code, _ = run(lambda: change(org) or 0, tmp_path / "out.txt", kill_at="prepared")
    assert code == KILLED
    assert (org / "2024" / ".a.csv.rapportbok-tmp").exists() and (org / ".2025.rapportbok-tmp").is_dir()
    assert read_with_lock(org) == before
    note = capsys.readouterr().err
    assert "Obs: en avbruten skrivning i" in note
    assert "ks ångrades (inget av den hann ändras)." in note


def test_the_lock_file_and_journal_are_neither_years_nor_organisations(org: Path) -> None:
    """What a killed command leaves in data/<org>/ never counts as data, and goes with the next reader."""
    (org / LOCK_FILE).write_bytes(b"")
    (org / JOURNAL).write_text(json.dumps({"state": "prepared", "temporaries": []}), encoding="utf-8")
    assert organisations(org.parent) == ["ks"]
    assert data_years(org) == [2024]
    read_with_lock(org)
    assert sorted(p.name for p in org.iterdir()) == ["2024"]


def test_a_full_disk_while_the_new_files_are_written_changes_nothing(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprint(org)
    real = transaction_module.os.write
    calls = {"n": 0}

    def full(fd: int, data: object) -> int:
        calls["n"] += 1
        if calls["n"] == 6:  # after the prepare journal, inside the new files
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(transaction_module.os, "write", full)
    with pytest.raises(TransactionError) as raised:
        change(org)
    assert str(raised.value).endswith("(No space left on device); inget har ändrats.")
    assert fingerprint(org) == before


def test_a_failure_after_the_commit_is_completed_at_once(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch fails once (say, an interrupted system call): the change is finished there and then."""
    real = transaction_module.os.replace
    calls = {"n": 0}

    def once(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] == 4:  # prepare and commit journals, then the first file: the second file fails
            raise OSError(errno.EINTR, "Interrupted system call")
        real(source, target)

    monkeypatch.setattr(transaction_module.os, "replace", once)
    change(org)
    assert {name: (org / name).read_bytes() for name in NEW} == NEW
    assert not list(org.rglob(".*"))


def test_a_reader_inside_a_writer_of_the_same_process_uses_the_lock_it_holds(org: Path) -> None:
    """new-year reads the year it copies while it holds the lock: no wait on itself."""
    with organisation_lock(org, write=True), organisation_lock(org, write=False):
        change(org)
    assert not (org / LOCK_FILE).exists()
    with organisation_lock(org, write=False), pytest.raises(DataBusy):  # noqa: SIM117
        with organisation_lock(org, write=True):
            pytest.fail("a reader became a writer")
