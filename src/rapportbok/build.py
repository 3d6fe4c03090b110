"""`rapportbok build`: validate, execute the chapters, build the site, publish it atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from rapportbok.check import require_valid
from rapportbok.errors import ChapterError
from rapportbok.execute import ChapterJob, ChapterResult, run_chapters
from rapportbok.paths import display_path
from rapportbok.publish import publish_tree, recover_interrupted
from rapportbok.siteconfig import write_year_config
from rapportbok.sphinx import build_html
from rapportbok.toc import CHAPTER_FOLDER, chapters

Log = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """Where the published site is, and how each chapter went."""

    html_dir: Path
    chapters: list[ChapterResult]

    @property
    def index(self) -> Path:
        return self.html_dir / "index.html"


def build_year(
    root: Path,
    year: int,
    *,
    jobs: int | None = None,
    build_root: Path | None = None,
    executor: Executor | None = None,
    log: Log = print,
) -> BuildResult:
    """Build the book of `year` into `<build_root>/<year>/html` (default build root: `_build`)."""
    root = root.resolve()
    out = (build_root or root / "_build").resolve() / str(year)
    html_target = out / "html"
    recover_interrupted(html_target)

    checked = require_valid(year, root / "data")
    for warning in checked.warnings:
        log(f"Varning: {warning}")

    results = _execute(root, year, jobs or os.cpu_count() or 1, executor, log)
    failed = [result for result in results if not result.ok]
    if failed:
        raise ChapterError(
            "\n".join(
                f"Kapitlet {result.name} misslyckades: {result.error}\n"
                f"  Den körda notebooken finns kvar för felsökning: {display_path(result.output, root)}"
                for result in failed
            )
            + f"\nDen tidigare publicerade webbplatsen {display_path(html_target, root)} är orörd."
        )

    work = out / ".work"
    config = write_year_config(root, checked.report, work / "_config.yml")
    log("Bygger webbplatsen med Jupyter Book …")
    html = build_html(root, config, work)
    publish_tree(html, html_target)
    return BuildResult(html_target, results)


def _execute(root: Path, year: int, jobs: int, executor: Executor | None, log: Log) -> list[ChapterResult]:
    generated = root / "book" / CHAPTER_FOLDER
    if generated.exists():
        shutil.rmtree(generated)
    generated.mkdir(parents=True)
    chapter_jobs = [
        ChapterJob(
            name=chapter.name,
            source=chapter.notebook(root),
            output=generated / f"{chapter.name}.ipynb",
            parameters={"year": year, "data_dir": str(root / "data")},
            cwd=root / "notebooks",
        )
        for chapter in chapters(root)
    ]
    log(f"Kör {len(chapter_jobs)} kapitel ({jobs} parallellt) …")

    def report(result: ChapterResult) -> None:
        state = "klart" if result.ok else "MISSLYCKADES"
        log(f"  {result.name}: {state} på {result.seconds:.1f} s")

    return run_chapters(chapter_jobs, max_workers=jobs, executor=executor, on_done=report)
