"""`rapportbok build`: the driver that runs one book's steps in order (pipeline/steps/): validate,
execute the chapters that changed, build the site and the PDF, publish them atomically. When nothing
changed, nothing runs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapportbok.core.book import BookId
from rapportbok.core.layout import BUILD_FOLDER, YearLayout, protected_folders
from rapportbok.core.paths import display_path
from rapportbok.exceptions import PublishError, UsageError
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.processes.execute import ChapterResult
from rapportbok.pipeline.processes.interrupt import signals_deferred
from rapportbok.pipeline.processes.owned import BuildProcesses, stop_leftovers
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import explain, publish
from rapportbok.pipeline.publishing.explain import Wording
from rapportbok.pipeline.publishing.lock import book_lock
from rapportbok.pipeline.run import BookRun, BuildOptions, checked_book, require_book_folders
from rapportbok.pipeline.steps.cleanup import clean_up
from rapportbok.pipeline.steps.published import (
    published,
    published_pdf,
    site_key,
    still_published,
)


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
    # Imported after the check above: a build with nothing to do loads neither pandas nor the modules of
    # the chapters, the site and the PDF.
    from rapportbok.pipeline.rebuild import rebuild

    results, pdf_file = rebuild(run, inputs, cached, release)
    return BuildResult(
        book.organisation,
        book.year,
        run.layout.html,
        executed=results,
        reused=[i.name for i in inputs if cached[i.name]],
        pdf=pdf_file,
    )
