"""Writing the PDF loads nothing from the network or from outside the document: the Typst edition
draws only images embedded as data: URLs, given to Typst as bytes, never a path or an address."""

from __future__ import annotations

import base64
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from rapportbok.exceptions import PdfError
from rapportbok.pdf.document import PrintChapter, print_document
from rapportbok.pdf.typst.document import typst_document
from rapportbok.pdf.typst.from_html import write_pdf
from rapportbok.pdf.verify import summarise_pdf
from tests.unit.pdf.typst_book import report

SECRET = "HEMLIGTEXT"
PNG_DATA = "data:image/png;base64," + (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                seen.append(connection.recv(1024))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(5)
    server.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with an image inside, a secret outside and a link from inside to the secret."""
    root = tmp_path / "project"
    (root / "bilder").mkdir(parents=True)
    secret = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text y="15">{SECRET}</text></svg>'
    )
    (root / "bilder/ok.svg").write_text(secret, encoding="utf-8")
    (tmp_path / "secret.svg").write_text(secret, encoding="utf-8")
    (root / "bilder/link.svg").symlink_to(tmp_path / "secret.svg")
    return root


def _chart(references: str = "") -> str:
    """An embedded SVG chart, with `references` (its own <image> elements) inside."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="100" height="50"><rect width="100" height="50" fill="#0b4f8a"/>{references}</svg>'
    )
    return f"data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}"


def _hostile_chapter(port: int, project: Path, chart: str = "") -> PrintChapter:
    html = (
        f'<h1 id="kapitel">Kapitel</h1><p>Text <a href="http://127.0.0.1:{port}/l">en länk</a>.</p>'
        f'<p><img alt="x" src="http://127.0.0.1:{port}/x.png"><img alt="y" src="/etc/passwd">'
        f'<img alt="z" src="bilder/ok.svg"><img alt="l" src="bilder/link.svg">'
        f'<img alt="f" src="{(project / "bilder/ok.svg").as_uri()}"></p>'
        f'<figure><img src="{chart or _chart()}" alt="Ett diagram"></figure>'
        f'<p><img src="{PNG_DATA}" alt="En punkt"></p>'
    )
    return PrintChapter("Kapitel", "kapitel", html)


def test_writing_a_pdf_never_connects_or_reads_a_file(
    project: Path, tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    """Images by address, by path, by file: URL or through a link leaving the project, and a chart's
    own references: none is fetched or read; only the two embedded images are drawn."""
    port, seen = listener
    document = print_document(report(project), [_hostile_chapter(port, project)], project, "", "2025-02-03")
    target = write_pdf(document, tmp_path / "ut.pdf", base_url=project)
    assert seen == []
    text = " ".join(page.extract_text() or "" for page in PdfReader(target).pages)
    assert SECRET not in text and SECRET.encode() not in target.read_bytes()
    assert summarise_pdf(target).figures == 2 and summarise_pdf(target).empty_figures == []


@pytest.mark.parametrize("where", ["server", "file-url", "path", "relative"])
def test_a_chart_that_refers_to_anything_outside_is_refused(
    project: Path, tmp_path: Path, listener: tuple[int, list[bytes]], where: str
) -> None:
    """A chart's own <image> pointing at an address or a file is not loaded: Typst refuses the
    document (the build reports it) and nothing is fetched or read."""
    port, seen = listener
    href = {
        "server": f"http://127.0.0.1:{port}/d.png",
        "file-url": (project / "bilder/ok.svg").as_uri(),
        "path": str(project.parent / "secret.svg"),
        "relative": "bilder/ok.svg",
    }[where]
    chart = _chart(f'<image xlink:href="{href}" width="80" height="20"/>')
    document = print_document(
        report(project), [_hostile_chapter(port, project, chart)], project, "", "2025-02-03"
    )
    with pytest.raises(PdfError, match="Typst kunde inte sätta PDF-versionen: failed to load linked image"):
        write_pdf(document, tmp_path / "ut.pdf", base_url=project)
    assert seen == [] and not (tmp_path / "ut.pdf").exists()


def test_the_typst_source_names_no_file(project: Path) -> None:
    """Every image in the Typst source is given as bytes (`image(data, …)` in the preamble); no call
    of image, read, json, csv, yaml, toml, xml, cbor, plugin or include takes a path."""
    source = typst_document(report(project), [_hostile_chapter(1, project)], project, "", "2025-02-03").source
    reading = re.compile(r"\b(image|read|json|csv|yaml|toml|xml|cbor|plugin)\(\s*\"|#include\b|#import\b")
    assert reading.findall(source) == []
    assert source.count("rb-chart(bytes(") == 2
