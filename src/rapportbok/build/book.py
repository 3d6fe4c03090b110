"""`rapportbok build`: validate, execute the chapters that changed, build the site and the PDF,
publish them atomically. When nothing changed, nothing runs."""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.build.cache import ChapterCache, ChapterInputs
from rapportbok.build.execute import ChapterJob, ChapterResult, run_chapters
from rapportbok.build.fingerprint import code_hash, file_hash, tree_hash, value_hash
from rapportbok.build.interrupt import stop_children
from rapportbok.build.lock import year_lock
from rapportbok.build.pages import GeneratedPage, generated_pages
from rapportbok.build.progress import Progress
from rapportbok.build.provenance import git_state, provenance_line, source_date, source_date_epoch
from rapportbok.build.publish import publish_tree, recover_interrupted
from rapportbok.build.search_index import write_search_index
from rapportbok.build.siteconfig import write_year_config
from rapportbok.build.toc import CHAPTER_FOLDER, chapters
from rapportbok.checks.check import require_valid
from rapportbok.core.layout import BUILD_FOLDER, RUN_FOLDER, YearLayout, year_layout
from rapportbok.core.paths import display_path
from rapportbok.core.slug import slug
from rapportbok.data.report import Report
from rapportbok.exceptions import ChapterError
from rapportbok.views.tillganglighet import CONFIG_FILE

DEFAULT_TIMEOUT = 600
AUTHORED = "book"


@dataclass
class BuildResult:
    """Where the published site and PDF are, and what was executed or reused."""

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
    root: Path,
    year: int,
    *,
    jobs: int | None = None,
    build_root: Path | None = None,
    executor: Executor | None = None,
    pdf: bool = True,
    draft: bool = False,
    force: bool = False,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the book of `year` into `<build_root>/<year>/html` and, unless pdf=False, its PDF into
    `<build_root>/<year>/pdf/` (default build root: `_build`). Chapters whose inputs are unchanged
    are reused from the cache (`force` re-executes all). A cell that runs longer than `timeout`
    seconds stops its chapter. An interrupted or failed build leaves the published output as it was."""
    progress = progress or Progress()
    root = root.resolve()
    layout = year_layout((build_root or root / BUILD_FOLDER).resolve(), year)
    with year_lock(layout.lock, year):
        try:
            return _build(root, year, layout, jobs, executor, pdf, draft, force, timeout, progress)
        except BaseException:
            stop_children()
            remove_temporary(layout)
            raise


def _build(
    root: Path,
    year: int,
    layout: YearLayout,
    jobs: int | None,
    executor: Executor | None,
    pdf: bool,
    draft: bool,
    force: bool,
    timeout: int,
    progress: Progress,
) -> BuildResult:
    html_target, pdf_folder = layout.html, layout.pdf
    recover_interrupted(html_target)
    cache = ChapterCache(layout.cache, root)
    parameters = {"year": year, "data_dir": str(root / "data"), "draft": draft}
    inputs = [ChapterInputs(c.name, c.notebook(root), parameters) for c in chapters(root)]
    origin = {"git": git_state(root), "data": tree_hash(root, [root / "data" / str(year)])}
    cached = {item.name: None if force else cache.lookup(item) for item in inputs}

    site_key = _site_key(root, cached, draft, pdf, origin)
    if all(cached.values()) and _published(layout, site_key, pdf):
        progress.step(f"Inget har ändrats sedan förra bygget av {year}; inget körs.")
        return BuildResult(html_target, reused=list(cached), pdf=_pdf_path(pdf_folder), unchanged=True)

    checked = require_valid(year, root / "data", draft=draft)
    for warning in checked.warnings:
        progress.warning(str(warning))
    if draft:
        progress.step(f"UTKAST: {len(checked.todo)} uppgifter saknas; boken byggs som utkast.")
    report = checked.report

    stale = [item for item in inputs if cached[item.name] is None]
    for item in inputs:
        progress.chapter(item.name, "reused" if cached[item.name] else "queued")
    results = _execute(stale, cache, jobs or os.cpu_count() or 1, executor, timeout, progress)
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
    executed = {item.name: cache.lookup(item) for item in inputs}
    site_key = _site_key(root, executed, draft, pdf, origin)
    provenance = provenance_line(root, report)
    epoch = source_date_epoch(root, report)

    pages = generated_pages(root, report)
    source = sync_source(root, layout.source, executed, generated=[page.file_name for page in pages])
    for page in pages:
        page.write(source)
    pdf_name = pdf_file_name(report) if pdf else None
    config = write_year_config(root, report, layout.config, pdf_name=pdf_name)
    started = time.perf_counter()
    progress.step("Bygger webbplatsen med Jupyter Book …")
    from rapportbok.build.sphinx import build_html

    html = build_html(root, source, config, layout.work, epoch)
    progress.step(f"Webbplatsen klar på {time.perf_counter() - started:.1f} s")
    pdf_path = None
    if pdf_name is not None:
        started = time.perf_counter()
        progress.step("Skriver PDF …")
        written = build_pdf(
            provenance,
            source_date(root, report).isoformat(),
            pages,
            root,
            report,
            {item.name: executed[item.name] for item in inputs},
            layout.pdf_work / pdf_name,
        )
        shutil.copy2(written, html / pdf_name)  # the site links to its own copy
        pdf_path = publish_tree(layout.pdf_work, pdf_folder) / pdf_name
        progress.step(f"PDF klar på {time.perf_counter() - started:.1f} s")
    publish_tree(html, html_target, finish=_finish_site)
    layout.site_manifest.parent.mkdir(parents=True, exist_ok=True)
    layout.site_manifest.write_text(json.dumps({"key": site_key}), encoding="utf-8")
    return BuildResult(
        html_target, executed=results, reused=[i.name for i in inputs if cached[i.name]], pdf=pdf_path
    )


def _finish_site(copy: Path) -> None:
    """The published copy gets the search index of its pages."""
    write_search_index(copy)


def _site_key(
    root: Path, notebooks: dict[str, Path | None], draft: bool, pdf: bool, origin: dict[str, str]
) -> str:
    """Everything the published site and PDF are made from, besides the chapters' data."""
    return value_hash(
        {
            "origin": origin,
            "chapters": {name: None if path is None else file_hash(path) for name, path in notebooks.items()},
            "book": tree_hash(
                root, [root / AUTHORED, root / "_config.yml", root / "_toc.yml", root / CONFIG_FILE]
            ),
            "code": code_hash(root),
            "draft": draft,
            "pdf": pdf,
        }
    )


