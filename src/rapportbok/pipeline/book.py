"""`rapportbok build`: validate, execute the chapters that changed, build the site and the PDF,
publish them atomically. When nothing changed, nothing runs."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapportbok.checks.check import require_valid
from rapportbok.core.book import BookId
from rapportbok.core.layout import BUILD_FOLDER, RUN_FOLDER, YearLayout, book_layout, protected_folders
from rapportbok.core.paths import display_path, require_inside_project
from rapportbok.core.slug import slug
from rapportbok.data.load import left_out_chapters
from rapportbok.data.organisations import organisation_dir, resolve_organisation
from rapportbok.data.report import Report
from rapportbok.data.years import real_year_dir, year_dir
from rapportbok.exceptions import (
    BuildInterrupted,
    ChapterError,
    ChapterFailure,
    DataChanged,
    PublishError,
    RapportbokError,
    UsageError,
)
from rapportbok.pipeline.inputs.cache import MANIFEST, ChapterCache, ChapterInputs
from rapportbok.pipeline.inputs.fingerprint import code_hash, file_hash, tree_hash, value_hash
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.inputs.snapshot import InputSnapshot, changed_details, recorded_reads
from rapportbok.pipeline.inputs.toc import CHAPTER_FOLDER, TOC_FILE, book_chapters, write_book_toc
from rapportbok.pipeline.processes.execute import ChapterJob, ChapterResult, run_chapters
from rapportbok.pipeline.processes.interrupt import signals_deferred
from rapportbok.pipeline.processes.owned import BuildProcesses, stop_leftovers
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import publish
from rapportbok.pipeline.publishing.lock import book_lock
from rapportbok.pipeline.publishing.pages import GeneratedPage, generated_pages
from rapportbok.pipeline.publishing.provenance import (
    git_state,
    provenance_line,
    source_date,
    source_date_epoch,
)
from rapportbok.pipeline.publishing.search_index import write_search_index
from rapportbok.pipeline.publishing.siteconfig import write_year_config
from rapportbok.views.tillganglighet import CONFIG_FILE

DEFAULT_TIMEOUT = 600
AUTHORED = "book"


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


@dataclass(frozen=True)
class BuildState:
    """What the repository looked like when a build started, computed once per build and passed down
    (never cached for the life of the process: a second build in one session sees a new commit)."""

    code: str  # the package's code and the locked dependencies (fingerprint.code_hash)
    git: str  # the commit, and whether the working tree had changes (provenance.git_state)

    @classmethod
    def capture(cls, root: Path) -> BuildState:
        return cls(code_hash(root), git_state(root))


def build_year(
    root: Path,
    year: int,
    *,
    organisation: str | None = None,
    jobs: int | None = None,
    build_root: Path | None = None,
    executor: Executor | None = None,
    pdf: bool = True,
    draft: bool = False,
    force: bool = False,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the book of `organisation` (default: the only one in data/) and `year` from
    `data/<org>/<year>/` into `<build_root>/<org>/<year>/html` and, unless pdf=False, its PDF into
    `<build_root>/<org>/<year>/pdf/` (default build root: `_build`). Chapters whose inputs are unchanged
    are reused from the cache (`force` re-executes all). A cell that runs longer than `timeout`
    seconds stops its chapter.

    HTML and PDF are published together as one release: a failed or interrupted build leaves both as
    they were (the exception's note says what is published). The processes the build started end
    with it – only those. Each book has its own folder and lock: books of other organisations or years
    may build at the same time, and are never touched.

    The build reads one snapshot of the year: it holds the organisation's data lock shared while it
    reads (a writer such as `import` is waited for a few seconds, then DataBusy), and a file changed
    meanwhile by a writer that takes no lock (an editor) is noticed by its hash before anything is
    published (DataChanged, nothing published). `data/` and the project's other inputs must stay inside
    the project (UsageError otherwise, before anything is read)."""
    progress = progress or Progress()
    root = root.resolve()
    book = Book.of(root, organisation, year)
    layout = book_layout((build_root or root / BUILD_FOLDER).resolve(), book.organisation, year)
    refuse_build_root(root, layout)
    try:
        with book_lock(layout.lock, book.organisation, year):
            return _build_locked(book, layout, jobs, executor, pdf, draft, force, timeout, progress)
    except OSError as error:  # before anything ran: the lock or the build folder cannot be written
        shown = publish.describe_os_error(error, lambda path: display_path(path, root))
        raise PublishError(f"Bygget kunde inte skriva sina filer. {shown}") from error


