"""Narrative Markdown as HTML, and where its links and images may point.

One parser and one rule for the page, the print edition and `check` (`target_problem`, `image_source`):
CommonMark with tables, raw HTML shown as text.

- A link may point to an `https://` or `mailto:` address, an anchor (`#…`), or a page of the book
  (`ekonomi.html`, `ekonomi.html#investeringar`). An anchor that names nothing on the page is a link to
  the page itself: the print edition (`pdf.document.resolve_anchors`) makes it plain text, so the
  build never fails on it.
- An image is a file of the year's folder (`bilder/diagram.png` is `data/<org>/<år>/bilder/diagram.png`),
  a PNG, JPEG or SVG that `data.images.read_image` decodes. The page embeds it as a `data:` URL, so the
  site and the PDF show the same picture and neither fetches anything. An image from another site
  (`https://…`) is refused: the book is reproducible from `data/` alone, the print edition shows what
  the web shows, and a reader's browser is never sent elsewhere by the book.

Anything else (http:, file:, data:, javascript:, //host, /absolute, ../, a file that is no page or no
image) is refused: `check` names its file and line, and the page shows it as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from rapportbok.core.toc import chapter_names
from rapportbok.data.files import RefusedFile
from rapportbok.data.images import read_image
from rapportbok.data.report import Report
from rapportbok.exceptions import ConfigError

LINK_RULE = (
    "en länk pekar på en https://- eller mailto:-adress, ett #ankare eller ett kapitel i boken, "
    "t.ex. ekonomi.html#investeringar"
)
IMAGE_RULE = "en bild är en bildfil (PNG, JPEG eller SVG) i årets mapp, t.ex. bilder/diagram.png"
PAGE = re.compile(r"[a-z0-9][a-z0-9-]*\.html", re.ASCII)  # a page of the book, as the print edition links it
MAX_IMAGES = 20  # per text: each is embedded whole in the page and in the PDF


def target_problem(target: str, *, image: bool) -> str | None:
    """Why a link or image target is refused, in Swedish; None when its form is allowed (an image's
    file is then read by `image_source`). The characters first, then an anchor, an address with a
    scheme, and last a path."""
    decoded = unquote(target)  # what a browser or a file system would make of %2e%2e, %0a, %5c
    problem = _character_problem(decoded)
    if problem:
        return problem
    if target.startswith("#"):
        return "är ett ankare; en bild ska vara en bildfil i årets mapp" if image else None
    parts = urlsplit(target)
    if parts.scheme or ":" in decoded.split("/", 1)[0]:
        return _address_problem(parts, decoded, image=image)
    return _path_problem(target, parts, image=image)


def _character_problem(decoded: str) -> str | None:
    """Control characters and backslashes are refused in any target."""
    if any(ord(char) < 32 or ord(char) == 127 for char in decoded):
        return "innehåller styrtecken"
    if "\\" in decoded:
        return "innehåller bakåtsnedstreck (\\); skriv sökvägar med /"
    return None


def _address_problem(parts: SplitResult, decoded: str, *, image: bool) -> str | None:
    """A target with a scheme (or a colon before its first /): only https: and, for a link, mailto:."""
    scheme = parts.scheme.lower()
    if scheme == "https" and image:
        return (
            "hämtas från en annan webbplats, som boken aldrig gör; lägg bilden i årets mapp och skriv "
            "dess sökväg, t.ex. bilder/bild.png"
        )
    if scheme == "https":
        return None if parts.netloc else "är ingen fullständig https://-adress"
    if scheme == "mailto" and not image:
        return None
    kind = scheme or decoded.split(":", 1)[0]
    return f"pekar på en adress av typen {kind}:, som inte är tillåten"


def _path_problem(target: str, parts: SplitResult, *, image: bool) -> str | None:
    """A target without a scheme: a relative path inside the project, to an image file or a page."""
    if target.startswith("//"):
        return "pekar på en annan webbplats utan https:"
    path = unquote(parts.path)
    if path.startswith("/"):
        return "pekar på en absolut sökväg utanför projektet"
    if ".." in path.split("/"):
        return "pekar uppåt (..) och kan lämna projektet"
    if image:
        return "har ? eller # efter filnamnet" if parts.query or parts.fragment else None
    if parts.query:
        return "har ? efter sidans namn; länka till sidan eller ett #ankare på den"
    if not PAGE.fullmatch(path):
        return "pekar på en fil som inte är en sida i boken; länka till ett kapitel, t.ex. ekonomi.html"
    return None


@dataclass(frozen=True)
class ImageSource:
    """What the page shows for an image: its `data:` URL, or why it is refused and what is allowed."""

    url: str | None
    problem: str | None = None
    allowed: str = IMAGE_RULE


def image_source(target: str, folder: Path, record: Callable[[Path], None] | None = None) -> ImageSource:
    """An image target as the page shows it: the one rule for `check` and the page.

    First the form (`target_problem`), then the file, which must be a PNG, JPEG or SVG in the year's
    `folder`, reached without links and decoded in full (`read_image`). `record` notes the file as read
    (a chapter that shows it is run again when it changes)."""
    problem = target_problem(target, image=True)
    if problem:
        return ImageSource(None, problem)
    relative = unquote(urlsplit(target).path)
    try:
        picture = read_image(folder / relative, relative, within=folder)
    except RefusedFile as refused:
        return ImageSource(None, refused.problem.message, refused.problem.allowed or IMAGE_RULE)
    if record is not None:
        record(folder / relative)
    return ImageSource(picture.data_url)


def book_pages(report: Report) -> list[str] | None:
    """The chapter pages this year's book has (`<name>.html`), or None when _toc.yml cannot be read
    (the build names that problem)."""
    toc = report.book.toc
    try:
        names = chapter_names(toc) if toc.is_file() else None
    except ConfigError:
        return None
    if names is None:
        return None
    return [f"{name}.html" for name in names if name not in report.meta.left_out_chapters]


def link_problem(target: str, pages: list[str] | None) -> str | None:
    """Why a link is refused, in Swedish; None when the page shows it. A link to a page must name a
    chapter of this year's book (`pages`; on the site any other page is missing)."""
    problem = target_problem(target, image=False)
    parts = urlsplit(target)
    page = unquote(parts.path)
    if problem or pages is None or parts.scheme or not page or page in pages:
        return problem
    return f"pekar på sidan {page}, som inte är ett kapitel i boken (kapitlen är {', '.join(pages)})"


