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
from typing import Any

from rapportbok.core.book import BookId
from rapportbok.core.layout import RUN_FOLDER
from rapportbok.core.toc import TOC_FILE
from rapportbok.data.load import load_book
from rapportbok.data.org_tables import ORG_TABLES_FOLDER
from rapportbok.data.report import Report
from rapportbok.data.statement import CONFIG_FILE
from rapportbok.data.vocabulary_file import vocabulary_path
from rapportbok.data.years import year_dir
from rapportbok.exceptions import ChapterError, RapportbokError
from rapportbok.narrative.markdown import link_targets
from rapportbok.narrative.templates import read_source
from rapportbok.pipeline.inputs.cache import EXECUTED, ChapterCache, ChapterInputs
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.inputs.snapshot import PREVIEW
from rapportbok.pipeline.preview.narrative_outputs import refresh_texts, text_key_of
from rapportbok.pipeline.processes.sphinx_worker import WarmSphinx
from rapportbok.pipeline.processes.warm_kernels import WarmKernels
from rapportbok.pipeline.publishing.search_index import INDEX_FILE, write_search_index
from rapportbok.pipeline.run import BookRun, require_book_folders
from rapportbok.pipeline.steps import chapters as chapter_steps
from rapportbok.pipeline.steps.sources import SitePages, build_site_html, site_pages, write_sources
from rapportbok.pipeline.steps.validate import validate
from rapportbok.views.text import show_text

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


def watched_paths(book: BookId) -> list[Path]:
    """What the preview watches: the year's data (and the year before, which chapters compare with),
    the notebooks, the book's pages and theme, the configuration and the package's code."""
    data = [book.year_dir, year_dir(book.org_dir, book.year - 1)]
    package = Path(__file__).resolve().parents[2]  # src/rapportbok
    found = [path for path in data if path.is_dir()]
    found += [book.toc] if book.toc != book.root / TOC_FILE else []  # the organisation's own
    declared = book.org_dir / ORG_TABLES_FOLDER  # the schemas of the organisation's own tables
    found += [declared] if declared.is_dir() else []
    vocabulary = vocabulary_path(book.org_dir)  # the organisation's words for assessments and levels
    found += [vocabulary] if vocabulary.is_file() else []
    found += [
        book.root / name for name in WATCHED if name != "src/rapportbok" and (book.root / name).exists()
    ]
    return [*found, package]