@dataclass(frozen=True)
class Book:
    """One organisation's book of one year, in the project `root`."""

    root: Path
    organisation: str
    year: int

    @classmethod
    def of(cls, root: Path, organisation: str | None, year: int) -> Book:
        """The book of `organisation` (default: the only one) in the project `root`, after checking that
        the project's inputs stay inside the project and that neither the organisation's folder nor the
        year's is a symbolic link (UsageError)."""
        require_inside_project(root)
        data_root = root / "data"
        folder = organisation_dir(data_root, resolve_organisation(data_root, organisation))
        real_year_dir(folder, year)
        return cls(root, folder.name, year)

    @property
    def data_dir(self) -> Path:
        """The organisation's folder, data/<org> (the chapters' `data_dir` parameter)."""
        return self.root / "data" / self.organisation

    @property
    def name(self) -> str:
        """How messages name the book: 'kommunstyrelsekontoret 2024'."""
        return f"{self.organisation} {self.year}"


def _build_locked(
    book: Book,
    layout: YearLayout,
    jobs: int | None,
    executor: Executor | None,
    pdf: bool,
    draft: bool,
    force: bool,
    timeout: int,
    progress: Progress,
) -> BuildResult:
    """The build with the book's lock held: clean up after a killed build, build, and on any failure
    end the build's processes and say truly what is published."""
    root = book.root
    stop_leftovers(layout.running)  # a build of this book that was killed outright
    publish.prepare(layout.releases)
    before = publish.current_release(layout.releases)
    processes = BuildProcesses()
    try:
        with reading_data([book.data_dir], progress):  # no writer while the year is read
            result = _build(book, layout, jobs, executor, pdf, draft, force, timeout, progress, processes)
        with signals_deferred():
            _clean_up(layout, processes)
        return result
    except BaseException as error:
        with signals_deferred():
            _clean_up(layout, processes)
        explained = _explained(error, root, layout, book.name, before)
        if explained is error:
            raise
        raise explained from error


def refuse_build_root(root: Path, layout: YearLayout) -> None:
    """The build folder may not be the project itself, nor lie in data/, notebooks/, book/ or src/."""
    build_root = layout.folder.parent.parent  # <build_root>/<org>/<year>
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


def _clean_up(layout: YearLayout, processes: BuildProcesses) -> None:
    """End the build's processes (if it started any) and remove its temporary files."""
    if layout.running.exists():
        processes.stop()
        layout.running.unlink(missing_ok=True)
    remove_temporary(layout)
    publish.discard_unpublished(layout.releases)


def _explained(
    error: BaseException, root: Path, layout: YearLayout, book: str, before: Path | None
) -> BaseException:
    """The error as the analyst should see it, with a true note of what is published now."""
    now = publish.current_release(layout.releases)
    paths = f"{display_path(layout.html, root)} och {display_path(layout.pdf, root)}"
    if now is None:
        note = f"Ingen version av {book} är publicerad."
    elif before is not None and now.resolve() == before.resolve():
        note = f"Den senast publicerade versionen ({paths}) är orörd."
    else:
        note = f"Den nya versionen hann publiceras ({paths}) innan bygget stoppades."
    if isinstance(error, BuildInterrupted | KeyboardInterrupt):
        return BuildInterrupted(f"Bygget av {book} avbröts. {note}")
    if isinstance(error, OSError) and not isinstance(error, RapportbokError):
        shown = publish.describe_os_error(error, lambda path: display_path(path, root))
        return PublishError(f"Bygget kunde inte skriva sina filer. {shown}\n{note}")
    if isinstance(error, RapportbokError):
        error.add_note(note)
    return error


