"""A build reads one version of the year: the data lock keeps writers out while it reads, and the hashes
taken when it starts reading notice a file saved without the lock before anything is published.

Seed: "An import during `build --force` publishes a mixed book: front page 3,8 % sick leave, the
Arbetsgivare chapter 4,7 %, in one release."
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rapportbok.core.book import BookId
from rapportbok.core.layout import book_layout, site_folder
from rapportbok.data.datalock import organisation_lock
from rapportbok.exceptions import DataBusy, DataChanged, DataError
from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.books.site import build_site, publish_site
from rapportbok.pipeline.inputs import readlock
from rapportbok.pipeline.inputs.fingerprint import file_hash
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.inputs.snapshot import SITE, InputSnapshot
from rapportbok.pipeline.preview.builder import PreviewBuilder
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.run import BookRun, BuildOptions
from tests.unit.pipeline.test_site import ORGANISATION, _book, _hashes, published_year  # noqa: F401

YEAR = "data/kommunstyrelsekontoret/2024"
SICK_LEAVE = f"{YEAR}/sjukfranvaro_ar.csv"


def _edit(path: Path) -> None:
    """Change a file as an editor would: its bytes differ afterwards."""
    path.write_bytes(path.read_bytes() + b"\n")


@pytest.fixture
def org_dir(project_copy: Path) -> Path:
    return project_copy / "data" / ORGANISATION


# The snapshot


def test_an_unchanged_year_verifies(project_copy: Path, org_dir: Path) -> None:
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    assert SICK_LEAVE in snapshot.hashes and "notebooks/ekonomi.ipynb" in snapshot.hashes
    assert snapshot.changed() == {}
    snapshot.verify()


def test_a_table_saved_during_the_build_is_named_in_swedish(project_copy: Path, org_dir: Path) -> None:
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    _edit(project_copy / SICK_LEAVE)
    with pytest.raises(DataChanged) as raised:
        snapshot.verify()
    assert str(raised.value) == (
        f"{SICK_LEAVE} ändrades medan boken byggdes; inget publicerades – bygg igen."
    )
    assert raised.value.file == SICK_LEAVE


def test_removed_added_and_changed_inputs_are_all_named(project_copy: Path, org_dir: Path) -> None:
    """A removed text, a new text and a changed toc: every one, with what happened to it."""
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    (project_copy / YEAR / "text/tjanstegarantier/inforande.md").unlink()
    (project_copy / YEAR / "text/ny.md").write_text("Ny text.", encoding="utf-8")
    _edit(project_copy / "_toc.yml")
    assert snapshot.changed() == {
        "_toc.yml": "ändrades",
        f"{YEAR}/text/ny.md": "tillkom",
        f"{YEAR}/text/tjanstegarantier/inforande.md": "togs bort",
    }
    with pytest.raises(DataChanged) as raised:
        snapshot.verify()
    assert str(raised.value).splitlines() == [
        "3 filer ändrades medan boken byggdes; inget publicerades – bygg igen:",
        "  _toc.yml: ändrades medan boken byggdes",
        f"  {YEAR}/text/ny.md: tillkom medan boken byggdes",
        f"  {YEAR}/text/tjanstegarantier/inforande.md: togs bort medan boken byggdes",
    ]


def test_a_file_a_chapter_read_in_another_version_is_a_change(project_copy: Path, org_dir: Path) -> None:
    """A chapter's cache entry names the hash of what it read when it finished: another than the
    snapshot's means the file changed while it ran, even if it was changed back since."""
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    snapshot.add_reads({SICK_LEAVE: "0" * 64})
    assert snapshot.changed() == {SICK_LEAVE: "ändrades"}


def test_a_file_read_outside_the_snapshots_folders_is_verified_too(project_copy: Path, org_dir: Path) -> None:
    """A shared logo in data/gemensamt/ that a chapter read: its hash then is checked at the end."""
    logo = project_copy / "data/gemensamt/logotyp.svg"
    logo.parent.mkdir()
    logo.write_text("<svg/>", encoding="utf-8")
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    snapshot.add_reads({"data/gemensamt/logotyp.svg": file_hash(logo)})
    snapshot.verify()
    _edit(logo)
    assert snapshot.changed() == {"data/gemensamt/logotyp.svg": "ändrades"}


