"""The cover, the colophon and the house colours of the print edition."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from rapportbok.data.report import Metadata
from rapportbok.exceptions import PdfError
from rapportbok.pdf.cover import colophon_html, contrast_with_white, cover_html, house_colours, period_text

META = Metadata(
    organisation="Kommunstyrelsekontoret", kommun="Norrtälje kommun", year=2024, period_end=date(2024, 12, 31)
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_the_cover_names_municipality_report_organisation_and_period(tmp_path: Path) -> None:
    """Everything a reader needs to know what the document is, and no build details."""
    html = cover_html(META, tmp_path)
    for text in ("Norrtälje kommun", "Verksamhetsberättelse 2024", "Kommunstyrelsekontoret"):
        assert text in html
    assert "Perioden 1 januari–31 december 2024" in html
    assert "<img" not in html and "commit" not in html and "sha256" not in html


def test_a_period_that_ends_in_august_says_so() -> None:
    assert period_text(Metadata("X", "Y kommun", 2025, date(2025, 8, 31))) == "1 januari–31 augusti 2025"


def test_a_logo_in_the_project_is_embedded_in_the_cover(tmp_path: Path) -> None:
    """The logo travels inside the PDF (a data URI), with an alt text naming the municipality."""
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder/logo.png").write_bytes(PNG)
    html = cover_html(replace(META, logo=Path("bilder/logo.png")), tmp_path)
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html
    assert 'alt="Norrtälje kommuns logotyp"' in html


@pytest.mark.parametrize("logo", ["../utanfor.png", "/etc/passwd.png", "saknas.png", "logo.gif"])
def test_a_logo_outside_the_project_missing_or_of_another_type_is_refused(tmp_path: Path, logo: str) -> None:
    """The message says what is wrong, in Swedish; nothing outside the project is read."""
    (tmp_path.parent / "utanfor.png").write_bytes(PNG)
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    with pytest.raises(PdfError, match="Logotypen"):
        cover_html(replace(META, logo=Path(logo)), tmp_path)


def test_a_logo_larger_than_a_logo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG + bytes(6 * 1024 * 1024))
    with pytest.raises(PdfError, match=r"Logotypen logo\.png: filen är för stor"):
        cover_html(replace(META, logo=Path("logo.png")), tmp_path)


def test_a_dark_accent_colours_headings_and_a_light_one_only_rules() -> None:
    """Headings stay readable (4.5:1 on white); a light accent still colours the cover band."""
    dark = house_colours(replace(META, accent_colour="#6A1B9A"))
    assert dark == {"accent": "#6a1b9a", "heading": "#6a1b9a"}
    light = house_colours(replace(META, accent_colour="#FFD700"))
    assert light["accent"] == "#ffd700" and light["heading"] == "#1a1a1a"
    assert contrast_with_white("#ffd700") < 4.5 < contrast_with_white("#6a1b9a")


def test_without_an_accent_the_house_blue_is_used() -> None:
    assert house_colours(META)["accent"] == "#0b4f8a"


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#12345g; } body { display: none"])
def test_an_accent_that_is_not_rrggbb_is_refused(colour: str) -> None:
    """Only #RRGGBB reaches the stylesheet, so the metadata cannot inject CSS."""
    with pytest.raises(PdfError, match="#RRGGBB"):
        house_colours(replace(META, accent_colour=colour))


def test_the_colophon_carries_the_build_details_in_small_print() -> None:
    """Commit, data fingerprint and versions; and where the per-file checksums are."""
    provenance = "Byggd från commit abc123; data 2024: sha256 0123456789abcdef; rapportbok 0.1.0."
    html = colophon_html(META, provenance, "2025-02-01")
    assert f'<p class="rb-provenance">{provenance}</p>' in html
    assert "framställd 2025-02-01" in html and "sidan Om rapporten" in html