def _published(layout: YearLayout, site_key: str, pdf: bool) -> bool:
    try:
        stored = json.loads(layout.site_manifest.read_text(encoding="utf-8"))["key"]
    except (OSError, ValueError, KeyError):
        return False
    has_pdf = not pdf or _pdf_path(layout.pdf) is not None
    return stored == site_key and (layout.html / "index.html").is_file() and has_pdf


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
) -> list[ChapterResult]:
    stale = sorted(stale, key=lambda item: -cache.last_seconds(item.name))  # longest first
    chapter_jobs = [
        ChapterJob(
            name=item.name,
            source=item.notebook,
            output=cache.entry(item.name) / RUN_FOLDER / "executed.ipynb",
            parameters=item.parameters,
            cwd=cache.run_folder(item.name),
            timeout=timeout,
        )
        for item in stale
    ]
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
            finished.append(ChapterResult(result.name, kept, result.seconds, result.error))
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

    Files are written only when their content changed, so Sphinx rebuilds only what changed.
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
) -> Path:
    """The print document of the executed chapters and the generated pages, written as a tagged PDF."""
    from rapportbok.build.siteconfig import year_substitutions
    from rapportbok.pdf.document import chapter_from_notebook, print_document
    from rapportbok.pdf.writer import write_pdf

    substitutions = year_substitutions(report)
    chapters_html = [chapter_from_notebook(path, substitutions, name) for name, path in notebooks.items()]
    chapters_html += [page.print_chapter() for page in pages if page.printed]
    document = print_document(report, chapters_html, root, provenance=provenance, created=created)
    return write_pdf(document, target, base_url=root)


def remove_temporary(layout: YearLayout) -> None:
    """What an interrupted build leaves behind: kernels' run folders, half-copied outputs."""
    for leftover in layout.temporary():
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
