"""Write the print document as a tagged, Swedish, PDF/UA-1 file with WeasyPrint."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from rapportbok.exceptions import PdfError

PDF_VARIANT = "pdf/ua-1"  # tagged structure, document language and title, as PDF/UA requires


def write_pdf(html: str, target: Path, base_url: Path) -> Path:
    """Render `html` to `target` (A4 and the rest come from the print stylesheet), then complete the
    tag tree where WeasyPrint leaves PDF/UA gaps (`retag`)."""
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint needs the system's Pango
        raise PdfError(
            "PDF-versionen kräver biblioteket Pango. Installera det med "
            "`apt-get install libpango-1.0-0 libpangoft2-1.0-0` eller bygg utan PDF med --no-pdf. "
            f"({error})"
        ) from error
    import pikepdf

    from rapportbok.pdf.fetcher import project_fetcher  # imports WeasyPrint: only once it loaded
    from rapportbok.pdf.retag import retag

    target.parent.mkdir(parents=True, exist_ok=True)
    # Only files inside the project and data: URLs are loaded: never the network, never /etc.
    rendered = HTML(string=html, base_url=str(base_url), url_fetcher=project_fetcher(base_url)).write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        # The file identifier follows from the content, so the same inputs give the same bytes.
        pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
    )
    with pikepdf.open(io.BytesIO(rendered)) as pdf:
        retag(pdf)
        # qpdf derives the second identifier from the content too: same inputs, same bytes. It writes
        # to memory: qpdf aborts the process when a file write fails (a full disk), Python reports it.
        saved = io.BytesIO()
        pdf.save(saved, deterministic_id=True)
    target.write_bytes(saved.getvalue())
    return target
