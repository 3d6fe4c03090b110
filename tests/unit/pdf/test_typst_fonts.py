"""The PDF's fonts come from the pinned package only (matplotlib's DejaVu folder), never from the host:
a different "DejaVu Sans" in every place a host keeps fonts (fontconfig's configuration, ~/.fonts,
~/.local/share/fonts, XDG_DATA_HOME, TYPST_FONT_PATHS) leaves the bytes as they were, and every glyph
embedded in the PDF is a glyph of one of the folder's files."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import typst
from fontTools.ttLib import TTFont

from rapportbok.pdf.typst.document import TypstDocument, typst_document
from rapportbok.pdf.typst.writer import font_book, font_folder, render
from tests.unit.pdf.typst_book import chapters, report

ROOT = Path(__file__).resolve().parents[3]
DATE = "2025-02-03"
PROVENANCE = "Byggd från commit abc123"
ONE_COMPILE = """
import hashlib, sys
from pathlib import Path
from rapportbok.pdf.typst.document import typst_document
from rapportbok.pdf.typst.writer import render
from tests.unit.pdf.typst_book import chapters, report
root = Path(sys.argv[1])
document = typst_document(report(root), chapters(), root, "Byggd från commit abc123", "2025-02-03")
print(hashlib.sha256(render(document)).hexdigest())
"""
SHIFT = 37  # font units the host's "DejaVu Sans" moves its letters' and digits' outlines right
MOVED = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789"
COMPOSITE = b"\xff\xff"  # numberOfContours -1: a glyph made of others (their ids change in a subset)


@pytest.fixture(scope="module")
def book_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bok")


@pytest.fixture(scope="module")
def document(book_root: Path) -> TypstDocument:
    return typst_document(report(book_root), chapters(), book_root, PROVENANCE, DATE)


@pytest.fixture(scope="module")
def pdf(document: TypstDocument) -> bytes:
    """The finished PDF as the build writes it (`render`), in this process."""
    return render(document)


@pytest.fixture(scope="module")
def host_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with another "DejaVu Sans": the pinned file with the letters and digits moved."""
    folder = tmp_path_factory.mktemp("host-fonts")
    font = TTFont(font_folder() / "DejaVuSans.ttf", recalcBBoxes=False, recalcTimestamp=False)
    glyphs, characters = font["glyf"], font.getBestCmap()
    for name in {characters[ord(character)] for character in MOVED}:
        glyph = glyphs[name]
        if glyph.numberOfContours > 0:
            glyph.coordinates.translate((SHIFT, 0))
            glyph.recalcBounds(glyphs)
    font.save(folder / "DejaVuSans.ttf")
    return folder


def _host_environment(home: Path, fonts: Path) -> dict[str, str]:
    """Every place a Linux host or Typst's command line looks for fonts, each holding `fonts`."""
    places = [home / ".fonts", home / ".local/share/fonts", home / "xdg/fonts", home / "typst-fonts"]
    for place in places:
        place.mkdir(parents=True)
        (place / "DejaVuSans.ttf").write_bytes((fonts / "DejaVuSans.ttf").read_bytes())
    config = home / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir><dir>~/.fonts</dir></fontconfig>\n',
        encoding="utf-8",
    )
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "xdg"),
        "TYPST_FONT_PATHS": str(home / "typst-fonts"),
        "FONTCONFIG_FILE": str(config),
        "PYTHONPATH": str(ROOT),
    }


def _outlines(font: TTFont) -> set[bytes]:
    """Every simple glyph of `font` as stored (outline and instructions; a subset copies these bytes
    as they are, and renumbers only the parts of a composite glyph)."""
    glyphs = font["glyf"].glyphs
    stored = (getattr(glyphs[name], "data", None) for name in font.getGlyphOrder())
    return {data for data in stored if data and not data.startswith(COMPOSITE)}


def _embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """Every embedded font program of the PDF by its name without the subset tag (ABCDEF+)."""
    found = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for item in document.objects:
            if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor":
                program = item.get("/FontFile2") or item.get("/FontFile3") or item.get("/FontFile")
                assert program is not None, f"{item.FontName}: typsnittet är inte inbäddat"
                name = str(item.FontName)[1:].split("+", 1)[-1]
                found[name] = TTFont(io.BytesIO(program.read_bytes()))
    return found


def test_typst_sees_only_the_pinned_folder() -> None:
    """No font of the host or of the typst package itself (which has its own DejaVu Sans Mono)."""
    paths = [info.path for info in font_book().fonts()]
    assert paths
    assert all(path is not None and Path(path).parent == font_folder() for path in paths), paths


def test_every_embedded_glyph_is_a_glyph_of_the_pinned_fonts(pdf: bytes) -> None:
    embedded = _embedded_fonts(pdf)
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(embedded)
    pinned = {TTFont(path)["name"].getDebugName(6): path for path in font_folder().glob("DejaVu*.ttf")}
    for name, subset in embedded.items():
        assert name in pinned, f"{name} finns inte i {font_folder()}"
        outlines = _outlines(subset)
        assert outlines
        assert outlines <= _outlines(TTFont(pinned[name])), f"{name}: glyfer som inte är det låsta paketets"


def test_the_moved_font_would_show_in_the_pdf(document: TypstDocument, host_fonts: Path) -> None:
    """The check above and the host test below can fail: set in the host's font, the glyphs differ."""
    pdf = typst.compile(document.source.encode(), font_paths=[str(host_fonts)], ignore_system_fonts=True)
    subset = _embedded_fonts(pdf)["DejaVuSans"]
    pinned = _outlines(TTFont(font_folder() / "DejaVuSans.ttf"))
    assert len(_outlines(subset) - pinned) > 20


def test_fonts_on_the_host_do_not_reach_the_pdf(
    pdf: bytes, book_root: Path, host_fonts: Path, tmp_path: Path
) -> None:
    """The same book compiled in a process whose every font place holds the moved DejaVu Sans: same
    bytes as here."""
    there = subprocess.run(
        [sys.executable, "-c", ONE_COMPILE, str(book_root)],
        capture_output=True,
        text=True,
        check=True,
        env=_host_environment(tmp_path / "hem", host_fonts),
        cwd=ROOT,
    ).stdout.strip()
    assert there == hashlib.sha256(pdf).hexdigest()
