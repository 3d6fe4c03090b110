"""A chapter never ends with a few lines alone on a page (issue 28 review: the last page of Ekonomi held
two lines): rb-chapter sets such a chapter a little tighter, and a chapter with a real last page keeps
its spacing. Compiled from the print edition's own preamble, one-line paragraphs counted in pages."""

from __future__ import annotations

import io

import pdfplumber

from rapportbok.pdf.typst.document import preamble
from rapportbok.pdf.typst.writer import compile_pdf

HEAD = (  # what document._head defines before the preamble
    '#set document(title: "Prov")\n#let rb-accent = rgb("#0b4f8a")\n#let rb-heading = rgb("#0b4f8a")\n'
    "#let rb-title = [Prov]\n#let rb-foot = [Prov]\n#let rb-draft = []\n"
)


def _layout(paragraphs: int, *, wrapped: bool) -> tuple[int, float]:
    """(pages, how far down the last page the last paragraph ends, in points)."""
    body = "\n\n".join(f"Stycke {n}." for n in range(paragraphs))
    chapter = f"#rb-chapter(1)[\n{body}\n]" if wrapped else body
    pdf = compile_pdf(HEAD + preamble() + "\n" + chapter + "\n")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        last = document.pages[-1].extract_words()
        return len(document.pages), round(max(word["bottom"] for word in last), 1)


def test_a_chapter_that_would_end_with_two_lines_on_a_page_ends_a_page_earlier() -> None:
    assert _layout(47, wrapped=False)[0] == 2  # set loose, two lines go over onto a page of their own
    assert _layout(47, wrapped=True)[0] == 1


def test_a_chapter_with_a_real_last_page_keeps_its_spacing() -> None:
    """Sixty lines fill a page and a half: nothing to gain, every line stands where it stood."""
    assert _layout(60, wrapped=True) == _layout(60, wrapped=False)
    assert _layout(60, wrapped=False)[0] == 2
