"""One run of one book: which book, where it builds, with which options, and what the run holds
(its processes, its progress, and what it captured when it began: the snapshot, the repository's
state and the chapter cache). Every step (pipeline/steps/) takes the run; the drivers make it."""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.core.book import BookId, data_root_of
from rapportbok.core.deadline import DEFAULT_TIMEOUT
from rapportbok.core.layout import YearLayout
from rapportbok.core.paths import require_inside_project
from rapportbok.data.metadata import left_out_chapters
from rapportbok.data.organisations import organisation_dir, resolve_organisation
from rapportbok.data.years import real_year_dir
from rapportbok.pipeline.inputs.cache import ChapterCache, ChapterInputs
from rapportbok.pipeline.inputs.fingerprint import code_hash
from rapportbok.pipeline.inputs.snapshot import BOOK, InputSnapshot, Wording
from rapportbok.pipeline.inputs.toc import book_chapters
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing.provenance import git_state


@dataclass(frozen=True)
class BuildOptions:
    """How a book is built: `jobs` chapters at once (default: one per core), on `executor` (default:
    local kernels), with or without the PDF, as a draft, every chapter again (`force`), a cell's time
    limit in seconds, and the build root (default: <root>/_build)."""

    jobs: int | None = None
    executor: Executor | None = None
    pdf: bool = True
    draft: bool = False
    force: bool = False
    timeout: int = DEFAULT_TIMEOUT
    build_root: Path | None = None

    @property
    def workers(self) -> int:
        """How many chapters run at once."""
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class BuildState:
    """What the repository looked like when a build started, computed once per build and passed down
    (never cached for the life of the process: a second build in one session sees a new commit)."""

    code: str  # the package's code and the locked dependencies (fingerprint.code_hash)
    git: str  # the commit, and whether the working tree had changes (provenance.git_state)

    @classmethod
    def capture(cls, root: Path) -> BuildState:
        return cls(code_hash(root), git_state(root))


def require_book_folders(book: BookId) -> None:
    """The project's inputs stay inside the project, and neither the organisation's folder nor the
    year's is a symbolic link (UsageError)."""
    require_inside_project(book.root)
    _require_real_folders(book)


def _require_real_folders(book: BookId) -> None:
    """The organisation's folder exists, and neither it nor the year's folder is a symbolic link."""
    real_year_dir(organisation_dir(book.data_root, book.organisation), book.year)


def checked_book(root: Path, organisation: str | None, year: int) -> BookId:
    """The book of `organisation` (default: the only one) and `year` in the project `root` (resolved),
    after the checks of require_book_folders (the project's inputs walked once)."""
    root = root.resolve()
    require_inside_project(root)  # before data/ is listed to find the organisation
    book = BookId(resolve_organisation(data_root_of(root), organisation), year, root)
    _require_real_folders(book)
    return book


@dataclass
class BookRun:
    """One run of one book. `capture()` begins it (again, for each rebuild of a preview)."""

    book: BookId
    layout: YearLayout
    options: BuildOptions
    processes: BuildProcesses
    progress: Progress
    snapshot: InputSnapshot = field(init=False)
    state: BuildState = field(init=False)
    cache: ChapterCache = field(init=False)
    origin: dict[str, str] = field(init=False)  # the commit and the year's data the book is made from

    @property
    def root(self) -> Path:
        return self.book.root

    def capture(self, wording: Wording = BOOK) -> None:
        """Take the snapshot of the inputs (before the first read of the year), the repository's
        state and the chapter cache of this code."""
        self.snapshot = InputSnapshot.of_book(self.root, self.book.org_dir, self.book.year, wording)
        self.state = BuildState.capture(self.root)
        self.cache = ChapterCache(self.layout.cache, self.root, self.state.code)
        self.origin = {"git": self.state.git, "data": self.snapshot.digest(self.book.year_dir)}

    def chapters(self) -> list[ChapterInputs]:
        """The book's chapters with their papermill parameters (the one place they are made; data_dir
        is absolute here, the cache key and the pages take it relative to the project)."""
        book = self.book
        parameters = {"year": book.year, "data_dir": str(book.org_dir), "draft": self.options.draft}
        left_out = left_out_chapters(book)  # rapport.yml utelamnade_kapitel
        return [ChapterInputs(c.name, c.notebook, parameters) for c in book_chapters(book, left_out)]