def test_a_pipe_in_the_year_is_noted_without_being_opened(project_copy: Path, org_dir: Path) -> None:
    """Taking and verifying the snapshot never opens a FIFO (it would hang): check refuses it later."""
    os.mkfifo(project_copy / YEAR / "text/ror.md")
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    snapshot.verify()
    assert f"{YEAR}/text/ror.md" in snapshot.hashes


def test_the_data_lock_file_is_not_an_input(project_copy: Path, org_dir: Path) -> None:
    snapshot = InputSnapshot(project_copy, SITE)
    snapshot.add_tree(org_dir)
    with organisation_lock(org_dir, write=False):
        snapshot.verify()
    assert not any(name.endswith(".rapportbok.lock") for name in snapshot.hashes)


# The data lock


def _hold_exclusive(org_dir: Path, seconds: float, ready: threading.Event) -> threading.Thread:
    """An import-like writer: holds the organisation's lock exclusively for `seconds`."""

    def hold() -> None:
        with organisation_lock(org_dir, write=True):
            ready.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert ready.wait(5)
    return thread


def test_a_reader_waits_for_a_writer_and_says_so(org_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The build waits (one Swedish line, through its progress and nowhere else) while an import writes,
    and reads once it is done."""
    out = io.StringIO()
    writer = _hold_exclusive(org_dir, 0.5, threading.Event())
    with reading_data([org_dir], Progress(stream=out), wait=30):
        assert not writer.is_alive()  # the writer finished before the reader got the lock
    assert out.getvalue() == (
        "data/kommunstyrelsekontoret skrivs just nu av ett annat kommando (import, new-year eller "
        "migrate); väntar upp till 30 s på att det blir klart …\n"
    )
    assert "Väntar" not in capsys.readouterr().err  # the lock's own line is not said as well


def test_a_free_lock_is_taken_without_a_word(org_dir: Path) -> None:
    out = io.StringIO()
    with reading_data([org_dir], Progress(stream=out)), reading_data([org_dir], Progress(stream=out)):
        pass  # readers share the lock
    assert out.getvalue() == ""


def test_readers_in_one_process_share_one_hold_until_the_last_is_done(org_dir: Path) -> None:
    """`site` holds the lock while its books (on threads) read: they use that hold; a writer gets
    the lock only when every reader is done."""
    quiet = Progress(quiet=True)
    inner_done = threading.Event()

    def book() -> None:
        with reading_data([org_dir], quiet, wait=0):
            inner_done.set()

    with reading_data([org_dir], quiet, wait=0):
        thread = threading.Thread(target=book)
        thread.start()
        thread.join(5)
        assert inner_done.is_set()
        with pytest.raises(DataBusy), organisation_lock(org_dir, write=True, wait=0):
            pass  # the book is done, the site still reads
    with organisation_lock(org_dir, write=True, wait=0):
        pass


@contextmanager
def held_by_another_writer(org_dir: Path) -> Iterator[None]:
    """The organisation's lock held exclusively by another thread, as an import would hold it (the lock
    is re-entrant within one thread, so the test's own thread cannot play the writer)."""
    taken, done = threading.Event(), threading.Event()

    def writer() -> None:
        with organisation_lock(org_dir, write=True):
            taken.set()
            done.wait(60)

    thread = threading.Thread(target=writer)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join(10)


def test_a_build_refuses_while_an_import_holds_the_lock(
    project_copy: Path, org_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import-like exclusive lock held past the wait: DataBusy in Swedish, nothing read or published."""
    monkeypatch.setattr(readlock, "DATA_WAIT_SECONDS", 0.3)
    out = io.StringIO()
    with held_by_another_writer(org_dir), pytest.raises(DataBusy) as raised:
        build_year(project_copy, 2024, pdf=False, progress=Progress(stream=out))
    assert str(raised.value) == (
        "data/kommunstyrelsekontoret skrivs av ett annat kommando just nu (import, new-year eller "
        "migrate). Vänta tills det är klart och bygg sedan igen."
    )
    assert raised.value.__notes__ == ["Ingen version av kommunstyrelsekontoret 2024 är publicerad."]
    assert "väntar upp till 0 s" in out.getvalue()
    layout = book_layout(project_copy / "_build", ORGANISATION, 2024)
    assert not layout.cache.exists() and not layout.html.exists()


def test_the_site_and_the_preview_refuse_while_an_import_holds_the_lock(
    project_copy: Path, org_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readlock, "DATA_WAIT_SECONDS", 0.2)
    quiet = Progress(quiet=True)
    layout = book_layout(project_copy / "_build", ORGANISATION, 2024).preview
    builder = PreviewBuilder(
        BookRun(BookId(ORGANISATION, 2024, project_copy), layout, BuildOptions(), BuildProcesses(), quiet)
    )
    try:
        with held_by_another_writer(org_dir):
            with pytest.raises(DataBusy, match="skrivs av ett annat kommando just nu"):
                build_site(project_copy, progress=quiet)
            with pytest.raises(DataBusy, match="skrivs av ett annat kommando just nu"):
                builder.rebuild()
    finally:
        builder.close()
    assert not site_folder(project_copy / "_build").exists()
    assert not layout.cache.exists()


def test_a_preview_holds_the_lock_only_while_it_rebuilds(project_copy: Path, org_dir: Path) -> None:
    """During a rebuild an import cannot take the lock; after it (here: a rebuild that stops at an
    invalid table) it gets the lock at once, so an import lands while the preview is idle."""
    (project_copy / YEAR / "drift.csv").write_text("trasig\n", encoding="utf-8")
    layout = book_layout(project_copy / "_build", ORGANISATION, 2024).preview
    builder = PreviewBuilder(
        BookRun(
            BookId(ORGANISATION, 2024, project_copy), layout, BuildOptions(), BuildProcesses(), Progress()
        )
    )
    validate = builder._validate
    during = []

    def validate_and_probe():
        try:
            with organisation_lock(org_dir, write=True, wait=0):
                during.append("fri")
        except DataBusy:
            during.append("upptagen")
        return validate()

    builder._validate = validate_and_probe
    try:
        with pytest.raises(DataError):
            builder.rebuild()
        with organisation_lock(org_dir, write=True, wait=0):
            pass
    finally:
        builder.close()
    assert during == ["upptagen"]


# The site


def test_a_table_saved_while_the_site_is_put_together_publishes_no_site(
    project_copy: Path,
    published_year: Path,  # noqa: F811
) -> None:
    """The site's overview reads the year again: a change since the site started reading stops the
    switch, and the previous site stays, by hash."""
    books = [_book(project_copy, ORGANISATION, 2024)]
    publish_site(project_copy, published_year, books)
    site = site_folder(published_year)
    before = _hashes(site)
    snapshot = InputSnapshot(project_copy, SITE)
    snapshot.add_tree(project_copy / "data" / ORGANISATION)
    _edit(project_copy / SICK_LEAVE)
    with pytest.raises(DataChanged) as raised:
        publish_site(project_copy, published_year, books, before_switch=snapshot.verify)
    assert str(raised.value) == (
        f"{SICK_LEAVE} ändrades medan webbplatsen byggdes; ingen ny webbplats publicerades – kör "
        "rapportbok site igen."
    )
    assert raised.value.__notes__ == ["Den tidigare webbplatsen i _build/site är orörd."]
    assert _hashes(site) == before


def test_data_switched_to_another_folder_during_the_build_is_a_change(
    project_copy: Path, org_dir: Path
) -> None:
    """`data` made a link to another folder with the same files while the build reads: the folder the
    year resolves to is not the one the snapshot hashed, and the year is named."""
    snapshot = InputSnapshot.of_book(project_copy, org_dir, 2024)
    os.rename(project_copy / "data", project_copy / "data-kopia")
    (project_copy / "data").symlink_to("data-kopia")
    assert snapshot.changed()[YEAR] == "ändrades"
