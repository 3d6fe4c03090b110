"""HTML and PDF of a year are published as one unit: after any fault both are the previous version or
both are the new one, and nothing half-written stays behind."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rapportbok.core.layout import YearLayout, book_layout
from rapportbok.pipeline.processes import interrupt
from rapportbok.pipeline.publishing import publish
from tests.unit.data import forked

STEPS = [
    "release-created",
    "html-copied",
    "html-finished",
    "pdf-copied",
    "manifest-written",
    "links-ready",
    "link-made",
    "switched",
    "old-removed",
]
PDF_NAME = "bok-2024.pdf"


def _sources(folder: Path, version: str) -> tuple[Path, Path]:
    """A small site (several pages) and a PDF, all carrying `version`."""
    html = folder / f"html-{version}"
    (html / "chapters").mkdir(parents=True)
    (html / "index.html").write_text(f"<h1>{version}</h1>", encoding="utf-8")
    for number in range(20):
        (html / "chapters" / f"kapitel-{number}.html").write_text(f"{version} {number}" * 500, "utf-8")
    pdf = folder / f"pdf-{version}" / PDF_NAME
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(f"%PDF-1.7 {version}".encode() * 2000)
    return html, pdf


def _stamp(copy: Path) -> None:
    """Stands in for the provenance footer: the published copy is adjusted after copying."""
    (copy / "index.html").write_text((copy / "index.html").read_text("utf-8") + "<footer/>", "utf-8")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _published(layout: YearLayout) -> tuple[dict[str, str], dict[str, str]]:
    return _hashes(layout.html), _hashes(layout.pdf)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[YearLayout, tuple[dict, dict]]:
    """A year with version 'gammal' published; returns its layout and what is published."""
    layout = book_layout(tmp_path / "_build", "kommunstyrelsekontoret", 2024)
    html, pdf = _sources(tmp_path / "sources", "gammal")
    publish.prepare(layout.releases)
    publish.publish_year(layout, "nyckel-gammal", html, pdf, _stamp)
    return layout, _published(layout)


def test_html_and_pdf_are_published_through_one_switch(tmp_path: Path, previous) -> None:
    """The fixed paths are links through `.current`; a new release replaces both and nothing else stays."""
    layout, _ = previous
    html, pdf = _sources(tmp_path / "sources", "ny")
    publish.publish_year(layout, "nyckel-ny", html, pdf, _stamp)
    assert os.readlink(layout.html) == ".current/html" and os.readlink(layout.pdf) == ".current/pdf"
    assert (layout.html / "index.html").read_text("utf-8") == "<h1>ny</h1><footer/>"
    assert (layout.pdf / PDF_NAME).read_bytes().startswith(b"%PDF-1.7 ny")
    assert (layout.html / PDF_NAME).read_bytes() == (layout.pdf / PDF_NAME).read_bytes()
    assert len(list(layout.releases.folder.iterdir())) == 1
    assert sorted(p.name for p in layout.folder.iterdir()) == [".current", ".releases", "html", "pdf"]


def test_the_manifest_finds_a_deleted_page_and_a_truncated_pdf(previous) -> None:
    """Every published file is in the release's manifest; damage to any of them is found."""
    layout, _ = previous
    release = publish.current_release(layout.releases)
    manifest = publish.read_manifest(release)
    assert manifest is not None and manifest["key"] == "nyckel-gammal"
    assert publish.damaged_files(release, manifest) == []
    (layout.html / "chapters" / "kapitel-3.html").unlink()
    with (layout.pdf / PDF_NAME).open("r+b") as handle:
        handle.truncate(100)
    (layout.html / "injicerad.html").write_text("<script>", encoding="utf-8")
    assert publish.damaged_files(release, manifest) == [
        "html/chapters/kapitel-3.html",
        "html/injicerad.html",
        f"pdf/{PDF_NAME}",
    ]


