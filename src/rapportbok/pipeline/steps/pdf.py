"""The PDF step: the print document of the executed chapters and the generated pages, written as a
tagged PDF by a child process (or reused when the published one is intact)."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.slug import slug
from rapportbok.data.report import Report
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.publishing.pages import GeneratedPage
from rapportbok.pipeline.run import BookRun


@dataclass(frozen=True)
class PrintSource:
    """What the print document is made from: the project, the year, the provenance line and the
    date it names, the generated pages and each chapter's executed notebook."""

    root: Path
    report: Report
    provenance: str
    created: str
    pages: list[GeneratedPage]
    notebooks: dict[str, Path]


def pdf_file_name(report: Report) -> str:
    """<organisation>-<report type>-<year>.pdf, e.g. kommunstyrelsekontoret-verksamhetsberattelse-ÅÅÅÅ.pdf."""
    return f"{slug(report.meta.organisation)}-{slug(report.meta.report_type)}-{report.year}.pdf"


def build_pdf(
    printed: PrintSource,
    target: Path,
    processes: BuildProcesses,
    log: Path,
    executor: Executor | None = None,
) -> Path:
    """The print document written as a tagged PDF by a child process and verified (every figure
    drawn) before it is returned; on `executor` (a Dask cluster) the child and the check run as a
    task there."""
    from rapportbok.pdf.document import chapter_from_notebook, print_document
    from rapportbok.pipeline.processes.pdf_process import render_pdf
    from rapportbok.pipeline.publishing.siteconfig import year_substitutions

    root, report = printed.root, printed.report
    substitutions = year_substitutions(report)
    chapters_html = [
        chapter_from_notebook(path, substitutions, name) for name, path in printed.notebooks.items()
    ]
    chapters_html += [page.print_chapter() for page in printed.pages if page.printed]
    document = print_document(
        report, chapters_html, root, provenance=printed.provenance, created=printed.created
    )
    if executor is not None:
        task = executor.submit(render_pdf, document, target, base_url=root, processes=processes, log=log)
        return task.result()
    return render_pdf(document, target, base_url=root, processes=processes, log=log)


def write_pdf(run: BookRun, printed: PrintSource, name: str) -> Path:
    """The run's PDF, written to its work folder as `name`, with the progress lines."""
    started = time.perf_counter()
    run.progress.step("Skriver PDF …")
    layout = run.layout
    written = build_pdf(printed, layout.pdf_work / name, run.processes, layout.pdf_log, run.options.executor)
    run.progress.step(f"PDF klar på {time.perf_counter() - started:.1f} s")
    return written
