"""`rapportbok preview`: the web edition, rebuilt on every save, in its own folder.

One rebuild is the build's own steps without the PDF and without publishing: validate the year (the same
`require_valid`), bring each chapter up to date, write the Sphinx source, the generated pages and the
configuration, let Jupyter Book write the pages that changed, and write the search index. A chapter is
up to date, or only its plain `show_text` texts changed (re-rendered without a kernel, see
`narrative_outputs`), or it is run again with papermill. Jupyter Book runs in a warm process.

Everything is written under `_build/<org>/<year>/.preview/` (`YearLayout.preview`); the published
release (`_build/<org>/<year>/html`, `pdf`, `.releases`) is never read or written.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.checks.check import require_valid
from rapportbok.core.layout import RUN_FOLDER, YearLayout
from rapportbok.core.paths import display_path, require_inside_project
from rapportbok.data.load import book_of, left_out_chapters, load_year
from rapportbok.data.organisations import organisation_dir
from rapportbok.data.report import Report
from rapportbok.data.years import real_year_dir, year_dir, year_label
from rapportbok.exceptions import ChapterError, ChapterFailure, RapportbokError
from rapportbok.narrative.markdown import link_targets
from rapportbok.narrative.templates import read_source
from rapportbok.pipeline.book import BuildState, _execute, sync_source, verify_reads, verify_snapshot
from rapportbok.pipeline.inputs.cache import EXECUTED, ChapterCache, ChapterInputs
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.inputs.snapshot import PREVIEW, InputSnapshot
from rapportbok.pipeline.inputs.toc import TOC_FILE, book_chapters, write_book_toc
from rapportbok.pipeline.preview.narrative_outputs import refresh_texts, text_key_of
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.processes.sphinx import build_html
from rapportbok.pipeline.processes.sphinx_worker import WarmSphinx
from rapportbok.pipeline.processes.warm_kernels import WarmKernels
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing.pages import generated_pages
from rapportbok.pipeline.publishing.provenance import provenance_line, source_date_epoch
from rapportbok.pipeline.publishing.search_index import INDEX_FILE, write_search_index
from rapportbok.pipeline.publishing.siteconfig import write_year_config
from rapportbok.views.text import show_text
from rapportbok.views.tillganglighet import CONFIG_FILE

# Sphinx writes only the changed pages (build cleans its output folder first, processes/sphinx.py):
# half the time; the pages read the same, only Sphinx's `?v=` stamp on stylesheet links can differ.
CLEAN_SITE = False
WATCHED = ("notebooks", "book", "_toc.yml", "_config.yml", CONFIG_FILE, "src/rapportbok")


@dataclass
class Rebuilt:
    """What one rebuild did."""

    html: Path
    seconds: float
    executed: list[str] = field(default_factory=list)
    rerendered: list[str] = field(default_factory=list)  # chapters whose texts were rendered without a kernel


def watched_paths(root: Path, organisation: str, year: int) -> list[Path]:
    """What the preview watches: the year's data (and the year before, which chapters compare with),
    the notebooks, the book's pages and theme, the configuration and the package's code."""
    data = [year_dir(root / "data" / organisation, year), year_dir(root / "data" / organisation, year - 1)]
    package = Path(__file__).resolve().parents[2]  # src/rapportbok
    found = [path for path in data if path.is_dir()]
    found += [root / name for name in WATCHED if name != "src/rapportbok" and (root / name).exists()]
    return [*found, package]


class PreviewBuilder:
    """Rebuilds the preview of one organisation's year; keeps a warm Jupyter Book process between rebuilds."""

    def __init__(
        self,
        root: Path,
        organisation: str,
        year: int,
        layout: YearLayout,
        processes: BuildProcesses,
        *,
        draft: bool = False,
        timeout: int = 600,
        progress: Progress | None = None,
    ) -> None:
        self.root = root
        self.data_dir = root / "data" / organisation  # the organisation's folder, data/<org>
        self.year = year
        self.layout = layout
        self.processes = processes
        self.draft = draft
        self.timeout = timeout
        self.progress = progress or Progress()
        self.sphinx = WarmSphinx(root, processes)
        self.kernels = WarmKernels(processes.environment())
        self._kernels_code: str | None = None
        self._after: Callable[[], None] | None = None
        self._warned: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapportbok-preview-pages")

    def rebuild(self) -> Rebuilt:
        """One rebuild; raises the build's errors (a RapportbokError names file, row and column).

        The served pages change only when the rebuild succeeded. When only plain show_text texts
        changed, the pages are written while the year is validated (two cores, half the wait).

        Like a build, a rebuild reads one version of the data: the project's inputs must stay inside
        it (checked again each time: the preview runs long), the organisation's data lock is held
        shared for the rebuild only (an import can land while the preview is idle), and a file saved
        meanwhile without the lock stops the rebuild before the pages change (DataChanged; the save
        starts the next rebuild)."""
        require_inside_project(self.root)
        real_year_dir(organisation_dir(self.root / "data", self.data_dir.name), self.year)
        with reading_data([self.data_dir], self.progress):
            return self._rebuild()

    def _rebuild(self) -> Rebuilt:
        started = time.perf_counter()
        snapshot = InputSnapshot.of_book(self.root, self.data_dir, self.year, PREVIEW)
        state = BuildState.capture(self.root)
        if state.code != self._kernels_code:  # kernels started ahead imported the code as it was
            self.kernels.close()
            self.kernels = WarmKernels(self.processes.environment())
            self._kernels_code = state.code
        cache = ChapterCache(self.layout.cache, self.root, state.code)
        parameters = {"year": self.year, "data_dir": str(self.data_dir), "draft": self.draft}
        left_out = left_out_chapters(self.data_dir, self.year)
        inputs = [
            ChapterInputs(c.name, c.notebook(self.root), parameters)
            for c in book_chapters(self.root, left_out)
        ]
        changed = {item.name: cache.changed_reads(item) for item in inputs}
        rerendered = self._rerendered(cache, inputs, changed)
        if rerendered is not None:
            ran = sorted(rerendered)
            for item in inputs:
                if item.name in rerendered:
                    cache.replace_output(item, rerendered[item.name])
            report = load_year(self.year, self.data_dir, draft=self.draft, lazy=True)
            pages = self._pool.submit(self._write_site, state, cache, inputs, report)
            try:
                self._validate()
            except BaseException as error:
                _wait_quietly(pages)  # the warm Jupyter Book answers one request at a time
                if isinstance(error, Exception):  # a text saved meanwhile: say so, not its error
                    verify_snapshot(snapshot, cache, ran)
                raise
            html = pages.result()
            verify_reads(snapshot, cache, {item.name: cache.lookup(item) for item in inputs}, ran)
            executed: list[str] = []
        else:
            report = self._validate()
            stale = [item for item in inputs if changed[item.name] != []]
            ran = [item.name for item in stale]
            try:
                self._execute(stale, cache)
            except Exception:  # a chapter that failed on a file saved meanwhile: say so
                verify_snapshot(snapshot, cache, ran)
                raise
            verify_reads(snapshot, cache, {item.name: cache.lookup(item) for item in inputs}, ran)
            html = self._write_site(state, cache, inputs, report)
            executed = ran
        verify_snapshot(snapshot, cache, ran)  # the served pages come from one version of the data
        mirror(html, self.layout.served, keep=frozenset({INDEX_FILE.as_posix()}))
        self._after = lambda: self._finish(cache, inputs)
        return Rebuilt(self.layout.served, time.perf_counter() - started, executed, sorted(rerendered or {}))

    def finish(self) -> None:
        """What the last successful rebuild still has to do once the open pages are reloading: the
        search index (only the search page reads it) and the kernels for the next rebuild."""
        after, self._after = self._after, None
        if after is not None:
            after()

    def _finish(self, cache: ChapterCache, inputs: list[ChapterInputs]) -> None:
        write_search_index(self.layout.served)
        self.prepare_kernels(cache, inputs)

    def prepare_kernels(self, cache: ChapterCache, inputs: list[ChapterInputs]) -> None:
        """Start a kernel ahead for every chapter that has none (in the background, one at a time)."""
        for item in inputs:
            if not self.kernels.has(item.name):
                self.kernels.prepare(item.name, cache.run_folder(item.name), item.notebook)

    def _validate(self) -> Report:
        checked = require_valid(
            book_of(self.year, self.data_dir), draft=self.draft, text_timeout=self.timeout
        )
        warnings = [str(warning) for warning in checked.warnings]
        for warning in warnings:
            if warning not in self._warned:  # once per session, not on every save
                self.progress.warning(warning)
        self._warned = set(warnings)
        return checked.report

    def _rerendered(
        self, cache: ChapterCache, inputs: list[ChapterInputs], changed: dict[str, list[str] | None]
    ) -> dict[str, str] | None:
        """{chapter: its notebook with its texts rendered again} when every chapter that is out of
        date is so only through plain show_text texts (and there is one); else None."""
        if not any(changed.values()) or any(reads is None for reads in changed.values()):
            return None
        report = load_year(self.year, self.data_dir, draft=self.draft, lazy=True)
        found = {}
        for item in inputs:
            reads = changed[item.name]
            if not reads:
                continue
            keys = [text_key_of(name, year_label(self.data_dir, self.year)) for name in reads]
            if None in keys:
                return None
            notebook = json.loads((cache.entry(item.name) / EXECUTED).read_text(encoding="utf-8"))
            try:
                texts = [read_source(report, key) for key in keys if key]
                if any(found.image for text in texts for found in link_targets(text)):
                    return None  # a kernel run records the text's images among the chapter's reads
                refreshed = refresh_texts(
                    notebook, [key for key in keys if key], lambda key: show_text(report, key)._repr_html_()
                )
            except RapportbokError:
                return None  # validation names the problem
            if refreshed is None:
                return None
            found[item.name] = json.dumps(refreshed, ensure_ascii=False)
        return found

    def _execute(self, stale: list[ChapterInputs], cache: ChapterCache) -> None:
        if not stale:
            return
        jobs = os.cpu_count() or 1
        results = _execute(
            stale, cache, jobs, None, self.timeout, self.progress, self.processes, warm=self.kernels.take
        )
        failed = [result for result in results if not result.ok]
        for result in failed:
            shutil.rmtree(cache.entry(result.name) / RUN_FOLDER, ignore_errors=True)
        if failed:
            raise ChapterError(
                [
                    ChapterFailure(r.name, r.error or "", display_path(r.output, self.root), r.cell)
                    for r in failed
                ]
            )

    def _write_site(
        self, state: BuildState, cache: ChapterCache, inputs: list[ChapterInputs], report: Report
    ) -> Path:
        """The Sphinx source, generated pages and configuration of the build, and the pages."""
        executed = {item.name: cache.lookup(item) for item in inputs}
        pages = generated_pages(self.root, report, provenance_line(state.git, report))
        source = sync_source(
            self.root, self.layout.source, executed, generated=[page.file_name for page in pages]
        )
        for page in pages:
            page.write(source)
        config = write_year_config(self.root, report, self.layout.config, pdf_name=None)
        return build_html(
            self.root,
            source,
            config,
            self.layout.work,
            source_date_epoch(self.root, report),
            self.processes,
            runner=self.sphinx.runner(state.code),
            clean=CLEAN_SITE,
            toc=write_book_toc(self.root, report.meta.left_out_chapters, self.layout.work / TOC_FILE),
        )

    def close(self) -> None:
        """End the kernels started ahead and the warm Jupyter Book process."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.kernels.close()
        self.sphinx.close()


def _wait_quietly(future: Future[Path]) -> None:
    with suppress(Exception):
        future.result()


def mirror(source: Path, target: Path, keep: frozenset[str] = frozenset()) -> None:
    """Make `target` a copy of the folder `source`: files are copied with their times, and a file
    whose size and modification time are those of its copy is not read again (Sphinx writes only
    the pages that changed); files `source` no longer has are removed, except those in `keep`."""
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for relative in sorted(wanted):
        origin, copy = source / relative, target / relative
        if copy.is_file() and _same_stamp(origin, copy):
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        temporary = copy.with_name(f".{copy.name}.tmp")
        shutil.copy2(origin, temporary)
        os.replace(temporary, copy)  # a page being served is never half written
    for path in sorted(target.rglob("*"), reverse=True) if target.is_dir() else []:
        relative = path.relative_to(target)
        if path.is_file() and relative not in wanted and relative.as_posix() not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _same_stamp(origin: Path, copy: Path) -> bool:
    first, second = origin.stat(), copy.stat()
    return first.st_size == second.st_size and first.st_mtime_ns == second.st_mtime_ns
