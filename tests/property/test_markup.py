"""Property: any value, escaped with markdown_literal, is exactly its text in MyST and in CommonMark."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from rapportbok.core.markup import markdown_literal
from rapportbok.narrative.markdown import markdown_to_html
from tests.conftest import examples
from tests.myst import myst_to_html

# Every character that takes part in Markdown or MyST syntax, over-represented, plus any other text.
SYNTAX = [*list("\\`*_{}[]()<>#+-.!|~:&=$%;'\"/@^?"), "```", ":::", "{raw}", "&lt;", "&#60;", "\n", "    "]
VALUES = st.lists(
    st.one_of(
        st.sampled_from(SYNTAX),
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), max_size=6),
    ),
    max_size=30,
).map("".join)


def _visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@settings(max_examples=examples(200), deadline=None)
@given(value=VALUES)
def test_a_value_is_its_own_text_in_myst(value: str) -> None:
    """Substituted into a MyST page (inline and as a block), the value is shown as exactly its text:
    no directive, role, link, image, HTML, heading, list or code."""
    html = myst_to_html("Text {{ v }} slut.\n\n{{ v }}\n", {"v": markdown_literal(value)})
    shown = " ".join(value.split())
    assert _visible(html) == " ".join(f"Text {shown} slut. {shown}".split())
    assert not re.search(r"<(?!/?p\b|main\b|/main\b|div\b|/div\b)", html.replace("\n", " ")), html


@settings(max_examples=examples(200), deadline=None)
@given(value=VALUES)
def test_a_value_is_its_own_text_in_narrative(value: str) -> None:
    """In a narrative text (CommonMark), a filled-in value is exactly its text, in one paragraph."""
    html = markdown_to_html(f"Text {markdown_literal(value)} slut.\n")
    assert _visible(html) == " ".join(f"Text {value} slut.".split())
    assert re.fullmatch(r"<p>[^<]*</p>\n", html), html
