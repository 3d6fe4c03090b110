"""Render MyST Markdown as Sphinx's parser does (myst-parser, through docutils), for tests of what
values can and cannot become on a page."""

from __future__ import annotations

from docutils.core import publish_string
from myst_parser.parsers.docutils_ import Parser


def myst_to_html(source: str, substitutions: dict[str, str] | None = None) -> str:
    """The HTML body that MyST (with the book's extensions) makes of `source`."""
    output = publish_string(
        source,
        parser=Parser(),
        writer_name="html5",
        settings_overrides={
            "myst_enable_extensions": ["substitution", "colon_fence"],
            "myst_substitutions": substitutions or {},
            "output_encoding": "unicode",
            "report_level": 5,
            "halt_level": 5,
        },
    )
    return output.split("<body>", 1)[1].split("</body>", 1)[0]
