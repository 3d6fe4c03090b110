"""A fault never publishes a half-new book: interrupts during the PDF step, a full disk while
publishing, damaged published files. Each test builds the `small_built` project (one chapter, HTML and
PDF: the mechanism is the same as for the whole book) into its own copy of the build folder (`--output`),
so the chapters are reused and `small_built` itself is never changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from rapportbok.pdf.verify import summarise_pdf
from tests.e2e.conftest import rapportbok

pytestmark = pytest.mark.e2e
PDF = "kommunstyrelsekontoret-verksamhetsberattelse-2024.pdf"


def _copy_build(project: Path, target: Path) -> Path:
    """A copy of the built project's build folder (links kept), for `--output`."""
    shutil.copytree(project / "_build", target, symlinks=True)
    return target


def _truncate(pdf: Path) -> None:
    """Damage the published PDF, so that the next build must write the PDF again."""
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])


def _published(build: Path) -> tuple[dict[str, str], dict[str, str]]:
    """SHA-256 of every published file, HTML and PDF."""
    return tuple(  # type: ignore[return-value]
        {
            path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
        for folder in (build / "kommunstyrelsekontoret/2024/html", build / "kommunstyrelsekontoret/2024/pdf")
    )


def _same_book(left: Path, right: Path) -> None:
    """The same published files, byte for byte, HTML and PDF: a rebuild in a copied build folder gives
    the bytes of the clean build (Sphinx builds the site clean every time)."""
    (left_html, left_pdf), (right_html, right_pdf) = _published(left), _published(right)
    assert left_pdf == right_pdf
    names = sorted(set(left_html) | set(right_html))
    assert [name for name in names if left_html.get(name) != right_html.get(name)] == []


def _no_leftovers(build: Path) -> None:
    year = build / "kommunstyrelsekontoret/2024"
    assert len(list((year / ".releases").iterdir())) == 1
    assert not (year / ".running.json").exists() and not (year / ".work/pdf").exists()
    assert not [p for p in year.iterdir() if p.name.endswith((".new", ".incoming", ".outgoing"))]


def _pdf_process(build: subprocess.Popen, cpu_seconds: float) -> psutil.Process:
    """Wait until the build's PDF process has worked `cpu_seconds` (it is then laying out or drawing)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()
        for child in psutil.Process(build.pid).children(recursive=True):
            try:
                writing = "rapportbok.pipeline.processes.pdf_process" in " ".join(child.cmdline())
                if writing and child.cpu_times().user >= cpu_seconds:
                    return child
            except psutil.Error:
                continue
        time.sleep(0.01)  # the PDF child lives well under a second
    raise AssertionError("the PDF process never got going")


def _ended(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_an_interrupt_while_the_pdf_is_drawn_publishes_nothing(
    tmp_path: Path, small_built: Path, how: str
) -> None:
    """SIGTERM to the build, or Ctrl-C (SIGINT to its process group), while the PDF child (Typst)
    sets the book, i.e. the signal interrupts the print step: exit 130, the PDF process ends, HTML
    and PDF stay as they were by hash, nothing is left behind, and the next build writes and
    publishes the PDF instead of saying nothing changed."""
    output = _copy_build(small_built, tmp_path / "_build")
    _truncate(output / "kommunstyrelsekontoret/2024/pdf" / PDF)
    before = _published(output)
    build = subprocess.Popen(
        [sys.executable, "-m", "rapportbok.cli", "build", "--year", "2024", "--output", str(output)],
        cwd=small_built,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command started from a terminal
    )
    # The Typst child sets the small book in a few tenths of a second of CPU: at 0.05 s it is still
    # importing or setting, so the signal interrupts the print step itself.
    writer = _pdf_process(build, cpu_seconds=0.05)
    if how == "SIGTERM":
        build.send_signal(signal.SIGTERM)
    else:
        os.killpg(build.pid, signal.SIGINT)
    _, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert (
        "Bygget av kommunstyrelsekontoret 2024 avbröts. Den senast publicerade versionen (" in err
        and "är orörd" in err
    )
    assert "Traceback" not in err
    assert _ended(writer)
    assert _published(output) == before
    _no_leftovers(output)
    if how == "SIGTERM":
        again = rapportbok(small_built, "build", "--year", "2024", "--output", str(output))
        assert again.returncode == 0, again.stderr
        assert "Inget har ändrats" not in again.stdout and "Skriver PDF" in again.stdout
        assert _published(output)[1] == _published(small_built / "_build")[1]
        summary = summarise_pdf(output / "kommunstyrelsekontoret/2024/pdf" / PDF)
        clean = summarise_pdf(small_built / "_build/kommunstyrelsekontoret/2024/pdf" / PDF)
        assert summary.figures == clean.figures > 0 and summary.empty_figures == []
        _no_leftovers(output)


FILL_THE_DISK = textwrap.dedent(
    """
    import errno, sys
    from pathlib import Path
    from rapportbok.pipeline.publishing import publish
    from rapportbok.cli import main

    disk, mounted = Path(sys.argv[1]), sys.argv[2] == "tmpfs"

    def fill(name):
        if name != "release-created":
            return
        if not mounted:  # no tmpfs here: every further copy fails as on a full disk
            def full(source, target):
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
            publish.COPY_FILE = full
            return
        with (disk / "fyllnad").open("wb", buffering=0) as filler:  # unbuffered: close writes nothing
            try:
                while True:
                    filler.write(b"x" * 65536)
            except OSError:
                pass

    publish.STEP_HOOK = fill
    sys.exit(main(["build", "--year", "2024", "--output", str(disk / "_build")]))
    """
)


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True)
    if os.geteuid() != 0:
        return False
    command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    return subprocess.run(command, check=False, capture_output=True).returncode == 0


def test_a_full_disk_while_publishing_keeps_the_previous_version(tmp_path: Path, small_built: Path) -> None:
    """The disk fills up as the release is written (a real tmpfs where the test may mount one):
    a Swedish message names the file, no traceback; HTML and PDF are unchanged by hash; once there
    is room, the next build publishes."""
    disk = tmp_path / "disk"
    mounted = _mount_tmpfs(disk, "96m")
    try:
        output = _copy_build(small_built, disk / "_build")
        (
            output / "kommunstyrelsekontoret/2024/html/chapters/arbetsgivare.html"
        ).unlink()  # damaged: the build must publish
        before = _published(output)
        completed = subprocess.run(
            [sys.executable, "-c", FILL_THE_DISK, str(disk), "tmpfs" if mounted else "copy"],
            cwd=small_built,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 1, completed.stderr
        assert "Bygget kunde inte skriva sina filer. Kunde inte skriva " in completed.stderr
        assert "/2024/.releases/" in completed.stderr and ": disken är full." in completed.stderr
        assert "Den senast publicerade versionen (" in completed.stderr and "är orörd." in completed.stderr
        assert "Traceback" not in completed.stderr
        assert _published(output) == before
        (disk / "fyllnad").unlink(missing_ok=True)
        _no_leftovers(output)
        again = rapportbok(small_built, "build", "--year", "2024", "--output", str(output))
        assert again.returncode == 0, again.stderr
        assert "PDF:en är oförändrad och hel; den återanvänds." in again.stdout
        _same_book(output, small_built / "_build")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_noop_build_repairs_a_deleted_page_and_a_truncated_pdf(tmp_path: Path, small_built: Path) -> None:
    """Damaged published output is found against the release manifest and rebuilt, not kept."""
    output = _copy_build(small_built, tmp_path / "_build")
    first = rapportbok(small_built, "build", "--year", "2024", "--output", str(output))  # cache complete, as
    assert first.returncode == 0, first.stderr  # other tests may have left a failed chapter behind
    (output / "kommunstyrelsekontoret/2024/html/om-rapporten.html").unlink()
    _truncate(output / "kommunstyrelsekontoret/2024/pdf" / PDF)
    completed = rapportbok(small_built, "build", "--year", "2024", "--output", str(output))
    assert completed.returncode == 0, completed.stderr
    assert "stämmer inte med sitt manifest (2 filer saknas eller har ändrats: " in completed.stdout
    assert "Inget har ändrats" not in completed.stdout and "Kör " not in completed.stdout
    _same_book(output, small_built / "_build")
    again = rapportbok(small_built, "build", "--year", "2024", "--output", str(output))
    assert "Inget har ändrats sedan förra bygget av kommunstyrelsekontoret 2024" in again.stdout