def _build(
    book: Book,
    layout: YearLayout,
    jobs: int | None,
    executor: Executor | None,
    pdf: bool,
    draft: bool,
    force: bool,
    timeout: int,
    progress: Progress,
    processes: BuildProcesses,
) -> BuildResult:
    root, year = book.root, book.year
    snapshot = InputSnapshot.of_book(root, book.data_dir, year)  # before the first read of the year
    state = BuildState.capture(root)
    cache = ChapterCache(layout.cache, root, state.code)
    # data_dir is absolute here; the cache key and the pages take it relative to the project (same bytes
    # in any folder).
    parameters = {"year": year, "data_dir": str(book.data_dir), "draft": draft}
    left_out = left_out_chapters(book.data_dir, year)  # rapport.yml utelamnade_kapitel
    inputs = [ChapterInputs(c.name, c.notebook(root), parameters) for c in book_chapters(root, left_out)]
    origin = {"git": state.git, "data": snapshot.digest(year_dir(book.data_dir, year))}
    cached = {item.name: None if force else cache.lookup(item) for item in inputs}

    site_key = _site_key(root, cached, draft, pdf, origin, state.code)
    published = publish.current_release(layout.releases)
    manifest = publish.read_manifest(published)
    unchanged = manifest is not None and manifest["key"] == site_key and all(cached.values())
    if published is not None and manifest is not None and unchanged:
        damaged = publish.damaged_files(published, manifest)
        if not damaged:
            progress.step(f"Inget har ändrats sedan förra bygget av {book.name}; inget körs.")
            pdf_file = _pdf_path(layout.pdf) if pdf else None
            return BuildResult(
                book.organisation, year, layout.html, reused=list(cached), pdf=pdf_file, unchanged=True
            )
        shown = ", ".join(damaged[:3]) + (f" och {len(damaged) - 3} till" if len(damaged) > 3 else "")
        progress.step(
            f"Den publicerade versionen av {book.name} stämmer inte med sitt manifest "
            f"({len(damaged)} {'fil' if len(damaged) == 1 else 'filer'} saknas eller har ändrats: "
            f"{shown}); den byggs om."
        )

    checked = require_valid(BookId(book.organisation, year, root), draft=draft, text_timeout=timeout)
    for warning in checked.warnings:
        progress.warning(str(warning))
    if draft:
        progress.step(f"UTKAST: {len(checked.todo)} uppgifter saknas; boken byggs som utkast.")
    report = checked.report
    if report.meta.logo:  # read by the PDF's cover (relative paths are from the project root)
        logo = Path(report.meta.logo)
        snapshot.add_file(logo if logo.is_absolute() else root / logo)

    processes.record(layout.running)
    stale = [item for item in inputs if cached[item.name] is None]
    for item in inputs:
        progress.chapter(item.name, "reused" if cached[item.name] else "queued")
    results = _execute(stale, cache, jobs or os.cpu_count() or 1, executor, timeout, progress, processes)
    ran = [result.name for result in results]
    failed = [result for result in results if not result.ok]
    if failed:
        verify_snapshot(snapshot, cache, ran)  # a chapter that failed on a file saved meanwhile
        raise ChapterError(
            [
                ChapterFailure(
                    r.name,
                    r.error or "",
                    display_path(r.output, root),
                    r.cell,
                    organisation=book.organisation,
                    year=year,
                )
                for r in failed
            ]
        )
    executed = {item.name: cache.lookup(item) for item in inputs}
    verify_reads(snapshot, cache, executed, ran)
    site_key = _site_key(root, executed, draft, pdf, origin, state.code)
    provenance = provenance_line(state.git, report)
    epoch = source_date_epoch(root, report)

    pages = generated_pages(root, report, provenance)
    source = sync_source(root, layout.source, executed, generated=[page.file_name for page in pages])
    for page in pages:
        page.write(source)
    pdf_name = pdf_file_name(report) if pdf else None
    config = write_year_config(root, report, layout.config, pdf_name=pdf_name)
    started = time.perf_counter()
    progress.step("Bygger webbplatsen med Jupyter Book …")
    from rapportbok.pipeline.processes.sphinx import build_html, on_executor

    toc = write_book_toc(root, report.meta.left_out_chapters, layout.work / TOC_FILE)
    # On an executor of its own (a Dask cluster) Sphinx runs as a task there too, like the chapters.
    runner = None if executor is None else on_executor(executor, root, processes)
    html = build_html(root, source, config, layout.work, epoch, processes, runner=runner, toc=toc)
    progress.step(f"Webbplatsen klar på {time.perf_counter() - started:.1f} s")
    pdf_file = None
    if pdf_name is not None:
        pdf_file = _intact_pdf(published, manifest, site_key, pdf_name)
        if pdf_file is not None:
            progress.step("PDF:en är oförändrad och hel; den återanvänds.")
        else:
            started = time.perf_counter()
            progress.step("Skriver PDF …")
            pdf_file = build_pdf(
                provenance,
                source_date(root, report).isoformat(),
                pages,
                root,
                report,
                {item.name: executed[item.name] for item in inputs},
                layout.pdf_work / pdf_name,
                processes=processes,
                log=layout.pdf_log,
                executor=executor,
            )
            progress.step(f"PDF klar på {time.perf_counter() - started:.1f} s")

    verify_snapshot(snapshot, cache, ran)  # the last read is done: publish only what one version made
    publish.publish_year(layout, site_key, html, pdf_file, _finish_site)
    return BuildResult(
        book.organisation,
        year,
        layout.html,
        executed=results,
        reused=[i.name for i in inputs if cached[i.name]],
        pdf=None if pdf_name is None else layout.pdf / pdf_name,
    )


