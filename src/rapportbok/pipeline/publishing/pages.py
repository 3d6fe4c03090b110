"""Pages the build writes itself, without a kernel: the front page, Om rapporten and the accessibility
statement.

Each page is one title and one HTML body, used for the site (a MyST page with a raw HTML block) and,
except the front page (the PDF has its own cover), for the PDF (a print chapter).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from rapportbok.core.book import BookId
from rapportbok.core.markup import markdown_literal
from rapportbok.core.toc import ABOUT_PAGE, FRONT_PAGE, STATEMENT_PAGE
from rapportbok.data.inventory import data_files
from rapportbok.data.report import Report
from rapportbok.pipeline.inputs.toc import CHAPTER_FOLDER, book_chapters, chapters
from rapportbok.pipeline.publishing.provenance import versions
from rapportbok.views.forsida import front_page_body
from rapportbok.views.om_rapporten import (
    ABOUT_TITLE,
    PROVENANCE_FILE,
    about_body,
    provenance_document,
    technical_html,
)
from rapportbok.views.tillganglighet import STATEMENT_TITLE, statement_body

if TYPE_CHECKING:
    from rapportbok.pdf.document import PrintChapter


@dataclass(frozen=True)
class GeneratedPage:
    """A page of the book made from data or configuration, not from a notebook."""

    name: str
    title: str
    body: str
    printed: bool = True  # a chapter of the PDF too
    after: str = ""  # Markdown after the body, e.g. a MyST substitution
    web_only: str = ""  # HTML after the body on the web, not in the PDF
    files: tuple[tuple[str, str], ...] = ()  # (name, text) written beside the page, e.g. a download

    @property
    def file_name(self) -> str:
        return f"{self.name}.md"

    @property
    def file_names(self) -> list[str]:
        """Every file the page writes into the Sphinx source."""
        return [self.file_name, *(name for name, _ in self.files)]

    def write(self, source: Path) -> Path:
        """Write the page into the year's Sphinx source, only when its content changed."""
        target = source / self.file_name
        # A backtick in the body (from a value) could close the raw block and start MyST markup after
        # it; as an HTML entity it shows the same character and cannot. The title is a value too (the
        # front page's is the report type): MyST reads it as text.
        body = (self.body + self.web_only).replace("`", "&#96;")
        text = f"# {markdown_literal(self.title)}\n\n```{{raw}} html\n{body}\n```\n"
        if self.after:
            text += f"\n{self.after}\n"
        for name, content in ((self.file_name, text), *self.files):
            path = source / name
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                path.write_text(content, encoding="utf-8")
        return target

    def print_chapter(self) -> PrintChapter:
        from rapportbok.pdf.document import PrintChapter  # the print path only; keeps the no-op build light

        anchor = f"kapitel-{self.name}"
        return PrintChapter(
            self.title,
            anchor,
            f'<h1 id="{anchor}" class="rb-chapter-title">{escape(self.title)}</h1>{self.body}',
        )


PDF_LINK = "{{ pdf_lank }}"  # the year's PDF link, empty when none is built (publishing/siteconfig.py)
# The provenance file, copied by Sphinx into _downloads/ (a name from its path: the same in every build).
PROVENANCE_LINK = f"[Teknisk information om utgåvan (JSON)]({PROVENANCE_FILE})"


def chapter_title(notebook: Path) -> str:
    """The first level-one heading of a chapter notebook (what its page is called)."""
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", [])).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


def front_page(report: Report) -> GeneratedPage:
    """The front page: title, organisation and period, the year in brief, the chapters, the PDF."""
    in_book = book_chapters(report.book, report.meta.left_out_chapters)
    listed = [(chapter_title(chapter.notebook), chapter.name) for chapter in in_book]
    return GeneratedPage(
        FRONT_PAGE,
        f"{report.meta.report_type} {report.year}",
        front_page_body(report, listed, CHAPTER_FOLDER),
        printed=False,
        after=PDF_LINK,
    )


def _chapter_titles(book: BookId) -> dict[str, str]:
    """{chapter name (its text folder): its title}."""
    return {chapter.name: chapter_title(chapter.notebook) for chapter in chapters(book)}


def generated_pages(root: Path, report: Report, provenance: str) -> list[GeneratedPage]:
    """The generated pages, in the order of _toc.yml; `provenance` is the build's provenance line."""
    technical = provenance_document(report, data_files(report), versions(), provenance)
    return [
        front_page(report),
        GeneratedPage(
            ABOUT_PAGE,
            ABOUT_TITLE,
            about_body(report),
            web_only=technical_html(),
            after=PROVENANCE_LINK,
            files=((PROVENANCE_FILE, technical),),
        ),
        GeneratedPage(
            STATEMENT_PAGE, STATEMENT_TITLE, statement_body(root, report, _chapter_titles(report.book))
        ),
    ]
