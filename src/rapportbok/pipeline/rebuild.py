"""The steps of a build that has something to do, in order: validate the year while the stale chapters'
kernels start, execute those chapters, write the site's sources and build the HTML, write the PDF (or reuse
the intact one made from the same inputs), and publish HTML and PDF together as one release."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rapportbok.data.report import Report
from rapportbok.exceptions import ChapterError
from rapportbok.pipeline.inputs.cache import ChapterInputs
from rapportbok.pipeline.processes.execute import ChapterResult
from rapportbok.pipeline.processes.zygote import started_ahead
from rapportbok.pipeline.publishing.provenance import source_date
from rapportbok.pipeline.run import BookRun
from rapportbok.pipeline.steps import chapters as chapter_steps
from rapportbok.pipeline.steps.pdf import PrintSource, pdf_file_name, write_pdf
from rapportbok.pipeline.steps.published import Published, publish_release, site_key
from rapportbok.pipeline.steps.sources import SiteSources, build_site_html, write_sources
from rapportbok.pipeline.steps.validate import validate


def rebuild(
    run: BookRun, inputs: list[ChapterInputs], cached: dict[str, Any], release: Published
) -> tuple[list[ChapterResult], Path | None]:
    """Every step after the no-op check; returns the chapters executed and the PDF (None without one)."""
    with started_ahead(run.processes.environment(), _forked_kernels(run, inputs, cached)):
        report = _validated(run)
        results = _run_chapters(run, inputs, cached)
    notebooks = chapter_steps.executed(run, inputs)
    ran = [result.name for result in results]
    chapter_steps.verify_reads(run, notebooks, ran)
    key = site_key(run, notebooks)
    pdf_name = pdf_file_name(report) if run.options.pdf else None
    sources = write_sources(run, report, notebooks, pdf_name)
    html = _html(run, sources)
    pdf_file = None
    if pdf_name is not None:
        chapters = {item.name: notebooks[item.name] for item in inputs}
        created = source_date(run.root, report).isoformat()
        printed = PrintSource(run.root, report, sources.provenance, created, sources.pages, chapters)
        pdf_file = _pdf(run, release, key, printed, pdf_name)
    chapter_steps.verify_snapshot(run, ran)  # the last read is done: publish only what one version made
    publish_release(run, key, html, pdf_file)
    return results, None if pdf_name is None else run.layout.pdf / pdf_name


def _forked_kernels(run: BookRun, inputs: list[ChapterInputs], cached: dict[str, Any]) -> list[Path]:
    """The stale chapters, whose kernels' zygote imports while the build checks its inputs (none when
    the chapters run on Dask: its workers start fresh kernels)."""
    if run.options.executor is not None:
        return []
    return [item.notebook for item in inputs if not cached[item.name]]


def _validated(run: BookRun) -> Report:
    """The validate step with the build's lines: the warnings, the draft's missing items; the logo
    the PDF's cover reads joins the snapshot."""
    checked = validate(run)
    for warning in checked.warnings:
        run.progress.warning(str(warning))
    if run.options.draft:
        run.progress.step(f"UTKAST: {len(checked.todo)} uppgifter saknas; boken byggs som utkast.")
    report = checked.report
    if report.meta.logo:  # read by the PDF's cover (relative paths are from the project root)
        logo = Path(report.meta.logo)
        run.snapshot.add_file(logo if logo.is_absolute() else run.root / logo)
    return report


def _run_chapters(
    run: BookRun, inputs: list[ChapterInputs], cached: dict[str, Path | None]
) -> list[ChapterResult]:
    """The execute step: the chapters not in the cache run; a failure stops the build (ChapterError,
    or DataChanged when a file was saved meanwhile)."""
    run.processes.record(run.layout.running)
    for item in inputs:
        run.progress.chapter(item.name, "reused" if cached[item.name] else "queued")
    results = chapter_steps.execute(run, [item for item in inputs if cached[item.name] is None])
    failed = [result for result in results if not result.ok]
    if failed:
        chapter_steps.verify_snapshot(run, [result.name for result in results])
        raise ChapterError(chapter_steps.chapter_failures(run, failed))
    return results


def _html(run: BookRun, sources: SiteSources) -> Path:
    """The HTML step with its progress lines."""
    started = time.perf_counter()
    run.progress.step("Bygger webbplatsen med Jupyter Book …")
    html = build_site_html(run, sources)
    run.progress.step(f"Webbplatsen klar på {time.perf_counter() - started:.1f} s")
    return html


def _pdf(run: BookRun, release: Published, key: str, printed: PrintSource, name: str) -> Path:
    """The PDF step: the published PDF when it is intact and made from the same inputs, else a new one."""
    intact = release.intact_pdf(key, name)
    if intact is not None:
        run.progress.step("PDF:en är oförändrad och hel; den återanvänds.")
        return intact
    return write_pdf(run, printed, name)
