"""Run Jupyter Book 1.x on book/ (notebooks already executed: execute_notebooks is off).

The site is built clean every time: an empty Sphinx output folder and a new environment. Sphinx's
incremental build does not give the bytes of a clean one: it reads back the previous search index
(the words of a changed page stay in it, with no pages), and it adds a `?v=` checksum to the link of
a stylesheet only if the file is already in the output folder, which myst-nb's is only when a
previous build left it (myst-nb copies it when the build ends). The expensive part, executing the
chapters, is cached before Sphinx runs; Sphinx clean costs about what it costs incremental
(benchmarks/sphinx_times.py), and nothing an earlier or interrupted build left can reach the site.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.exceptions import SiteBuildError
from rapportbok.pipeline.processes.owned import BuildProcesses, child_command, run_child

LOG_TAIL_LINES = 30
COLOURS = re.compile(r"\x1b\[[0-9;]*m")
DISK_FULL = ("[Errno 28]", "No space left on device")
SPHINX_OUTPUT = "_build"  # under the work folder: Jupyter Book's html/, .doctrees/, jupyter_execute/
# Written by Sphinx and loaded by nothing: the theme searches with rapportbok's own index
# (pipeline/publishing/search_index.py) and the book links to no other Sphinx project.
NOT_PUBLISHED = ("searchindex.js", "objects.inv")
# Runs Jupyter Book with (arguments, extra environment, log) and returns (exit code, what it printed).
Runner = Callable[[list[str], dict[str, str], Path], tuple[int, str]]


@dataclass(frozen=True)
class SphinxProject:
    """What Jupyter Book builds: the project `root`, the Sphinx `source` folder, the year's `config`,
    the `work` folder (output under work/_build), the dates' `epoch` (SOURCE_DATE_EPOCH) and the
    book's table of contents (`toc`; default: the project's _toc.yml; inputs.toc.write_book_toc)."""

    root: Path
    source: Path
    config: Path
    work: Path
    epoch: int
    toc: Path | None = None


def build_html(
    project: SphinxProject,
    processes: BuildProcesses,
    runner: Runner | None = None,
    clean: bool = True,
) -> Path:
    """Build the HTML site from `project.source` into `project.work/_build/html` and return that folder.

    The Sphinx output folder is emptied first, so the site is the same as from a clean build whatever
    an earlier build (finished, failed or interrupted) left there. Sphinx runs as a child of the build
    (`processes`): it ends with the build, also when the build is interrupted.
    `runner` runs Jupyter Book some other way with the same arguments (the preview's warm process);
    `clean=False` (the preview) keeps the output folder, so Sphinx writes only the changed pages.
    """
    root, source, config, work_dir, toc = (
        project.root,
        project.source,
        project.config,
        project.work,
        project.toc,
    )
    source_date_epoch = project.epoch
    output = work_dir / SPHINX_OUTPUT
    if clean:
        clear_folder(output)
    arguments = [
        "build",
        str(source.resolve()),
        "--config",
        str(config.resolve()),
        "--toc",
        str((toc or root / "_toc.yml").resolve()),
        "--path-output",
        str(work_dir.resolve()),
        "--builder",
        "html",
    ]
    # Dates come from the data, not the clock.
    dates = {"SOURCE_DATE_EPOCH": str(source_date_epoch)}
    log = work_dir / "jupyter-book.log"

    def in_child(arguments: list[str], extra: dict[str, str], log: Path) -> tuple[int, str]:
        return run_jupyter_book(arguments, extra, log, root=root, processes=processes)

    returncode, printed = (runner or in_child)(arguments, dates, log)
    html = output / "html"
    if returncode != 0 or not (html / "index.html").is_file():
        printed = COLOURS.sub("", printed)
        shown = display_path(log, root)
        if any(sign in printed for sign in DISK_FULL):
            raise SiteBuildError(
                f"Jupyter Book kunde inte bygga webbplatsen: disken är full där bygget skriver "
                f"({display_path(work_dir, root)}). Frigör utrymme och bygg igen (logg: {shown}).",
                log=shown,
            )
        tail = "\n".join(printed.splitlines()[-LOG_TAIL_LINES:])
        raise SiteBuildError(f"Jupyter Book kunde inte bygga webbplatsen (logg: {shown}):\n{tail}", log=shown)
    for name in NOT_PUBLISHED:
        (html / name).unlink(missing_ok=True)
    return html


def run_jupyter_book(
    arguments: list[str], extra: dict[str, str], log: Path, *, root: Path, processes: BuildProcesses
) -> tuple[int, str]:
    """Run Jupyter Book as a child of this process (the build's, or a Dask worker's: `processes` marks
    it as the build's either way); return its exit code and what it printed (also in `log`)."""
    command = child_command("from jupyter_book.cli.main import main; main()", *arguments)
    completed = run_child(command, cwd=root, env=processes.child_environment(extra), log=log)
    return completed.returncode, completed.stdout


def on_executor(executor: Executor, root: Path, processes: BuildProcesses) -> Runner:
    """A runner that runs Jupyter Book as a task on `executor` (e.g. a Dask worker), waiting for it."""

    def run(arguments: list[str], extra: dict[str, str], log: Path) -> tuple[int, str]:
        task = executor.submit(run_jupyter_book, arguments, extra, log, root=root, processes=processes)
        return task.result()

    return run


def clear_folder(folder: Path) -> None:
    """Remove `folder` and everything in it (a symbolic link is removed, not followed)."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
