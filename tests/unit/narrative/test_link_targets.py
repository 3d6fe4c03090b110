"""link_targets, which check uses on every text: a text that cannot hold a link or image is not parsed,
and one parser per kind serves every text (building one cost more than parsing a text)."""

from __future__ import annotations

import pytest

from rapportbok.narrative import markdown
from rapportbok.narrative.markdown import Target, link_targets, markdown_to_html


def _parsed(text: str) -> list[Target]:
    """The targets as markdown-it finds them, without the shortcut."""
    lines = text.splitlines()
    return [
        Target(
            str(token.attrGet("href") if token.type == "link_open" else token.attrGet("src") or ""),
            token.type == "image",
            markdown._line(block, str(token.attrGet("href") or token.attrGet("src") or ""), lines),
        )
        for block, token in markdown._inline_tokens(markdown._parser(validate=False).parse(text))
        if token.type in ("link_open", "image")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Bara text, (parenteser) och ](.\n",
        "Se [målen](#mal-1-1) och ![x](bilder/a.png).\n",
        "Rad ett.\n\nSe [x][ref]\n\n[ref]: /etc/passwd\n",
        "En autolänk <https://www.norrtalje.se/> och <file:///etc/passwd>.\n",
        "&#91;x&#93;(https://a.se) och \\[x](https://a.se) är inga länkar.\n",
        "| a | b |\n|---|---|\n| [c](https://c.se) | d |\n",
    ],
)
def test_link_targets_are_what_the_parser_finds(text: str) -> None:
    assert link_targets(text) == _parsed(text)


def test_a_text_without_brackets_or_angle_brackets_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # "](" × 200 000 took markdown-it 7 s to parse, for no link at all.
    def refuses(validate: bool) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(markdown, "_parser", refuses)
    assert link_targets("](" * 200_000) == []
    with pytest.raises(AssertionError):
        link_targets("[x](https://a.se)")


def test_the_parser_is_built_once_and_keeps_no_state_between_texts() -> None:
    assert markdown._parser(validate=True) is markdown._parser(validate=True)
    assert markdown._parser(validate=False) is markdown._parser(validate=False)
    assert markdown._parser(validate=True) is not markdown._parser(validate=False)
    first = markdown_to_html("[a](http://a.se) [b](https://b.se)\n")
    assert markdown_to_html("[a](http://a.se) [b](https://b.se)\n") == first
    assert '<a href="https://b.se">b</a>' in first and "http://a.se" not in first.split("<a ")[-1]
    assert link_targets("[x](file:///etc/passwd)") == [Target("file:///etc/passwd", False, 1)]