def _publisher(folder: Path, stop_at: str, ready: Path) -> Callable[[], int]:
    """What the forked child runs: publish version 'ny', pausing at step `stop_at` until signalled,
    with SIGTERM turned into an exception and the cleanup `build_year` does when stopped."""

    def pause(name: str) -> None:
        if name == stop_at:
            ready.write_text(name, encoding="utf-8")
            # Ten minutes in slices of 0.1 s. The test signals as soon as `ready` exists, and a signal
            # that lands before a sleep has begun is handled only when the sleep ends (time.sleep looks
            # for signals only when one interrupts it): one long sleep made a case wait 600 s.
            for _ in range(6000):
                time.sleep(0.1)

    def run() -> int:
        interrupt._Process.done = False  # the child is a command that is still working
        interrupt.raise_on_sigterm()
        layout = book_layout(folder / "_build", "kommunstyrelsekontoret", 2024)
        html, pdf = _sources(folder / "sources-ny", "ny")
        publish.STEP_HOOK = pause
        try:
            publish.publish_year(layout, "nyckel-ny", html, pdf, _stamp)
        except BaseException:
            publish.discard_unpublished(layout.releases)  # what build_year does when stopped
            raise
        return 0

    return run


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("stop_at", STEPS)
def test_a_signal_at_any_publishing_step_leaves_one_whole_version(
    tmp_path: Path, previous, stop_at: str, signum: int
) -> None:
    """Killed at each step: HTML and PDF are both the previous or both the new version, by hash;
    after the next build's cleanup no unpublished release or temporary link is left. The publisher is
    a fork of the test (tests/unit/data/forked.py), so nothing is imported again per case."""
    layout, old = previous
    ready = tmp_path / "ready"
    child = forked.start(_publisher(tmp_path, stop_at, ready), tmp_path / "publisher.txt")
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert os.waitpid(child.pid, os.WNOHANG) == (0, 0), child.printed()
        assert time.monotonic() < deadline, "the publisher never reached its step"
        time.sleep(0.01)
    os.kill(child.pid, signum)
    code, printed = child.wait()
    assert code != 0, printed
    if signum == signal.SIGKILL:
        assert code == forked.KILLED
    else:
        assert "BuildInterrupted: Avbrutet (signal 15)." in printed
    _, new_pdf = _sources(tmp_path / "expected", "ny")
    published = _published(layout)
    switched = stop_at in ("switched", "old-removed")
    if switched:
        assert published[0]["index.html"] == hashlib.sha256(b"<h1>ny</h1><footer/>").hexdigest()
        assert published[1] == _hashes(new_pdf.parent)
    else:
        assert published == old
    publish.prepare(layout.releases)  # what the next build does first
    assert _published(layout) == published
    assert len(list(layout.releases.folder.iterdir())) == 1
    assert not layout.releases.next_link.exists() and not layout.releases.next_link.is_symlink()


def test_a_full_disk_while_copying_leaves_the_previous_version(tmp_path: Path, previous, monkeypatch) -> None:
    """A copy that fails with ENOSPC half-way: the error names the file; the old version stays whole."""
    layout, old = previous
    html, pdf = _sources(tmp_path / "sources", "ny")
    copied = []

    def copy_until_full(source: Path, target: Path) -> None:
        if len(copied) == 7:
            target.write_bytes(source.read_bytes()[:10])
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        copied.append(target)
        target.write_bytes(source.read_bytes())

    monkeypatch.setattr(publish, "COPY_FILE", copy_until_full)
    with pytest.raises(OSError) as raised:
        publish.publish_year(layout, "nyckel-ny", html, pdf, _stamp)
    message = publish.describe_os_error(raised.value, lambda path: path.relative_to(tmp_path).as_posix())
    assert message.startswith("Kunde inte skriva _build/kommunstyrelsekontoret/2024/.releases/")
    assert message.endswith(": disken är full.")
    publish.discard_unpublished(layout.releases)
    assert _published(layout) == old
    assert len(list(layout.releases.folder.iterdir())) == 1


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    completed = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if completed.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {completed.stderr!r}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_leaves_the_previous_version(tmp_path: Path, small_disk: Path) -> None:
    """On a real, small file system the second release does not fit: the previous one stays whole."""
    layout = book_layout(small_disk / "_build", "kommunstyrelsekontoret", 2024)
    publish.prepare(layout.releases)
    html, pdf = _sources(tmp_path / "sources", "gammal")
    publish.publish_year(layout, "nyckel-gammal", html, pdf, _stamp)
    old = _published(layout)
    html, pdf = _sources(tmp_path / "sources", "ny")
    (html / "stor.bin").write_bytes(os.urandom(2_500_000))
    with pytest.raises(OSError) as raised:
        publish.publish_year(layout, "nyckel-ny", html, pdf, _stamp)
    assert raised.value.errno == errno.ENOSPC
    publish.discard_unpublished(layout.releases)
    assert _published(layout) == old
    publish.publish_year(layout, "nyckel-ny-igen", *_sources(tmp_path / "again", "ny"), _stamp)
    assert (layout.html / "index.html").read_text("utf-8") == "<h1>ny</h1><footer/>"


def test_output_of_an_older_rapportbok_becomes_a_release(tmp_path: Path) -> None:
    """Real html/ and pdf/ folders (published before releases existed) are adopted, not lost."""
    layout = book_layout(tmp_path / "_build", "kommunstyrelsekontoret", 2024)
    layout.html.mkdir(parents=True)
    (layout.html / "index.html").write_text("äldre", encoding="utf-8")
    layout.pdf.mkdir()
    (layout.pdf / PDF_NAME).write_bytes(b"%PDF")
    (layout.folder / ".html.incoming").mkdir()  # what the old publisher left after SIGKILL
    publish.prepare(layout.releases)
    assert layout.html.is_symlink() and (layout.html / "index.html").read_text("utf-8") == "äldre"
    assert (layout.pdf / PDF_NAME).read_bytes() == b"%PDF"
    assert publish.read_manifest(publish.current_release(layout.releases)) is None  # so it is rebuilt
