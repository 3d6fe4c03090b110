"""The logo of rapport.yml (`logotyp`) in the web header: the site's theme gets it as a data URL (the
same file the print edition's cover draws), and a year without a logo gets none."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

from rapportbok.pipeline.publishing.siteconfig import year_config
from tests.unit.pdf.typst_book import report

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _theme_options(config: dict) -> dict:
    return config["sphinx"]["config"]["html_theme_options"]


def test_the_logo_goes_to_the_web_header_as_a_data_url(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    book = report(tmp_path)
    book = replace(book, meta=replace(book.meta, logo=Path("logo.png")))
    logo = _theme_options(year_config({}, book))["logo"]
    assert logo == "data:image/png;base64," + base64.b64encode(PNG).decode()


def test_a_year_without_a_logo_has_none_in_the_header(tmp_path: Path) -> None:
    assert "logo" not in _theme_options(year_config({}, report(tmp_path)))


def test_the_theme_draws_the_logo_beside_the_title_only_when_there_is_one() -> None:
    """The template escapes the URL and marks the image decorative: the title beside it names the site."""
    layout = (Path(__file__).parents[3] / "book/_themes/rapportbok/layout.html").read_text(encoding="utf-8")
    image = '<img class="rb-site-logo" src="{{ theme_logo|e }}" alt="" />'
    assert "{%- if theme_logo %}" + image + "{% endif %}" in layout
