"""Same inputs, same bytes, whatever the path: every published file (HTML and PDF) of a book that was
edited, built, restored and built again – or rebuilt with `--force`, or built after a build that was
stopped while Sphinx ran – is byte for byte the file of a clean build of the same inputs. The paths are
taken on the one-chapter book (`small_built`): they are the same for seven chapters; that two clean builds
of the whole book agree is test_trust.py's."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.e2e.conftest import copy_built, rapportbok

pytestmark = pytest.mark.e2e
TEXT = "data/kommunstyrelsekontoret/2024/text/arbetsgivare/inledning.md"
SENTENCE = "En helt ny mening om sårbarheter i verksamheten."
SPHINX_RAN = "Bygger webbplatsen med Jupyter Book"
SPHINX_COMMAND = "jupyter_book.cli.main"


def published(project: Path) -> dict[str, str]:
    """SHA-256 of every published file, by its path under `_build/kommunstyrelsekontoret/2024`
    (html/… and pdf/…)."""
    year = project / "_build/kommunstyrelsekontoret/2024"
    return {
        f"{part}/{path.relative_to(year / part).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for part in ("html", "pdf")
        for path in sorted((year / part).rglob("*"))
        if path.is_file()
    }


def differing(left: dict[str, str], right: dict[str, str]) -> list[str]:
    """The files that are in one set only or differ in content."""
    return [name for name in sorted(set(left) | set(right)) if left.get(name) != right.get(name)]


def _edit(project: Path) -> bytes:
    """Add a sentence to a narrative text; return the text as it was."""
    path = project / TEXT
    original = path.read_bytes()
    path.write_bytes(original + f"\n{SENTENCE}\n".encode())
    return original


def _build(project: Path, *args: str) -> str:
    completed = rapportbok(project, "build", "--year", "2024", "--jobs", "2", *args)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert SPHINX_RAN in completed.stdout, completed.stdout  # a real rebuild, not "nothing changed"
    return completed.stdout


@pytest.fixture(scope="module")
def clean(small_built: Path) -> dict[str, str]:
    """The published files of the clean build (`small_built`: an empty build folder, HTML and PDF)."""
    files = published(small_built)
    assert any(name.startswith("pdf/") for name in files) and "html/index.html" in files
    return files


@pytest.fixture(scope="module")
def project(small_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of `small_built` after: edit a text → build without PDF → restore the text → build."""
    project = copy_built(small_built, tmp_path_factory.mktemp("same-bytes") / "project")
    original = _edit(project)
    _build(project, "--no-pdf")
    page = (project / "_build/kommunstyrelsekontoret/2024/html/chapters/arbetsgivare.html").read_text(
        encoding="utf-8"
    )
    assert SENTENCE in page
    (project / TEXT).write_bytes(original)
    _build(project)
    return project


def test_edit_build_restore_build_gives_the_bytes_of_a_clean_build(
    project: Path, clean: dict[str, str]
) -> None:
    """After an edit, a build without PDF, the restore and a build with PDF, every published file
    (Sphinx's asset links, the search index and the PDF included) equals the clean build's."""
    assert differing(published(project), clean) == []


def test_a_forced_build_gives_the_bytes_of_a_clean_build(project: Path, clean: dict[str, str]) -> None:
    """`--force` runs every chapter and the site again, in a build folder with a history: same bytes."""
    _build(project, "--force")
    assert differing(published(project), clean) == []


def _doctrees_written(doctrees: Path, started: float) -> list[Path]:
    """The doctrees written since `started`; Sphinx creates and replaces folders while we look."""
    try:
        return [p for p in doctrees.rglob("*.doctree") if p.stat().st_mtime >= started]
    except FileNotFoundError:
        return []


def _sphinx_has_read(build: subprocess.Popen, doctrees: Path, started: float) -> None:
    """Wait until the build's Sphinx process runs and has written a doctree in this build."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()
        sphinx = []
        for child in psutil.Process(build.pid).children(recursive=True):
            try:
                sphinx += [child] if SPHINX_COMMAND in " ".join(child.cmdline()) else []
            except psutil.Error:
                continue
        if sphinx and _doctrees_written(doctrees, started):
            return
        time.sleep(0.02)
    raise AssertionError("Sphinx never got going")


def test_a_build_after_one_stopped_in_sphinx_gives_the_bytes_of_a_clean_build(
    project: Path, clean: dict[str, str]
) -> None:
    """SIGTERM while Sphinx writes the edited book, then the text restored and a build: same bytes
    as the clean build (nothing Sphinx left half-written is used)."""
    original = _edit(project)
    started = time.time() - 1  # file times may be coarser than the clock
    build = subprocess.Popen(
        [sys.executable, "-m", "rapportbok.cli", "build", "--year", "2024", "--jobs", "2"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _sphinx_has_read(build, project / "_build/kommunstyrelsekontoret/2024/.work/_build/.doctrees", started)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=300)
    assert build.returncode == 130, err
    assert "Bygget av kommunstyrelsekontoret 2024 avbröts" in err
    (project / TEXT).write_bytes(original)
    _build(project)
    assert differing(published(project), clean) == []


def test_sphinx_search_files_are_not_published(clean: dict[str, str]) -> None:
    """The theme searches with rapportbok's own index (sokindex.js); Sphinx's searchindex.js and
    objects.inv, which nothing loads, are not published."""
    assert "html/_static/sokindex.js" in clean
    assert "html/searchindex.js" not in clean and "html/objects.inv" not in clean
