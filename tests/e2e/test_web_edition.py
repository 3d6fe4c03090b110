"""The web edition as a reader uses it, in Chromium: the menu and the in-page contents on a phone, by
touch and keyboard; tables that fit at 1280 and 390 px; readable charts; light and dark colours; the
Swedish search from a web server and from the file system; the front page. All on the session's build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapportbok.data.load import load_year
from rapportbok.views.forsida import key_figures
from tests.e2e.conftest import rapportbok, site_pages

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="sv-SE", has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    yield context.new_page()
    context.close()


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


def test_the_menu_opens_and_closes_by_touch_on_a_phone(phone, site: str) -> None:
    """At 390 px the chapter list is behind the Meny button; a tap opens it, focus moves into it."""
    phone.goto(f"{site}/chapters/ekonomi.html")
    button = phone.get_by_role("button", name="Meny", exact=True)
    chapter = phone.get_by_role("link", name="Kommunen som arbetsgivare", exact=True).first
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not chapter.is_visible()
    button.tap()
    assert button.get_attribute("aria-expanded") == "true"
    assert chapter.is_visible()
    assert "Startsida" in _focused(phone)  # focus moved to the menu's first link
    phone.get_by_role("button", name="Stäng menyn").tap()
    assert button.get_attribute("aria-expanded") == "false" and not chapter.is_visible()
    assert "rb-menu-button" in _focused(phone)  # and back to the button
    button.tap()
    chapter.tap()
    phone.wait_for_url(re.compile(r"arbetsgivare\.html$"))
    assert phone.locator("h1").first.inner_text().startswith("Kommunen som arbetsgivare")


def test_the_menu_opens_and_closes_by_keyboard_on_a_phone(phone, site: str) -> None:
    """Tab to Meny, Enter opens it with focus on the first link, Escape closes it and returns focus."""
    phone.goto(f"{site}/chapters/ekonomi.html")
    phone.keyboard.press("Tab")  # the skip link
    phone.keyboard.press("Tab")
    assert "rb-menu-button" in _focused(phone)
    phone.keyboard.press("Enter")
    assert phone.get_by_role("navigation", name="Kapitel").is_visible()
    assert "Startsida" in _focused(phone)
    phone.keyboard.press("Tab")
    assert "Sammanfattning" in _focused(phone)
    phone.keyboard.press("Escape")
    assert "rb-menu-button" in _focused(phone)
    assert not phone.get_by_role("navigation", name="Kapitel").is_visible()


def test_the_menu_is_always_shown_on_a_desktop(desktop, site: str) -> None:
    """At 1280 px the chapters are beside the article, without a menu button; the current page is marked."""
    desktop.goto(f"{site}/chapters/ekonomi.html")
    assert not desktop.get_by_role("button", name="Meny", exact=True).is_visible()
    menu = desktop.get_by_role("navigation", name="Kapitel")
    assert menu.is_visible()
    assert menu.locator('a[aria-current="page"]').inner_text() == "Ekonomi"
    assert desktop.locator("input[type=search]").count() == 1  # one search box


def test_the_in_page_contents_opens_on_a_phone(phone, site: str) -> None:
    """'Innehåll på sidan' sits under the title; a tap shows the page's sections, a link jumps there."""
    phone.goto(f"{site}/chapters/ekonomi.html")
    toggle = phone.get_by_text("Innehåll på sidan", exact=True)
    contents = phone.get_by_role("navigation", name="Innehåll på sidan")
    section = contents.get_by_role("link", name="Investeringar")
    assert toggle.is_visible() and not section.is_visible()
    toggle.tap()
    assert section.is_visible()
    section.tap()
    phone.wait_for_url(re.compile(r"#investeringar$"))


