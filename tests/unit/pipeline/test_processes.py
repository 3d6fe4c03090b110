"""A build ends exactly the processes it started: its marked processes and their descendants, its
children's process groups – and nothing of the caller's."""

from __future__ import annotations

import _thread
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rapportbok.exceptions import BuildInterrupted, PdfError
from rapportbok.pipeline.processes.interrupt import raise_on_sigterm, signals_deferred
from rapportbok.pipeline.processes.owned import PARENT_PID, BuildProcesses, run_child, stop_leftovers
from rapportbok.pipeline.processes.pdf_process import render_pdf
from tests.unit.pdf.test_verify import _document
from tests.unit.pipeline.gone import gone


def _wait_for_file(path: Path, within: float = 60) -> str:
    deadline = time.monotonic() + within
    while not (path.exists() and path.read_text(encoding="utf-8").strip()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)
    return path.read_text(encoding="utf-8")


def test_stop_ends_marked_processes_and_their_descendants_only(tmp_path: Path) -> None:
    """A marked process, the process it started in a new session, and nothing else: the caller's own
    child keeps running."""
    processes = BuildProcesses()
    pids = tmp_path / "pids"
    marked = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time; "
            "d = subprocess.Popen(['sleep', '987'], start_new_session=True, env={}); "
            f"open({str(pids)!r}, 'w').write(str(d.pid)); time.sleep(600)",
        ],
        env=processes.child_environment(),
    )
    callers = subprocess.Popen(["sleep", "600"])
    try:
        descendant = int(_wait_for_file(pids))
        assert {p.pid for p in processes.running()} == {marked.pid, descendant}
        processes.stop()
        assert gone(marked.pid) and gone(descendant)
        assert callers.poll() is None and processes.running() == []
    finally:
        callers.kill()
        marked.kill()
        callers.wait()
        marked.wait()


def test_what_a_killed_build_left_is_ended_by_the_next(tmp_path: Path) -> None:
    """The id recorded in .running.json lets the next build of the year end the leftovers."""
    killed = BuildProcesses()
    record = tmp_path / ".running.json"
    killed.record(record)
    leftover = subprocess.Popen(["sleep", "600"], env=killed.child_environment())
    stop_leftovers(record)
    assert gone(leftover.pid) and not record.exists()
    leftover.wait()


def test_an_interrupt_while_waiting_ends_the_childs_whole_group(tmp_path: Path) -> None:
    """Ctrl-C while the build waits for a child: the child and what it started end before the
    interrupt goes on."""
    pids = tmp_path / "pids"
    command = ["sh", "-c", f"sleep 600 & echo $! > {pids}; sleep 600"]
    timer = threading.Thread(target=lambda: (_wait_for_file(pids), _thread.interrupt_main()))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run_child(command, cwd=tmp_path, env=dict(os.environ), log=tmp_path / "log")
    timer.join()
    assert gone(int(_wait_for_file(pids)))


def test_a_child_dies_with_a_build_that_is_killed(tmp_path: Path) -> None:
    """SIGKILL to the build: its PDF or Sphinx child ends too instead of writing on alone."""
    pids, ready = tmp_path / "pids", tmp_path / "ready"
    child = (
        "from rapportbok.pipeline.processes.owned import die_with_parent; die_with_parent(); "
        f"open({str(ready)!r}, 'w').write('1'); import time; time.sleep(600)"
    )
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, subprocess, sys, time; "
            f"c = subprocess.Popen([sys.executable, '-c', {child!r}], env={{**os.environ, "
            f"{PARENT_PID!r}: str(os.getpid())}}); "
            f"open({str(pids)!r}, 'w').write(str(c.pid)); time.sleep(600)",
        ]
    )
    child_pid = int(_wait_for_file(pids))
    _wait_for_file(ready)  # the child has passed die_with_parent
    parent.kill()
    parent.wait()
    assert gone(child_pid)


def test_a_second_signal_waits_until_the_cleanup_is_done() -> None:
    """SIGTERM during cleanup is held and raised after it, so the cleanup is never cut short."""
    previous = signal.getsignal(signal.SIGTERM)
    raise_on_sigterm()
    finished = []
    try:
        with pytest.raises(BuildInterrupted), signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            finished.append("cleanup")
        assert finished == ["cleanup"]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_pdf_is_written_by_a_child_and_verified(tmp_path: Path) -> None:
    """A small document: the child writes it, the build verifies its three figures."""
    target = render_pdf(
        _document(), tmp_path / "bok.pdf", base_url=tmp_path, processes=BuildProcesses(), log=tmp_path / "log"
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_a_figure_the_writer_cannot_draw_fails_the_pdf(tmp_path: Path) -> None:
    """An image that is no embedded chart (a file name: nothing is fetched) is left out by the Typst
    writer: the build's check counts the figures of the print document and refuses the PDF."""
    document = _document().replace("<p>Text.</p>", '<p>Text.</p><img src="saknas.png" alt="saknas">')
    processes = BuildProcesses()
    with pytest.raises(PdfError, match="den har 3 diagram och bilder, utskriftsdokumentet 4"):
        render_pdf(document, tmp_path / "b.pdf", base_url=tmp_path, processes=processes, log=tmp_path / "l")


def test_a_document_typst_cannot_set_fails_the_child_with_its_reason(tmp_path: Path) -> None:
    """A document that is not a print document: the child exits 2 and its Swedish reason is shown."""
    with pytest.raises(PdfError) as raised:
        render_pdf(
            "<html><body><p>Hej</p></body></html>",
            tmp_path / "b.pdf",
            base_url=tmp_path,
            processes=BuildProcesses(),
            log=tmp_path / "l",
        )
    assert "avslutades med kod 2" in str(raised.value) and "saknar försättsblad" in str(raised.value)
    assert "Traceback" not in str(raised.value) and not (tmp_path / "b.pdf").exists()


def test_a_full_disk_while_the_pdf_is_written_is_a_located_message(tmp_path: Path) -> None:
    """The PDF does not fit on a tiny tmpfs: the child says which file and why, in Swedish, and the
    build gets that line instead of a traceback (needs root to mount; skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(disk)], check=False).returncode
        == 0
    )
    if not mounted:
        pytest.skip("mounting a tiny tmpfs needs root")
    try:
        with pytest.raises(PdfError) as raised:
            render_pdf(
                _document(),
                disk / "bok.pdf",
                base_url=tmp_path,
                processes=BuildProcesses(),
                log=tmp_path / "l",
            )
        message = str(raised.value)
        assert "avslutades med kod 2" in message and "bok.pdf: disken är full." in message
        assert "Traceback" not in message
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