def verify_reads(
    snapshot: InputSnapshot, cache: ChapterCache, executed: dict[str, Path | None], ran: list[str]
) -> None:
    """After the chapters: every file a chapter read is the one of the snapshot (else DataChanged,
    and the chapters run now are forgotten by the cache), and the files read outside the snapshot's
    folders (a shared logo) are verified at the end too."""
    for name in executed:
        snapshot.add_reads(recorded_reads(cache.entry(name) / MANIFEST))
    verify_snapshot(snapshot, cache, ran)
    stale = [name for name, path in executed.items() if path is None]
    if stale:  # its inputs differ from its cache entry now, though the snapshot saw no change
        forget(cache, ran)
        found = {f"notebooks/{name}.ipynb": "ändrades" for name in stale}
        raise DataChanged(*changed_details(found, snapshot.wording))


def verify_snapshot(snapshot: InputSnapshot, cache: ChapterCache, ran: list[str]) -> None:
    """DataChanged when an input differs from the snapshot; the chapters run in this build are then
    forgotten, since they may have read the new version (their cache entries name the new hashes)."""
    try:
        snapshot.verify()
    except RapportbokError:
        forget(cache, ran)
        raise


def forget(cache: ChapterCache, names: list[str]) -> None:
    """Make the cache entries of `names` invalid: the next build runs those chapters again."""
    for name in names:
        (cache.entry(name) / MANIFEST).unlink(missing_ok=True)


def _intact_pdf(published: Path | None, manifest: dict | None, site_key: str, name: str) -> Path | None:
    """The published PDF, if it was made from the same inputs and is unchanged since (a repair build)."""
    if published is None or manifest is None or manifest.get("key") != site_key:
        return None
    recorded = manifest["files"].get(f"pdf/{name}")
    candidate = published / "pdf" / name
    return candidate if recorded is not None and file_hash(candidate) == recorded else None


def _finish_site(copy: Path) -> None:
    """The published copy gets the search index of its pages."""
    write_search_index(copy)


def _site_key(
    root: Path,
    notebooks: dict[str, Path | None],
    draft: bool,
    pdf: bool,
    origin: dict[str, str],
    code: str,
) -> str:
    """Everything the published site and PDF are made from, besides the chapters' data."""
    return value_hash(
        {
            "origin": origin,
            "chapters": {name: None if path is None else file_hash(path) for name, path in notebooks.items()},
            "book": tree_hash(
                root, [root / AUTHORED, root / "_config.yml", root / "_toc.yml", root / CONFIG_FILE]
            ),
            "code": code,
            "draft": draft,
            "pdf": pdf,
        }
    )


def _pdf_path(folder: Path) -> Path | None:
    found = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    return found[0] if found else None


