"""Compile the Typst print document to a tagged PDF/UA-1 file.

Fonts come from a pinned package, never from the host: the DejaVu family that matplotlib ships (the
family the earlier WeasyPrint edition used; matplotlib is pinned in requirements.lock). Typst sees only
that folder (`font_book`): the system's fonts (fontconfig's folders, ~/.fonts, XDG_DATA_HOME) and the
fonts built into the typst package (which has its own, different DejaVu Sans Mono) are switched off, so
the same source gives the same bytes on every machine and every embedded font program is one of that
folder's files (tests/unit/pdf/test_typst_fonts.py). The creation date is the document's
(`set document(date: …)`) and the timestamp is fixed: the time zone and the clock never reach the file.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path
from typing import Any

from rapportbok.exceptions import PdfError
from rapportbok.pdf.typst.document import TypstDocument

PDF_STANDARDS = ["ua-1"]  # Typst refuses a document that breaks PDF/UA-1's conditions it knows
FIXED_TIMESTAMP = 0  # no clock time in the file; the date is the document's own


def font_folder() -> Path:
    """matplotlib's font folder (DejaVu Sans, Sans Mono), found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise PdfError("PDF-versionen med Typst kräver paketet matplotlib (typsnitten DejaVu).")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


@functools.cache
def font_book() -> Any:
    """The only fonts Typst may use: the files of `font_folder`, nothing from the host or the typst
    package itself (read once per process)."""
    import typst

    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_folder())]
    )


def compile_pdf(source: str) -> bytes:
    """The PDF of the Typst `source`; a Typst error becomes a PdfError that names it."""
    import typst

    try:
        return typst.compile(
            source.encode("utf-8"),
            font_paths=font_book(),
            ignore_system_fonts=True,
            pdf_standards=PDF_STANDARDS,
            timestamp=FIXED_TIMESTAMP,
        )
    except typst.TypstError as error:
        hints = " ".join(error.hints)
        raise PdfError(f"Typst kunde inte sätta PDF-versionen: {error.message} {hints}".strip()) from None


def render(document: TypstDocument) -> bytes:
    """The finished PDF of `document`: compiled, its row headers tagged as such (`headers`), and
    checked: pages, and a tagged Figure for every image it was given (Typst stops on an image it
    cannot draw; `pdf.verify` then checks the saved file against the print document).
    qpdf writes to memory with an identifier derived from the content: same input, same bytes."""
    import pikepdf

    from rapportbok.pdf.typst.headers import elements, mark_row_headers

    with pikepdf.open(io.BytesIO(compile_pdf(document.source))) as pdf:
        mark_row_headers(pdf, document.row_headers)
        figures = len(elements(pdf.Root.StructTreeRoot, pikepdf.Name.Figure))
        if len(pdf.pages) == 0 or figures != document.figures:
            raise PdfError(
                f"PDF:en är ofullständig: {len(pdf.pages)} sidor, {figures} diagram och bilder, "
                f"utskriftsdokumentet {document.figures}."
            )
        saved = io.BytesIO()
        pdf.save(saved, deterministic_id=True)
    return saved.getvalue()


def write_typst_pdf(document: TypstDocument, target: Path) -> Path:
    """Write the finished PDF of `document` (`render`) to `target` and check that the whole file
    reached the disk (it ends with %%EOF, as `pdf.verify` checks)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    finished = render(document)
    target.write_bytes(finished)
    with target.open("rb") as handle:
        handle.seek(max(0, len(finished) - 1024))
        if target.stat().st_size != len(finished) or b"%%EOF" not in handle.read():
            raise PdfError(f"PDF:en {target.name} är avkortad (filen slutar mitt i).")
    return target