def _table_overflows(page) -> list[str]:
    """Tables (chart data tables opened) wider than their box, and the page's own sideways overflow."""
    return page.evaluate("""() => {
        document.querySelectorAll('details').forEach(d => d.open = true);
        window.dispatchEvent(new Event('resize'));
        return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
            const wide = [...document.querySelectorAll('table.rb-table')]
                .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1
                             || t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
                .map(t => `${t.id}: ${t.parentElement.scrollWidth} > ${t.parentElement.clientWidth}`);
            const root = document.documentElement;
            if (root.scrollWidth > root.clientWidth) wide.push(`sidan: ${root.scrollWidth}`);
            done(wide);
        })));
    }""")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_table_is_wider_than_its_box(built: Path, site: str, browser, viewport: dict) -> None:
    """Every table on every page fits its column (scrollWidth ≤ clientWidth); no page scrolls sideways."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    overflowing, tables = {}, 0
    for name in site_pages(built):
        page.goto(f"{site}/{name}")
        tables += page.locator("table.rb-table").count()
        found = _table_overflows(page)
        if found:
            overflowing[name] = found
    context.close()
    assert tables >= 60
    assert overflowing == {}


def test_on_a_phone_a_wide_table_is_one_labelled_block_per_row(phone, site: str) -> None:
    """An indicator table at 390 px: each cell says its column's name; the comment follows its row."""
    phone.goto(f"{site}/chapters/maluppfyllelse.html")
    table = phone.locator("#mal-1-1-indikatorer")
    assert "rb-stacked" in table.get_attribute("class")
    first = table.locator("tbody tr").first
    label = first.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Utfall 2021: "'
    assert first.get_attribute("role") == "row"
    comment = table.locator("tr.rb-detail").first
    assert comment.inner_text().startswith("Senaste kommentar:")
    assert comment.is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_chart_text_is_at_least_11_px_on_a_desktop_and_a_phone(browser, site: str, viewport: dict) -> None:
    """Every chart's smallest text, as shown at 1280 and at 390 px (the SVG scaled to its column), is at
    least 11 CSS px; no title is cut short."""
    context = browser.new_context(viewport=viewport, locale="sv-SE")
    page = context.new_page()
    smallest = {}
    for name in ("maluppfyllelse", "ekonomi", "arbetsgivare"):
        page.goto(f"{site}/chapters/{name}.html")
        smallest.update(
            page.evaluate("""() => Object.fromEntries(
              [...document.querySelectorAll('figure.rb-figure img')].map((img, n) => {
                const svg = new DOMParser().parseFromString(atob(img.src.split(',')[1]), 'image/svg+xml');
                const box = svg.documentElement.getAttribute('viewBox').split(' ').map(Number);
                const sizes = [...svg.querySelectorAll('text')]
                  .map(t => parseFloat((t.getAttribute('style') || '').match(/font-size: ([0-9.]+)px/)?.[1]))
                  .filter(Number.isFinite);
                const scale = img.clientWidth / box[2];  // the drawing inside the image's border
                return [location.pathname + '#' + n, Math.min(...sizes) * scale];
              }))""")
        )
        assert page.locator("figure.rb-figure").count() > 0
    html = page.content()
    context.close()
    assert len(smallest) == 34
    too_small = {chart: round(size, 1) for chart, size in smallest.items() if size < 11}
    assert too_small == {}
    assert "…</text>" not in html  # no chart text ends in a cut


def test_on_a_phone_each_rows_name_stands_on_its_own_line(phone, site: str) -> None:
    """At 390 px a short row name ("Intäkter", "IT") does not take the row's first value onto its line:
    every stacked row reads alike, name first, then its values (issue 28 review)."""
    phone.goto(f"{site}/chapters/ekonomi.html")
    shared = phone.evaluate("""() => [...document.querySelectorAll('table.rb-stacked tbody tr')]
      .map(row => [row, [...row.querySelectorAll('td')].find(cell => cell.getClientRects().length)])
      .filter(([row, value]) => row.querySelector('th[scope=row]') && value)  // an empty cell is hidden
      .filter(([row, value]) => {
        const name = row.querySelector('th[scope=row]').getBoundingClientRect();
        return value.getBoundingClientRect().top < name.bottom - 1;
      })
      .map(([row]) => row)
      .map(row => row.querySelector('th').textContent.trim())""")
    assert phone.locator("table.rb-stacked tbody th[scope=row]").count() >= 10
    assert shared == []