class PreviewBuilder:
    """Rebuilds the preview of one organisation's year (`run`: its layout is the book's preview
    folder); keeps a warm Jupyter Book process between rebuilds. `build_cache` is the chapter cache of
    the book's builds: a chapter the last build ran on the same inputs is taken from it, not run again."""

    def __init__(self, run: BookRun, build_cache: Path | None = None) -> None:
        self.run = run
        self.build_cache = build_cache
        self.root = run.root
        self.sphinx = WarmSphinx(run.root, run.processes)
        self.kernels = WarmKernels(run.processes.environment())
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
        require_book_folders(self.run.book)
        with reading_data([self.run.book.org_dir], self.run.progress):
            return self._rebuild()

    def _rebuild(self) -> Rebuilt:
        started = time.perf_counter()
        run = self.run
        run.capture(PREVIEW)
        if run.state.code != self._kernels_code:  # kernels started ahead imported the code as it was
            self.kernels.close()
            self.kernels = WarmKernels(run.processes.environment())
            self._kernels_code = run.state.code
        inputs = run.chapters()
        changed = {item.name: self._changed_reads(item) for item in inputs}
        rerendered = self._rerendered(inputs, changed)
        if rerendered is not None:
            html, ran = self._texts_only(inputs, rerendered), sorted(rerendered)
            executed: list[str] = []
        else:
            stale = [item for item in inputs if changed[item.name] != []]
            html, ran = self._executed(inputs, stale), [item.name for item in stale]
            executed = ran
        chapter_steps.verify_snapshot(run, ran)  # the served pages come from one version of the data
        mirror(html, run.layout.served, keep=frozenset({INDEX_FILE.as_posix()}))
        self._after = lambda: self._finish(run.cache, inputs)
        return Rebuilt(run.layout.served, time.perf_counter() - started, executed, sorted(rerendered or {}))

    def _changed_reads(self, item: ChapterInputs) -> list[str] | None:
        """What changed since the chapter's entry in the preview's cache (`ChapterCache.changed_reads`);
        an entry that is missing or out of date is first taken from the build's cache when the build
        ran the chapter on the same inputs (the first preview after `make report` runs no chapter)."""
        run = self.run
        changed = run.cache.changed_reads(item)
        if changed == [] or self.build_cache is None:
            return changed
        built = ChapterCache(self.build_cache, run.root, run.state.code)
        return [] if run.cache.adopt(item, built) else changed

    def _texts_only(self, inputs: list[ChapterInputs], rerendered: dict[str, str]) -> Path:
        """Only texts changed, or nothing a chapter read: the chapters get their texts rendered again
        (`rerendered`), and the pages are written while the year is validated."""
        run = self.run
        ran = sorted(rerendered)
        for item in inputs:
            if item.name in rerendered:
                run.cache.replace_output(item, rerendered[item.name])
        report = load_book(run.book, draft=run.options.draft, lazy=True)
        pages = self._pool.submit(self._write_site, inputs, report)
        try:
            self._validate()
        except BaseException as error:
            _wait_quietly(pages)  # the warm Jupyter Book answers one request at a time
            if isinstance(error, Exception):  # a text saved meanwhile: say so, not its error
                chapter_steps.verify_snapshot(run, ran)
            raise
        html = pages.result()
        chapter_steps.verify_reads(run, chapter_steps.executed(run, inputs), ran)
        return html

    def _executed(self, inputs: list[ChapterInputs], stale: list[ChapterInputs]) -> Path:
        """Run the stale chapters while the year is validated (the kernel is another process: two
        cores, the shorter wait), then write the pages. A validation error comes before a chapter's:
        it names file, row and column, and a chapter given invalid data may fail for that reason."""
        run = self.run
        checked = self._pool.submit(self._validated_pages)
        ran = [item.name for item in stale]
        try:
            self._execute(stale)
        except Exception:
            checked.result()  # the data's error, if it has one, instead of the chapter's
            chapter_steps.verify_snapshot(run, ran)  # a chapter that failed on a file saved meanwhile
            raise
        except BaseException:  # interrupted: the validation is not waited for, nor reported
            _wait_quietly(checked)
            raise
        report, pages = checked.result()
        chapter_steps.verify_reads(run, chapter_steps.executed(run, inputs), ran)
        return self._write_site(inputs, report, pages)

    def finish(self) -> None:
        """What the last successful rebuild still has to do once the open pages are reloading: the
        search index (only the search page reads it) and the kernels for the next rebuild."""
        after, self._after = self._after, None
        if after is not None:
            after()

    def _finish(self, cache: ChapterCache, inputs: list[ChapterInputs]) -> None:
        write_search_index(self.run.layout.served)
        self.prepare_kernels(cache, inputs)

    def prepare_kernels(self, cache: ChapterCache, inputs: list[ChapterInputs]) -> None:
        """Start a kernel ahead for every chapter that has none (in the background, one at a time)."""
        for item in inputs:
            if not self.kernels.has(item.name):
                self.kernels.prepare(item.name, cache.run_folder(item.name), item.notebook)

    def _validated_pages(self) -> tuple[Report, SitePages]:
        """The validated year and its generated pages (made while a chapter runs: they do not
        depend on the chapters)."""
        report = self._validate()
        return report, site_pages(self.run, report)

    def _validate(self) -> Report:
        checked = validate(self.run)
        warnings = [str(warning) for warning in checked.warnings]
        for warning in warnings:
            if warning not in self._warned:  # once per session, not on every save
                self.run.progress.warning(warning)
        self._warned = set(warnings)
        return checked.report

    def _rerendered(
        self, inputs: list[ChapterInputs], changed: dict[str, list[str] | None]
    ) -> dict[str, str] | None:
        """{chapter: its notebook with its texts rendered again} when every chapter that is out of
        date is so only through plain show_text texts; {} when none is out of date (the first preview
        after a build, a file no chapter read): the pages are then written while the year is
        validated, as for a text; else None."""
        if any(reads is None for reads in changed.values()):
            return None
        if not any(changed.values()):
            return {}
        book = self.run.book
        report = load_book(book, draft=self.run.options.draft, lazy=True)
        found = {}
        for item in inputs:
            reads = changed[item.name]
            if not reads:
                continue
            refreshed = self._texts_rendered(report, item, reads)
            if refreshed is None:
                return None
            found[item.name] = refreshed
        return found

    def _texts_rendered(self, report: Report, item: ChapterInputs, reads: list[str]) -> str | None:
        """The chapter's executed notebook with the texts it read rendered again, when all its
        changed reads are plain texts without images; else None (a kernel run is needed)."""
        book = self.run.book
        keys = [text_key_of(name, book.label) for name in reads]
        if None in keys:
            return None
        notebook = json.loads((self.run.cache.entry(item.name) / EXECUTED).read_text(encoding="utf-8"))
        try:
            texts = [read_source(report, key) for key in keys if key]
            if any(found.image for text in texts for found in link_targets(text)):
                return None  # a kernel run records the text's images among the chapter's reads
            refreshed = refresh_texts(
                notebook, [key for key in keys if key], lambda key: show_text(report, key)._repr_html_()
            )
        except RapportbokError:
            return None  # validation names the problem
        return None if refreshed is None else json.dumps(refreshed, ensure_ascii=False)

    def _execute(self, stale: list[ChapterInputs]) -> None:
        if not stale:
            return
        run = self.run
        results = chapter_steps.execute(run, stale, warm=self.kernels.take)
        failed = [result for result in results if not result.ok]
        for result in failed:
            shutil.rmtree(run.cache.entry(result.name) / RUN_FOLDER, ignore_errors=True)
        if failed:
            raise ChapterError(chapter_steps.chapter_failures(run, failed, name_book=False))

    def _write_site(
        self, inputs: list[ChapterInputs], report: Report, pages: SitePages | None = None
    ) -> Path:
        """The Sphinx source, generated pages (`pages`, when made ahead) and configuration of the
        build, and the pages."""
        run = self.run
        notebooks = chapter_steps.executed(run, inputs)
        sources = write_sources(run, report, notebooks, pdf_name=None, pages=pages)
        return build_site_html(run, sources, runner=self.sphinx.runner(run.state.code), clean=CLEAN_SITE)

    def close(self) -> None:
        """End the kernels started ahead and the warm Jupyter Book process."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.kernels.close()
        self.sphinx.close()


def _wait_quietly(future: Future[Any]) -> None:
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
