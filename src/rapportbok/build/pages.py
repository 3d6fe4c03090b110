"""Pages the build writes itself, without a kernel: Om rapporten and the accessibility statement.

Each page is one title and one HTML body, used both for the site (a MyST page with a raw HTML block)
and for the PDF (a print chapter).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapportbok.build.provenance import versions
from rapportbok.data.inventory import data_files
from rapportbok.data.report import Report
from rapportbok.views.om_rapporten import ABOUT_PAGE, ABOUT_TITLE, about_body
from rapportbok.views.tillganglighet import STATEMENT_PAGE, STATEMENT_TITLE, statement_body

if TYPE_CHECKING:
    from rapportbok.pdf.document import PrintChapter


@dataclass(frozen=True)
class GeneratedPage:
    """A page of the book made from data or configuration, not from a notebook."""

    name: str
    title: str
    body: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.md"

    def write(self, source: Path) -> Path:
        """Write the page into the year's Sphinx source, only when its content changed."""
        target = source / self.file_name
        # A backtick in the body (from a value) could close the raw block and start MyST markup after
        # it; as an HTML entity it shows the same character and cannot.
        body = self.body.replace("`", "&#96;")
        text = f"# {self.title}\n\n```{{raw}} html\n{body}\n```\n"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        return target

    def print_chapter(self) -> PrintChapter:
        from rapportbok.pdf.document import PrintChapter  # the print path only; keeps the no-op build light

        anchor = f"kapitel-{self.name}"
        return PrintChapter(
            self.title, anchor, f'<h1 id="{anchor}" class="rb-chapter-title">{self.title}</h1>{self.body}'
        )


def generated_pages(root: Path, report: Report) -> list[GeneratedPage]:
    """The generated pages, in the order of _toc.yml."""
    return [
        GeneratedPage(ABOUT_PAGE, ABOUT_TITLE, about_body(report, data_files(report), versions())),
        GeneratedPage(STATEMENT_PAGE, STATEMENT_TITLE, statement_body(root, report)),
    ]