def test_on_a_phone_the_page_title_stands_above_its_section_headings(phone, site: str) -> None:
    """At 390 px each level of heading is clearly larger than the next (the title was 25 px and a section
    heading 24 px, so "Om rapporten" read as one more section)."""
    phone.goto(f"{site}/om-rapporten.html")
    sizes = phone.evaluate("""() => Object.fromEntries(['h1', 'h2', 'h3'].map(tag =>
      [tag, parseFloat(getComputedStyle(document.querySelector('.rb-article ' + tag)).fontSize)]))""")
    assert sizes["h1"] >= 1.25 * sizes["h2"] and sizes["h2"] >= 1.1 * sizes["h3"], sizes


def test_a_total_row_on_a_phone_has_one_rule_not_one_per_cell(phone, site: str) -> None:
    """At 390 px the Ekonomi tables are one block per row: the total row's cells draw no border of
    their own (the row's rule is above it), as every other row."""
    phone.goto(f"{site}/chapters/ekonomi.html")
    totals = phone.locator("table.rb-stacked tr.rb-total")
    assert totals.count() >= 1
    borders = totals.first.evaluate(
        "row => [...row.children].map(cell => getComputedStyle(cell).borderTopWidth)"
    )
    assert set(borders) == {"0px"}
    assert totals.first.evaluate("row => getComputedStyle(row).borderTopStyle") == "solid"


def _background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def test_dark_and_light_follow_the_system_and_the_readers_choice(browser, site: str) -> None:
    """A dark system gets the dark page; 'Ljust' in the footer overrides it and is remembered."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{site}/chapters/maluppfyllelse.html")
    assert _background(page) == "rgb(18, 20, 23)"
    heading = page.locator("h2", has_text="1.1. En ekonomi i balans")
    assert heading.evaluate("h => getComputedStyle(h).color") == "rgb(233, 234, 236)"
    chart = page.locator("figure.rb-figure img").first
    assert chart.evaluate("i => getComputedStyle(i).backgroundColor") == "rgb(255, 255, 255)"  # its surface
    page.select_option("#rb-fargval", "ljust")
    assert _background(page) == "rgb(255, 255, 255)"
    page.goto(f"{site}/chapters/ekonomi.html")
    assert _background(page) == "rgb(255, 255, 255)"
    page.select_option("#rb-fargval", "system")
    assert _background(page) == "rgb(18, 20, 23)"
    context.close()


SEARCHES = {
    "höjdfordonet": {"chapters/ekonomi.html"},
    "sjukfrånvaron": {"index.html", "chapters/arbetsgivare.html", "chapters/sammanfattning.html"},
    "investeringarna": {"chapters/ekonomi.html", "chapters/maluppfyllelse.html"},
}


def _search(page, base: str, query: str) -> tuple[str, set[str], list[str]]:
    page.goto(f"{base}/search.html?q={query}")
    page.wait_for_function("() => /för ”/.test(document.getElementById('rb-sokstatus').textContent)")
    links = page.locator("#rb-sokresultat a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    snippets = page.locator("#rb-sokresultat li p").all_inner_texts()
    found = {link.split("#")[0].removeprefix("./") for link in links}
    return page.inner_text("#rb-sokstatus"), found, snippets


@pytest.mark.parametrize("origin", ["webbserver", "filsystem"])
def test_search_finds_swedish_word_forms(built: Path, site: str, desktop, origin: str) -> None:
    """Inflected forms find their words, from a web server and from file://, with snippets."""
    base = (
        site
        if origin == "webbserver"
        else (built / "_build/kommunstyrelsekontoret/2024/html").resolve().as_uri()
    )
    for query, pages in SEARCHES.items():
        status, found, snippets = _search(desktop, base, query)
        assert found == pages, query
        assert re.match(r"\d+ träff(ar)? för ”", status), status
        assert snippets and all(snippet.strip() for snippet in snippets), query
    assert desktop.locator("#rb-sokresultat mark").count() > 0


def test_search_says_when_nothing_matches(desktop, site: str) -> None:
    """A word that is nowhere in the report: "Inga träffar", not a blank page."""
    status, found, _ = _search(desktop, site, "zebrakorsning")
    assert status.startswith("Inga träffar för ”zebrakorsning”")
    assert found == set()


