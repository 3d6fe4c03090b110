"""The search index of a published site: every section of every page, as a script the search page loads.

A script (not JSON fetched at run time) so that search works from a web server and from the file
system alike. The search page (book/_static/rapportbok-sok.js) stems the words itself, with the same
Swedish Snowball stemmer for the index and the query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

INDEX_FILE = Path("_static") / "sokindex.js"
INDEX_VARIABLE = "window.rapportbokSokindex"
SITE_INDEX_FILE = "sokindex-alla.js"  # at the root of the multi-book site
SITE_INDEX_VARIABLE = "window.rapportbokSokindexAlla"
BOOK_TO_SITE = "../../"  # from a book's folder, <org>/<year>/, to the site's root
NOT_INDEXED = ("search.html", "genindex.html")
HEADINGS = ("h1", "h2", "h3")
OUTER = {"h3": "h2"}  # a section under this heading is named with the heading of the section it is in
SKIPPED = ("script", "style", "details", "template")  # details: a chart's data repeats its table
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Section:
    """A part of a page from one heading to the next, the unit a search result links to. `within` is
    the heading of the section it is part of (a goal's "1.2. En effektiv verksamhet" for its
    "Uppdrag"), so that results with the same heading can be told apart."""

    url: str
    page: str
    heading: str = ""
    text: list[str] = field(default_factory=list)
    within: str = ""

    def as_row(self) -> list[str]:
        where = " – ".join(part for part in (self.page, " ".join(self.within.split())) if part)
        return [self.url, where, " ".join(self.heading.split()), " ".join(" ".join(self.text).split())]


class _SectionParser(HTMLParser):
    """Splits the article of a page at its headings; the anchor is the heading's or its section's id."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.page_title = ""
        self.sections: list[Section] = []
        self._depth = 0  # open elements inside the article
        self._in_article = False
        self._skip = 0
        self._heading: str | None = None
        self._in_title = False
        self._last_id = ""
        self._outer: dict[str, Section] = {}  # the latest section of each heading level

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
        if not self._in_article:
            if tag == "article" and "rb-article" in (attributes.get("class") or ""):
                self._in_article, self._depth = True, 0
            return
        if tag not in VOID:
            self._depth += 1
        if self._skip or tag in SKIPPED:
            self._skip += tag not in VOID
            return
        if attributes.get("id"):
            self._last_id = attributes["id"] or ""
        if tag in HEADINGS:
            self._heading = tag
            anchor = attributes.get("id") or self._last_id
            section = Section(f"{self.url}#{anchor}" if anchor else self.url, self.page_title)
            self._outer[tag] = section
            outer = self._outer.get(OUTER.get(tag, ""))
            section.within = outer.heading if outer is not None else ""
            self.sections.append(section)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if not self._in_article or tag in VOID:
            return
        self._depth -= 1
        if self._depth < 0:
            self._in_article = False
            return
        if self._skip:
            self._skip -= 1
            return
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page_title += data
            return
        if not self._in_article or self._skip:
            return
        if not self.sections:
            self.sections.append(Section(self.url, self.page_title))
        section = self.sections[-1]
        if self._heading:
            section.heading += data
        else:
            section.text.append(data)


def page_sections(html: str, url: str) -> list[Section]:
    """The sections of one page, with the page's title (the part before " – ") on each."""
    parser = _SectionParser(url)
    parser.feed(html)
    parser.close()
    title = parser.page_title.split(" – ")[0].strip()
    for section in parser.sections:
        section.page = title
    return [section for section in parser.sections if (section.heading + "".join(section.text)).strip()]


def write_search_index(html_dir: Path) -> Path:
    """Write `_static/sokindex.js` for every page of the site in `html_dir`, in a stable order."""
    rows = []
    for page in sorted(html_dir.rglob("*.html")):
        relative = page.relative_to(html_dir).as_posix()
        if relative.startswith("_static/") or relative in NOT_INDEXED:
            continue
        rows += [section.as_row() for section in page_sections(page.read_text(encoding="utf-8"), relative)]
    target = html_dir / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_script(INDEX_VARIABLE, {"avsnitt": rows}), encoding="utf-8")
    return target


def _script(variable: str, value: object) -> str:
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")  # "</" could end a script element; "<\/" reads the same
    return f"{variable} = {payload};\n"


def read_search_index(html_dir: Path) -> list[list[str]]:
    """The sections of a published book's search index (as write_search_index wrote them)."""
    text = (html_dir / INDEX_FILE).read_text(encoding="utf-8")
    payload = text.strip().removeprefix(f"{INDEX_VARIABLE} = ").removesuffix(";")
    return json.loads(payload)["avsnitt"]


def write_site_search_index(site_dir: Path, books: list[tuple[str, str, int]]) -> Path:
    """Write `sokindex-alla.js` at the site's root: every section of every book, for the search page
    of each book. `books` are (folder relative to the site, organisation's name, year); a section is
    [book number, url within its book, page, heading, text], and `fran_bok` is the way from a book's
    folder to the site's root, so that results link relatively (web server and file system alike)."""
    rows = []
    for number, (folder, _, _) in enumerate(books):
        rows += [[number, *section] for section in read_search_index(site_dir / folder)]
    value = {
        "fran_bok": BOOK_TO_SITE,
        "bocker": [[folder, name, year] for folder, name, year in books],
        "avsnitt": rows,
    }
    target = site_dir / SITE_INDEX_FILE
    target.write_text(_script(SITE_INDEX_VARIABLE, value), encoding="utf-8")
    return target
