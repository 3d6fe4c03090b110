"""`rapportbok build`: the driver that runs one book's steps in order (pipeline/steps/): validate,
execute the chapters that changed, build the site and the PDF, publish them atomically. When nothing
changed, nothing runs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapportbok.core.book import BookId
from rapportbok.core.layout import BUILD_FOLDER, YearLayout, protected_folders
from rapportbok.core.paths import display_path
from rapportbok.data.report import Report
from rapportbok.exceptions import ChapterError, PublishError, UsageError
from rapportbok.pipeline.inputs.cache import ChapterInputs
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.processes.execute import ChapterResult
from rapportbok.pipeline.processes.interrupt import signals_deferred
from rapportbok.pipeline.processes.owned import BuildProcesses, stop_leftovers
from rapportbok.pipeline.processes.zygote import started_ahead
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import explain, publish
from rapportbok.pipeline.publishing.explain import Wording
from rapportbok.pipeline.publishing.lock import book_lock
from rapportbok.pipeline.publishing.provenance import source_date
from rapportbok.pipeline.run import BookRun, BuildOptions, checked_book, require_book_folders
from rapportbok.pipeline.steps import chapters as chapter_steps
from rapportbok.pipeline.steps.cleanup import clean_up
from rapportbok.pipeline.steps.pdf import PrintSource, pdf_file_name, write_pdf
from rapportbok.pipeline.steps.published import (
    Published,
    publish_release,
    published,
    published_pdf,
    site_key,
    still_published,
)
from rapportbok.pipeline.steps.sources import SiteSources, build_site_html, write_sources
from rapportbok.pipeline.steps.validate import validate


@dataclass
class BuildResult:
    """Which book (organisation and year), where its published site and PDF are, and what was executed
    or reused."""

    organisation: str
    year: int
    html_dir: Path
    executed: list[ChapterResult] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    pdf: Path | None = None
    unchanged: bool = False

    @property
    def index(self) -> Path:
        return self.html_dir / "index.html"

    def chapters_run(self) -> list[str]:
        """The chapters executed in this build."""
        return [result.name for result in self.executed]


def build_year(
    root: Path, year: int, organisation: str | None = None, progress: Progress | None = None, **options: Any
) -> BuildResult:
    """build_book of `organisation` (default: the only one in data/) and `year` in the project `root`;
    `options` are BuildOptions' fields (for callers without the command, such as tests)."""
    return build_book(checked_book(root, organisation, year), BuildOptions(**options), progress)


def build_book(book: BookId, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build `book` from `data/<org>/<year>/` into `<build_root>/<org>/<year>/html` and, unless
    options.pdf is false, its PDF into `<build_root>/<org>/<year>/pdf/` (default build root: `_build`).
    Chapters whose inputs are unchanged are reused from the cache (`force` re-executes all). A cell
    that runs longer than `timeout` seconds stops its chapter.

    HTML and PDF are published together as one release: a failed or interrupted build leaves both as
    they were (the exception's note says what is published). The processes the build started end
    with it – only those. Each book has its own folder and lock: books of other organisations or years
    may build at the same time, and are never touched.

    The build reads one snapshot of the year: it holds the organisation's data lock shared while it
    reads (a writer such as `import` is waited for a few seconds, then DataBusy), and a file changed
    meanwhile by a writer that takes no lock (an editor) is noticed by its hash before anything is
    published (DataChanged, nothing published). `data/` and the project's other inputs must stay inside
    the project (UsageError otherwise, before anything is read; require_book_folders)."""
    book = replace(book, root=book.root.resolve())
    require_book_folders(book)
    progress = progress or Progress()
    layout = book.layout((options.build_root or book.root / BUILD_FOLDER).resolve())
    refuse_build_root(book.root, layout)
    wording = book_wording(book, layout)
    try:
        with book_lock(layout.lock, book.organisation, book.year):
            return _build_locked(BookRun(book, layout, options, BuildProcesses(), progress), wording)
    except OSError as error:  # before anything ran: the lock or the build folder cannot be written
        raise PublishError(explain.unwritable(error, book.root, wording)) from error


def book_wording(book: BookId, layout: YearLayout) -> Wording:
    """What a build of `book` says about its release when it fails."""
    paths = f"{display_path(layout.html, book.root)} och {display_path(layout.pdf, book.root)}"
    return Wording(
        nothing=f"Ingen version av {book.name} är publicerad.",
        untouched=f"Den senast publicerade versionen ({paths}) är orörd.",
        replaced=f"Den nya versionen hann publiceras ({paths}) innan bygget stoppades.",
        interrupted=f"Bygget av {book.name} avbröts.",
        unwritable="Bygget kunde inte skriva sina filer.",
    )


def _build_locked(run: BookRun, wording: Wording) -> BuildResult:
    """The build with the book's lock held: clean up after a killed build, build, and on any failure
    end the build's processes and say truly what is published."""
    layout = run.layout
    stop_leftovers(layout.running)  # a build of this book that was killed outright
    publish.prepare(layout.releases)
    before = publish.current_release(layout.releases)
    try:
        with reading_data([run.book.org_dir], run.progress):  # no writer while the year is read
            result = _build(run)
        with signals_deferred():
            clean_up(layout, run.processes)
        return result
    except BaseException as error:
        with signals_deferred():
            clean_up(layout, run.processes)
        explained = explain.explained(error, run.root, layout.releases, before, wording)
        if explained is error:
            raise
        raise explained from error


def refuse_build_root(root: Path, layout: YearLayout) -> None:
    """The build folder may not be the project itself, nor lie in data/, notebooks/, book/ or src/."""
    build_root = layout.build_root
    shown = display_path(build_root, root)
    if build_root == root or root.is_relative_to(layout.folder):
        raise UsageError(
            f"Byggmappen (--output) {shown} är projektets rotmapp: bygget skulle skriva bland "
            "projektets egna filer. Välj en egen mapp, t.ex. _build."
        )
    for folder in protected_folders(root):
        if build_root.is_relative_to(folder.resolve()) or build_root.is_relative_to(folder):
            raise UsageError(
                f"Byggmappen (--output) {shown} ligger i {folder.name}/: där får bygget inte skriva. "
                "Välj en mapp utanför data/, notebooks/, book/ och src/, t.ex. _build."
            )


def _build(run: BookRun) -> BuildResult:
    """The steps, in order; nothing runs when the published release is made from the same inputs."""
    run.capture()
    book, options = run.book, run.options
    inputs = run.chapters()
    cached = {item.name: None if options.force else run.cache.lookup(item) for item in inputs}
    release = published(run)
    if all(cached.values()) and still_published(run, release, site_key(run, cached)):
        run.progress.step(f"Inget har ändrats sedan förra bygget av {book.name}; inget körs.")
        pdf_file = published_pdf(run.layout.pdf) if options.pdf else None
        return BuildResult(
            book.organisation, book.year, run.layout.html, reused=list(cached), pdf=pdf_file, unchanged=True
        )
    with started_ahead(run.processes.environment(), _forked_kernels(run, inputs, cached)):
        report = _validated(run)
        results = _run_chapters(run, inputs, cached)
    notebooks = chapter_steps.executed(run, inputs)
    ran = [result.name for result in results]
    chapter_steps.verify_reads(run, notebooks, ran)
    key = site_key(run, notebooks)
    pdf_name = pdf_file_name(report) if options.pdf else None
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
    return BuildResult(
        book.organisation,
        book.year,
        run.layout.html,
        executed=results,
        reused=[i.name for i in inputs if cached[i.name]],
        pdf=None if pdf_name is None else run.layout.pdf / pdf_name,
    )


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