def test_search_from_the_header_box(desktop, site: str) -> None:
    """The one search box, in the header of every page, leads to the results, and keeps the query."""
    desktop.goto(f"{site}/chapters/arbetsgivare.html")
    box = desktop.get_by_role("searchbox", name="Sök i rapporten")
    box.fill("höjdfordonet")
    box.press("Enter")
    desktop.wait_for_url(re.compile(r"search\.html\?q="))
    desktop.wait_for_function("() => /för ”/.test(document.getElementById('rb-sokstatus').textContent)")
    assert desktop.get_by_role("searchbox", name="Sök i rapporten").input_value() == "höjdfordonet"
    assert desktop.locator("#rb-sokresultat a").count() == 1


def test_the_front_page_gives_the_year_in_brief_from_data(built: Path, desktop, site: str) -> None:
    """Title, organisation, period, four key figures computed from data linking to their chapters."""
    report = load_year(2024, built / "data" / "kommunstyrelsekontoret")
    desktop.goto(f"{site}/index.html")
    assert desktop.locator("h1").inner_text() == "Verksamhetsberättelse 2024"
    assert "Kommunstyrelsekontoret, Norrtälje kommun" in desktop.inner_text("main")
    cards = desktop.locator("a.rb-key-figure")
    figures = key_figures(report)
    assert cards.count() == len(figures) == 4
    for card, figure in zip(cards.all(), figures, strict=True):
        assert figure.value in card.inner_text() and figure.label in card.inner_text()
    assert "Välj ett kapitel i menyn" not in desktop.content()
    cards.nth(3).click()
    desktop.wait_for_url(re.compile(r"chapters/arbetsgivare\.html$"))


def test_page_heights_on_a_phone(built: Path, site: str, browser) -> None:
    """The front page, Om rapporten and the statement are at most about three and a half screens taller
    at 390 px."""
    heights = {}
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name in ("om-rapporten.html", "tillganglighet.html", "index.html"):
            page.goto(f"{site}/{name}")
            heights[(name, viewport["width"])] = page.evaluate("() => document.documentElement.scrollHeight")
        context.close()
    for name in ("om-rapporten.html", "tillganglighet.html", "index.html"):
        assert heights[(name, 390)] - heights[(name, 1280)] <= 3.5 * PHONE["height"], (name, heights)


def test_a_keyboard_walk_through(built: Path, browser) -> None:
    """Keyboard only, on the multi-book site at 390 px: menu, year switcher, search, a data table."""
    completed = rapportbok(built, "site")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    base = (built / "_build/site").resolve().as_uri()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/kommunstyrelsekontoret/2024/chapters/ekonomi.html")

    def tab_to(pattern: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if re.search(pattern, _focused(page)):
                return
        raise AssertionError(f"{pattern} nåddes inte med Tab")

    tab_to("rb-menu-button")
    page.keyboard.press("Enter")
    tab_to(r'href="arbetsgivare\.html"')  # a chapter, inside the open menu
    page.keyboard.press("Escape")
    assert "rb-menu-button" in _focused(page)
    tab_to("<summary")  # the organisation menu in the header (one organisation here)
    tab_to("<summary")  # the year menu
    page.keyboard.press("Enter")
    tab_to(r'href="\.\./\.\./\.\./kommunstyrelsekontoret/2024/chapters/ekonomi\.html" aria-current="page"')
    tab_to(r'href="\.\./\.\./\.\./index\.html">Alla organisationer och år')
    page.keyboard.press("Escape")
    assert "<summary" in _focused(page)  # Escape closed the year menu and returned to its button
    tab_to('id="rb-sokfalt"')
    page.keyboard.type("sjukfrånvaron")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))  # the form's page, before its status is read
    page.wait_for_function("() => /för ”/.test(document.getElementById('rb-sokstatus').textContent)")
    tab_to('class="rb-hit-title"')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunstyrelsekontoret/2024/(index|chapters/[a-z-]+)\.html#"))
    page.goto(f"{base}/kommunstyrelsekontoret/2024/chapters/ekonomi.html")
    tab_to('role="region"')  # a table's scroll box takes focus, so it can be read and scrolled
    tab_to("<summary")  # the chart's data as a table
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.parentElement.open") is True
    assert page.get_by_role("table", name=re.compile("Diagrammets data")).is_visible()
    context.close()