def _execute(
    stale: list[ChapterInputs],
    cache: ChapterCache,
    jobs: int,
    executor: Executor | None,
    timeout: int,
    progress: Progress,
    processes: BuildProcesses,
    warm: Callable[[str], tuple[Path, Any] | None] | None = None,
) -> list[ChapterResult]:
    """Run the stale chapters; `warm(name)` may give a chapter a kernel already started in its run
    folder, as (run folder, kernel manager) (the preview's warm kernels)."""
    stale = sorted(stale, key=lambda item: -cache.last_seconds(item.name))  # longest first
    chapter_jobs = []
    for item in stale:
        prepared = warm(item.name) if warm is not None else None
        chapter_jobs.append(
            ChapterJob(
                name=item.name,
                source=item.notebook,
                output=cache.entry(item.name) / RUN_FOLDER / "executed.ipynb",
                # The kernel protocol: where the chapter notes what it reads; tables read on first use
                # (the year is validated above). Not part of the cache key: they do not change the output.
                parameters={**item.parameters, "reads_log": str(cache.reads_log(item.name)), "lazy": True},
                cwd=cache.run_folder(item.name) if prepared is None else prepared[0],
                timeout=timeout,
                environment=processes.environment(),
                kernel_manager=None if prepared is None else prepared[1],
            )
        )
    if not chapter_jobs:
        return []
    progress.step(f"Kör {len(chapter_jobs)} kapitel ({min(jobs, len(chapter_jobs))} parallellt) …")
    by_name = {item.name: item for item in stale}
    finished = []

    def done(result: ChapterResult) -> None:
        item = by_name[result.name]
        if result.ok:
            stored = cache.store(item, result.output, round(result.seconds, 1))
            finished.append(ChapterResult(result.name, stored, result.seconds))
            progress.chapter(result.name, "done", result.seconds)
        else:
            kept = cache.keep_failed(item, result.output)
            finished.append(replace(result, output=kept))
            progress.chapter(result.name, "failed")

    run_chapters(
        chapter_jobs,
        max_workers=jobs,
        executor=executor,
        on_start=lambda job: progress.chapter(job.name, "running"),
        on_done=done,
    )
    return finished


def sync_source(
    root: Path, source: Path, notebooks: dict[str, Path | None], generated: list[str] | None = None
) -> Path:
    """The year's Sphinx source: the authored pages of book/ and the executed chapters.

    Files are written only when their content changed (Sphinx itself builds the site clean: sphinx.py).
    """
    wanted: dict[Path, Path] = {}
    for path in (root / AUTHORED).rglob("*"):
        relative = path.relative_to(root / AUTHORED)
        if path.is_file() and relative.parts[0] != CHAPTER_FOLDER:
            wanted[relative] = path
    for name, executed in notebooks.items():
        if executed is not None:
            wanted[Path(CHAPTER_FOLDER) / f"{name}.ipynb"] = executed
    for relative, origin in wanted.items():
        target = source / relative
        if not target.is_file() or target.read_bytes() != origin.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
    for existing in [p for p in source.rglob("*") if p.is_file()] if source.exists() else []:
        if existing.relative_to(source) not in wanted and existing.name not in (generated or []):
            existing.unlink()
    return source


def pdf_file_name(report: Report) -> str:
    """<organisation>-<report type>-<year>.pdf, e.g. kommunstyrelsekontoret-verksamhetsberattelse-ÅÅÅÅ.pdf."""
    return f"{slug(report.meta.organisation)}-{slug(report.meta.report_type)}-{report.year}.pdf"


def build_pdf(
    provenance: str,
    created: str,
    pages: list[GeneratedPage],
    root: Path,
    report: Report,
    notebooks: dict[str, Path],
    target: Path,
    *,
    processes: BuildProcesses,
    log: Path,
    executor: Executor | None = None,
) -> Path:
    """The print document of the executed chapters and the generated pages, written as a tagged PDF
    by a child process and verified (every figure drawn) before it is returned; on `executor` (a Dask
    cluster) the child and the check run as a task there."""
    from rapportbok.pdf.document import chapter_from_notebook, print_document
    from rapportbok.pipeline.processes.pdf_process import render_pdf
    from rapportbok.pipeline.publishing.siteconfig import year_substitutions

    substitutions = year_substitutions(report)
    chapters_html = [chapter_from_notebook(path, substitutions, name) for name, path in notebooks.items()]
    chapters_html += [page.print_chapter() for page in pages if page.printed]
    document = print_document(report, chapters_html, root, provenance=provenance, created=created)
    if executor is not None:
        task = executor.submit(render_pdf, document, target, base_url=root, processes=processes, log=log)
        return task.result()
    return render_pdf(document, target, base_url=root, processes=processes, log=log)


def remove_temporary(layout: YearLayout) -> None:
    """What a build leaves behind: kernels' run folders, the PDF being written."""
    for leftover in layout.temporary():
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
