"""The multi-book site's own views: the overview table, the front page and the switcher menus."""

from __future__ import annotations

from html.parser import HTMLParser

from rapportbok.model.overview import OverviewFigures
from rapportbok.views.site_index import (
    SiteBook,
    by_organisation,
    overview_table,
    plural,
    site_index_page,
)
from rapportbok.views.switcher import Choice, switchers_html

HOSTILE = 'Nämnd <script>alert("x")</script> & "citat"'


def _book(organisation: str, name: str, year: int, kommun: str = "Norrtälje kommun") -> SiteBook:
    return SiteBook(organisation, name, kommun, "Verksamhetsberättelse", year, f"{organisation}-{year}.pdf")


FIGURES = OverviewFigures(12, 16, 29, 38, 22355.0, 3.8)


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_the_overview_is_a_table_with_a_caption_and_scoped_headers() -> None:
    """One row per organisation; its name is a row header linking to its book; figures in Swedish format."""
    html = overview_table([(_book("ks", "Kommunstyrelsekontoret", 2024), FIGURES)])
    parsed = _parse(html)
    assert html.count("<caption>") == 1
    headers = [attrs.get("scope") for tag, attrs in parsed.tags if tag == "th"]
    assert headers == ["col"] * 6 + ["row"]
    assert ("a", {"href": "ks/2024/index.html"}) in parsed.tags
    cells = "|".join(parsed.text)
    assert "|2024|12\u00a0av\u00a016|29\u00a0av\u00a038|+22\u00a0355|3,8\u00a0%" in cells


def test_a_missing_figure_is_said_in_words() -> None:
    """None is 'uppgift saknas', a deficit keeps its minus sign."""
    figures = OverviewFigures(0, 3, 0, 0, -1250.0, None)
    html = overview_table([(_book("ks", "KS", 2025), figures)])
    assert "-1\u00a0250</td>" in html and "uppgift saknas</td>" in html


def test_data_from_rapport_yml_is_escaped_on_the_front_page() -> None:
    """An organisation or municipality name with markup is shown as text in the overview and the list."""
    books = [_book("ond", HOSTILE, 2024, kommun="<b>Kommun</b>"), _book("ks", "Kommunstyrelsekontoret", 2024)]
    html = site_index_page(books, [(books[0], FIGURES)], "ks/2024/search.html")
    assert "<script>" not in html and "<b>" not in html
    assert html.count("Nämnd &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot;") == 2
    assert HOSTILE in "".join(_parse(html).text)


def test_the_front_page_lists_every_organisation_with_its_years_and_pdfs() -> None:
    """Organisations in Swedish alphabetical order (Å, Ä, Ö after Z), each with its books newest first."""
    books = [
        _book("arbetsmarknad", "Ärendenämnden", 2024),
        _book("ks", "Kommunstyrelsekontoret", 2023),
        _book("ks", "Kommunstyrelsekontoret", 2024),
        _book("zeta", "Zetanämnden", 2024),
    ]
    assert [group[0].name for group in by_organisation(books)] == [
        "Kommunstyrelsekontoret",
        "Zetanämnden",
        "Ärendenämnden",
    ]
    html = site_index_page(books, [], "ks/2024/search.html")
    links = [attrs["href"] for tag, attrs in _parse(html).tags if tag == "a"]
    statement = "zeta/2024/tillganglighet.html"  # the newest book's; the statement covers the site
    assert links == [
        "#innehall",
        statement,
        "ks/2024/index.html",
        "ks/2024/ks-2024.pdf",
        "ks/2023/index.html",
        "ks/2023/ks-2023.pdf",
        "zeta/2024/index.html",
        "zeta/2024/zeta-2024.pdf",
        "arbetsmarknad/2024/index.html",
        "arbetsmarknad/2024/arbetsmarknad-2024.pdf",
        statement,
    ]
    assert (
        "form",
        {"class": "rb-site-search", "role": "search", "action": "ks/2024/search.html", "method": "get"},
    ) in (_parse(html).tags)
    assert "<h1>Verksamhetsberättelser</h1>" in html


def test_report_types_are_put_in_the_plural() -> None:
    """Verksamhetsberättelse → Verksamhetsberättelser (not "…berättelseer"), and other common types."""
    assert plural("Verksamhetsberättelse") == "Verksamhetsberättelser"
    assert plural("Årsredovisning") == "Årsredovisningar"
    assert plural("Delårsrapport") == "Delårsrapporter"
    assert plural("Bokslut") == "Bokslut, alla år"


def test_the_switchers_are_two_disclosure_menus_of_plain_links() -> None:
    """<details>/<summary> with links: no JavaScript needed; the page's own book is aria-current; the
    organisation's name is escaped."""
    html = switchers_html(
        HOSTILE,
        2024,
        [Choice(HOSTILE, "../../ond/2024/index.html", True), Choice("KS (2023)", "../../ks/2023/index.html")],
        [Choice("2024", "../../ond/2024/index.html", True)],
        "../../index.html",
    )
    parsed = _parse(html)
    assert [tag for tag, _ in parsed.tags].count("details") == 2
    assert [tag for tag, _ in parsed.tags].count("summary") == 2
    assert ("nav", {"class": "rb-switchers", "aria-label": "Välj organisation och år"}) in parsed.tags
    current = [
        attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("aria-current") == "page"
    ]
    assert current == ["../../ond/2024/index.html", "../../ond/2024/index.html"]
    assert "<script>" not in html and "".join(parsed.text).count(HOSTILE) == 2
    assert html.count('href="../../index.html"') == 2  # the front page, from both menus


def test_the_front_page_has_a_header_and_footer_that_link_the_accessibility_statement() -> None:
    """Like every page of a book, the site's front page links the statement, in its header and footer,
    and uses no build words ("bok", "byggdes") in what the reader sees."""
    books = [_book("ks", "Kommunstyrelsekontoret", 2023), _book("ks", "Kommunstyrelsekontoret", 2024)]
    html = site_index_page(books, [], "ks/2024/search.html")
    for part in ("header", "footer"):
        element = html.split(f"<{part}", 1)[1].split(f"</{part}>", 1)[0]
        assert 'href="ks/2024/tillganglighet.html">Tillgänglighetsredogörelse</a>' in element
    text = " ".join(_parse(html.split("<body>", 1)[1]).text).casefold()
    assert "bok" not in text and "bygg" not in text
