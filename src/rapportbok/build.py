"""`rapportbok build`: validate, execute the chapters, build the site, publish it atomically."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from rapportbok.check import require_valid
from rapportbok.errors import ChapterError
from rapportbok.execute import ChapterJob, ChapterResult, run_chapters
from rapportbok.paths import display_path
from rapportbok.pdf import write_pdf
from rapportbok.printdoc import chapter_from_notebook, print_document
from rapportbok.publish import publish_tree, recover_interrupted
from rapportbok.report import Report
from rapportbok.siteconfig import write_year_config, year_substitutions
from rapportbok.sphinx import build_html
from rapportbok.tables import slug
from rapportbok.toc import CHAPTER_FOLDER, chapters

Log = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """Where the published site is, and how each chapter went."""

    html_dir: Path
    chapters: list[ChapterResult]
    pdf: Path | None = None

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
    pdf: bool = True,
    draft: bool = False,
    log: Log = print,
) -> BuildResult:
    """Build the book of `year` into `<build_root>/<year>/html` and, unless pdf=False, the PDF into
    `<build_root>/<year>/pdf/` (default build root: `_build`)."""
    root = root.resolve()
    out = (build_root or root / "_build").resolve() / str(year)
    html_target = out / "html"
    recover_interrupted(html_target)

    checked = require_valid(year, root / "data", draft=draft)
    if draft:
        log(f"UTKAST: {len(checked.todo)} uppgifter saknas; boken byggs som utkast.")
    for warning in checked.warnings:
        log(f"Varning: {warning}")

    results = _execute(root, year, draft, jobs or os.cpu_count() or 1, executor, log)
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

    report = checked.report
    work = out / ".work"
    pdf_name = pdf_file_name(report) if pdf else None
    config = write_year_config(root, report, work / "_config.yml", pdf_name=pdf_name)
    log("Bygger webbplatsen med Jupyter Book …")
    html = build_html(root, config, work)
    pdf_target = None
    if pdf_name is not None:
        started = time.perf_counter()
        pdf_dir = work / "pdf"
        written = build_pdf(root, report, [result.output for result in results], pdf_dir / pdf_name)
        shutil.copy2(written, html / pdf_name)  # the site links to its own copy
        log(f"PDF klar på {time.perf_counter() - started:.1f} s")
        pdf_target = publish_tree(pdf_dir, out / "pdf") / pdf_name
    publish_tree(html, html_target)
    return BuildResult(html_target, results, pdf_target)


def pdf_file_name(report: Report) -> str:
    """<organisation>-<report type>-<year>.pdf, e.g. kommunstyrelsekontoret-verksamhetsberattelse-ÅÅÅÅ.pdf."""
    return f"{slug(report.meta.organisation)}-{slug(report.meta.report_type)}-{report.year}.pdf"


def build_pdf(root: Path, report: Report, notebooks: list[Path], target: Path) -> Path:
    """The print document of the executed chapters, written as a tagged PDF."""
    substitutions = year_substitutions(report)
    chapters = [chapter_from_notebook(path, substitutions) for path in notebooks]
    return write_pdf(print_document(report, chapters, root), target, base_url=root)


def _execute(
    root: Path, year: int, draft: bool, jobs: int, executor: Executor | None, log: Log
) -> list[ChapterResult]:
    generated = root / "book" / CHAPTER_FOLDER
    if generated.exists():
        shutil.rmtree(generated)
    generated.mkdir(parents=True)
    chapter_jobs = [
        ChapterJob(
            name=chapter.name,
            source=chapter.notebook(root),
            output=generated / f"{chapter.name}.ipynb",
            parameters={"year": year, "data_dir": str(root / "data"), "draft": draft},
            cwd=root / "notebooks",
        )
        for chapter in chapters(root)
    ]
    log(f"Kör {len(chapter_jobs)} kapitel ({jobs} parallellt) …")

    def report(result: ChapterResult) -> None:
        state = "klart" if result.ok else "MISSLYCKADES"
        log(f"  {result.name}: {state} på {result.seconds:.1f} s")

    return run_chapters(chapter_jobs, max_workers=jobs, executor=executor, on_done=report)