def _allowed(url: str) -> bool:
    """markdown-it's test for links and images alike: either form may pass; the render rules below
    then apply the rule of the one it is."""
    return target_problem(url, image=False) is None or target_problem(url, image=True) is None


def _link_open(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """A link that `link_problem` refuses (e.g. a path to an image file) is shown as its text."""
    if "pages" not in env:  # _toc.yml is read once per text
        env["pages"] = book_pages(env["report"]) if env.get("report") is not None else None
    refused = link_problem(str(tokens[index].attrGet("href") or ""), env["pages"]) is not None
    env.setdefault("links", []).append(refused)
    return "" if refused else self.renderToken(tokens, index, options, env)


def _link_close(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    refused = env.get("links", [False]).pop() if env.get("links") else False
    return "" if refused else self.renderToken(tokens, index, options, env)


def _image_or_text(self: Any, tokens: list[Token], index: int, options: Any, env: Any) -> str:
    """An image of the year's folder is embedded as a data: URL; any other image is shown as its alt
    text (so is every image beyond MAX_IMAGES, and every image when the page names no folder)."""
    token = tokens[index]
    env["images"] = env.get("images", 0) + 1
    report = env.get("report")
    source = (
        image_source(str(token.attrGet("src") or ""), report.year_dir, report.reads.record).url
        if report is not None and env["images"] <= MAX_IMAGES
        else None
    )
    if source is None:
        return escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    token.attrSet("src", source)
    return self.image(tokens, index, options, env)


@cache
def _parser(validate: bool) -> MarkdownIt:
    """The page's parser (`validate`) or check's (every target kept), built once per process: building
    one costs more than parsing a text. Parsing and rendering keep their state in the call (`env`)."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.validateLink = _allowed if validate else (lambda url: True)  # type: ignore[method-assign]
    if validate:
        parser.add_render_rule("image", _image_or_text)
        parser.add_render_rule("link_open", _link_open)
        parser.add_render_rule("link_close", _link_close)
    return parser


def markdown_to_html(markdown: str, report: Report | None = None) -> str:
    """Narrative Markdown as HTML. Raw HTML is shown as text; a refused link is shown as text, and so
    is an image unless it is a file of the `report`'s year folder (`image_source`), which is embedded."""
    return _parser(validate=True).render(markdown, {"report": report})


@dataclass(frozen=True)
class Target:
    """A link or image in a text: where it points, and the line it is on."""

    target: str
    image: bool
    line: int | None


def _inline_tokens(tokens: list[Token]) -> Iterator[tuple[Token, Token]]:
    for block in tokens:
        for child in block.children or []:
            yield block, child


def link_targets(markdown: str) -> list[Target]:
    """Every link and image target of a text (also those the page would refuse), with its line.

    A link or image starts with `[` (`[x](…)`, `![x](…)`, `[x][ref]`) or is an autolink `<…>`: a text
    with neither has none, and is not parsed (markdown-it takes seconds on a long line of `](`)."""
    if "[" not in markdown and "<" not in markdown:
        return []
    lines = markdown.splitlines()
    found = []
    for block, token in _inline_tokens(_parser(validate=False).parse(markdown)):
        if token.type not in ("link_open", "image"):
            continue
        target = str(token.attrGet("href") if token.type == "link_open" else token.attrGet("src") or "")
        found.append(Target(target, token.type == "image", _line(block, target, lines)))
    return found


def _line(block: Token, target: str, lines: list[str]) -> int | None:
    """The line of `target` within its block (markdown-it only knows the block's first line)."""
    if block.map is None:
        return None
    first, last = block.map
    for number in range(first, last):
        line = lines[number].replace("\\", "")  # a filled-in value is backslash-escaped in the source
        if target and (target in line or unquote(target) in line):
            return number + 1
    return first + 1
