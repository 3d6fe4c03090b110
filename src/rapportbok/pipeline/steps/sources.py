"""The Sphinx steps: write the year's Sphinx source (the authored pages, the executed chapters, the
generated pages), its configuration and table of contents, and let Jupyter Book build the HTML."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.toc import PAGE_FOLDER
from rapportbok.data.report import Report
from rapportbok.pipeline.inputs.toc import CHAPTER_FOLDER, TOC_FILE, write_book_toc
from rapportbok.pipeline.processes.sphinx import Runner, SphinxProject, build_html, on_executor
from rapportbok.pipeline.publishing.pages import GeneratedPage, generated_pages
from rapportbok.pipeline.publishing.provenance import provenance_line, source_date_epoch
from rapportbok.pipeline.publishing.siteconfig import write_year_config
from rapportbok.pipeline.run import BookRun

SitePages = tuple[str, list[GeneratedPage]]  # the provenance line and the generated pages
AUTHORED = PAGE_FOLDER  # the analyst's own pages (index, om-rapporten, ...), copied into the source folder


@dataclass(frozen=True)
class SiteSources:
    """What the site is built from: the Sphinx project, the generated pages (the PDF prints them
    too) and the provenance line they carry."""

    project: SphinxProject
    pages: list[GeneratedPage]
    provenance: str


def wanted_sources(root: Path, notebooks: dict[str, Path | None]) -> dict[Path, Path]:
    """{path in the source: the file it is a copy of}: book/'s authored pages, the executed chapters."""
    wanted: dict[Path, Path] = {}
    for path in (root / AUTHORED).rglob("*"):
        relative = path.relative_to(root / AUTHORED)
        if path.is_file() and relative.parts[0] != CHAPTER_FOLDER:
            wanted[relative] = path
    for name, executed in notebooks.items():
        if executed is not None:
            wanted[Path(CHAPTER_FOLDER) / f"{name}.ipynb"] = executed
    return wanted


def sync_source(
    root: Path, source: Path, notebooks: dict[str, Path | None], generated: list[str] | None = None
) -> Path:
    """The year's Sphinx source: the authored pages of book/ and the executed chapters.

    Files are written only when their content changed (Sphinx itself builds the site clean: sphinx.py);
    files that are neither wanted nor `generated` are removed."""
    wanted = wanted_sources(root, notebooks)
    for relative, origin in wanted.items():
        target = source / relative
        if not target.is_file() or target.read_bytes() != origin.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
    for existing in [p for p in source.rglob("*") if p.is_file()] if source.exists() else []:
        if existing.relative_to(source) not in wanted and existing.name not in (generated or []):
            existing.unlink()
    return source


def site_pages(run: BookRun, report: Report) -> SitePages:
    """The provenance line and the generated pages (they do not depend on the executed chapters)."""
    provenance = provenance_line(run.state.git, report)
    return provenance, generated_pages(run.root, report, provenance)


def write_sources(
    run: BookRun,
    report: Report,
    notebooks: dict[str, Path | None],
    pdf_name: str | None,
    pages: SitePages | None = None,
) -> SiteSources:
    """Write the Sphinx source with the generated pages (`pages`, from `site_pages`, when they were
    made ahead), the year's configuration (naming the PDF `pdf_name`, if any) and the book's table of
    contents."""
    root, layout = run.root, run.layout
    provenance, pages = pages or site_pages(run, report)
    source = sync_source(
        root, layout.source, notebooks, generated=[name for page in pages for name in page.file_names]
    )
    for page in pages:
        page.write(source)
    config = write_year_config(root, report, layout.config, pdf_name=pdf_name)
    toc = write_book_toc(report.book, report.meta.left_out_chapters, layout.work / TOC_FILE)
    project = SphinxProject(root, source, config, layout.work, source_date_epoch(root, report), toc)
    return SiteSources(project, pages, provenance)


def build_site_html(
    run: BookRun, sources: SiteSources, runner: Runner | None = None, clean: bool = True
) -> Path:
    """Jupyter Book builds the pages (a child process of the run; on the run's executor, when it has
    one, as a task there; or by `runner`, the preview's warm process)."""
    executor = run.options.executor
    if runner is None and executor is not None:
        runner = on_executor(executor, run.root, run.processes)
    return build_html(sources.project, run.processes, runner=runner, clean=clean)
