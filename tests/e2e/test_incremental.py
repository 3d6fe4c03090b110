"""Incremental builds: only what changed runs; nothing runs when nothing changed."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.processes.execute import ChapterJob
from rapportbok.pipeline.progress import Progress
from tests.e2e.conftest import copy_built, visible_text

pytestmark = pytest.mark.e2e
QUIET = Progress(quiet=True)


class RecordingExecutor(Executor):
    """A custom executor: notes what it is given (a chapter by its name, another step by its function)
    and runs it on a thread pool."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.submitted: list[str] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.submitted.append(args[0].name if isinstance(args[0], ChapterJob) else fn.__name__)
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _append(path: Path, sentence: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def project(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built book, rebuilt without PDF by a custom executor after two texts changed."""
    project = copy_built(built, tmp_path_factory.mktemp("incremental") / "project")
    _append(
        project / "data/kommunstyrelsekontoret/2024/text/viktiga-handelser/riskanalys.md",
        "En ny mening om risker.",
    )
    _append(
        project / "data/kommunstyrelsekontoret/2024/text/arbetsgivare/inledning.md",
        "En ny mening om arbetsgivaren.",
    )
    executor = RecordingExecutor()
    result = build_year(project, 2024, executor=executor, pdf=False, progress=QUIET)
    executor.shutdown()
    chapters = [name for name in executor.submitted if name != "run_jupyter_book"]
    assert sorted(chapters) == sorted(result.chapters_run()) == ["arbetsgivare", "viktiga-handelser"]
    assert executor.submitted.count("run_jupyter_book") == 1  # Jupyter Book runs on the executor too
    assert len(result.reused) == 5
    assert (result.organisation, result.year) == ("kommunstyrelsekontoret", 2024)  # the only organisation
    assert result.html_dir == project.resolve() / "_build/kommunstyrelsekontoret/2024/html"
    return project


def _article(page: bytes) -> str:
    """The page's main content, without the footer (which names the data fingerprint)."""
    html = page.decode()
    return visible_text(html[html.index("<article") : html.index("</article>")])


def _pages(project: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in (project / "_build/kommunstyrelsekontoret/2024/html/chapters").glob("*.html")
    }


def test_nothing_changed_means_nothing_runs(project: Path) -> None:
    """A second build reuses every chapter and starts neither kernels nor Sphinx."""
    before = _pages(project)
    result = build_year(project, 2024, pdf=False, progress=QUIET)
    assert result.unchanged and result.executed == [] and len(result.reused) == 7
    assert _pages(project) == before


# What a build with nothing to do must not load: the data, the chapters', the site's and the PDF's libraries.
HEAVY_MODULES = (
    "pandas",
    "numpy",
    "frictionless",
    "jinja2",
    "matplotlib",
    "markdown_it",
    "nbformat",
    "typst",
    "sphinx",
)


def test_the_command_with_nothing_to_do_loads_none_of_the_build_libraries(project: Path) -> None:
    """`rapportbok build` on an unchanged book says so and loads none of HEAVY_MODULES (the import log
    of `python -X importtime`), which is what makes it answer in under a second."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rapportbok.cli", "build", "--year", "2024", "--no-pdf"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "Inget har ändrats sedan förra bygget" in completed.stdout
    imported = {line.split("|")[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
    assert "rapportbok.pipeline.book" in imported  # the log is the build's own
    assert sorted(imported & set(HEAVY_MODULES)) == []


def test_one_narrative_edit_reruns_exactly_that_chapter(project: Path) -> None:
    """Editing Tjänstegarantier's text re-executes that chapter only; its page shows the new text."""
    before = _pages(project)
    _append(
        project / "data/kommunstyrelsekontoret/2024/text/tjanstegarantier/inforande.md",
        "En helt ny mening om tjänstegarantier.",
    )
    result = build_year(project, 2024, pdf=False, progress=QUIET)
    assert [r.name for r in result.executed] == ["tjanstegarantier"]
    after = _pages(project)
    assert "En helt ny mening om tjänstegarantier." in visible_text(after["tjanstegarantier.html"].decode())
    for name in ("ekonomi.html", "maluppfyllelse.html", "arbetsgivare.html"):
        assert _article(after[name]) == _article(before[name]), name  # the footer's data fingerprint changes


def test_a_data_value_reruns_the_chapters_that_read_it(project: Path) -> None:
    """A changed sick-leave value re-executes Kommunen som arbetsgivare, not Ekonomi."""
    data = project / "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("Nämnden,2024,7,1.4", "Nämnden,2024,7,1.5"), encoding="utf-8"
    )
    result = build_year(project, 2024, pdf=False, progress=QUIET)
    ran = sorted(r.name for r in result.executed)
    assert "arbetsgivare" in ran and "ekonomi" not in ran and "tjanstegarantier" not in ran
    assert "Jul 1,5" in visible_text(
        (project / "_build/kommunstyrelsekontoret/2024/html/chapters/arbetsgivare.html").read_text()
    )


def test_a_damaged_cache_entry_is_redone(project: Path) -> None:
    """A truncated manifest is detected: that chapter runs again, the others are reused."""
    manifest = project / "_build/kommunstyrelsekontoret/2024/.cache/ekonomi/manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8")[:20], encoding="utf-8")
    result = build_year(project, 2024, pdf=False, progress=QUIET)
    assert [r.name for r in result.executed] == ["ekonomi"]
