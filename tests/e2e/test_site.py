"""`rapportbok site` with two organisations: the front page with the overview, the organisation and
year switchers on every page, one search over both books, and WCAG 2.1 AA (axe-core) on the new
pages and menus, at 1280 and 390 px, light and dark.

The second organisation is test data made here from the 2024 book: another name (with an "&" that
must be escaped), another sick leave, one assignment not completed, and one sentence of its own.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import _QuietHandler, copy_built, rapportbok, visible_text
from tests.e2e.test_accessibility import SCHEMES, WIDTHS, _axe, axe_context

pytestmark = pytest.mark.e2e
FIRST = "kommunstyrelsekontoret"
SECOND = "kultur-fritid"
SECOND_NAME = "Kultur- & fritidsnämnden"
OWN_WORD = "Kvarnbadet"  # only in the second organisation's book


def _second_organisation(project: Path) -> None:
    """data/kultur-fritid/2024: the 2024 data with a few values changed."""
    source = project / "data" / FIRST / "2024"
    target = project / "data" / SECOND / "2024"
    target.parent.mkdir()
    shutil.copytree(source, target)
    meta = target / "rapport.yml"
    meta.write_text(
        re.sub(r"(?m)^organisation: .*$", f"organisation: {SECOND_NAME}", meta.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    sick = target / "sjukfranvaro_ar.csv"
    sick.write_text(sick.read_text(encoding="utf-8").replace("Nämnden,2024,3.8", "Nämnden,2024,4.6"))
    tasks = target / "uppdrag.csv"
    lines = tasks.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",Slutförd,Slutfört.,", ",Kvarstående,Pågår.,")
    tasks.write_text("".join(lines), encoding="utf-8")
    text = target / "text" / "arbetsgivare" / "inledning.md"
    text.write_text(
        text.read_text(encoding="utf-8") + f"\nSimhallen {OWN_WORD} öppnade igen efter renoveringen.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def two_organisations(small_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built one-chapter 2024 book (`small_built`: the site's pages, menus and search are the same
    for one chapter or seven) plus a second organisation, and `rapportbok site` run over both."""
    project = copy_built(small_built, tmp_path_factory.mktemp("two-organisations") / "project")
    _second_organisation(project)
    completed = rapportbok(project, "site", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Klart: _build/site/index.html" in completed.stdout
    return project


@pytest.fixture(scope="module")
def served(two_organisations: Path) -> Iterator[str]:
    """The site on localhost (the file system is tested too, below)."""
    handler = functools.partial(_QuietHandler, directory=str(two_organisations / "_build/site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _site(project: Path) -> Path:
    return project / "_build" / "site"


def test_the_front_page_lists_both_organisations_and_the_overview_from_their_data(
    two_organisations: Path,
) -> None:
    """One overview row per organisation with the figures of its data (the second differs where its
    data differ), each linking to its book; both books and PDFs listed; the "&" escaped."""
    site = _site(two_organisations)
    front = (site / "index.html").read_text(encoding="utf-8")
    assert "Kultur- &amp; fritidsnämnden" in front and "Kultur- & fritidsnämnden" not in front
    rows = re.findall(r'<tr role="row"><th role="rowheader" scope="row">(.*?)</tr>', front)
    assert len(rows) == 2
    by_name = {visible_text(row).split(" 2024 ")[0]: visible_text(row) for row in rows}
    first, second = by_name["Kommunstyrelsekontoret"], by_name[SECOND_NAME]
    assert first.endswith("3,8 %") and second.endswith("4,6 %")
    done_first = int(re.search(r"(\d+) av \d+ [+-]", first).group(1))  # assignments, before the deviation
    done_second = int(re.search(r"(\d+) av \d+ [+-]", second).group(1))
    assert done_second == done_first - 1
    assert f'href="{FIRST}/2024/index.html">Kommunstyrelsekontoret</a>' in front
    assert f'href="{SECOND}/2024/index.html">Kultur- &amp; fritidsnämnden</a>' in front
    for organisation in (FIRST, SECOND):
        book = site / organisation / "2024"
        assert (book / "index.html").is_file()
        pdfs = list(book.glob("*.pdf"))
        assert len(pdfs) == 1 and f'href="{organisation}/2024/{pdfs[0].name}"' in front


@pytest.mark.parametrize("page", ["index.html", "chapters/arbetsgivare.html"])
def test_every_page_has_both_switchers_with_links_that_resolve(two_organisations: Path, page: str) -> None:
    """At depth 0 and 1: the organisation menu names both, the page's own book is aria-current, and
    every link of the menus leads to a file of the site."""
    site = _site(two_organisations)
    html = (site / FIRST / "2024" / page).read_text(encoding="utf-8")
    menus = html.split('<nav class="rb-switchers"')[1].split("</nav>")[0]
    assert "Kultur- &amp; fritidsnämnden" in menus and "Kommunstyrelsekontoret" in menus
    hrefs = re.findall(r'href="([^"]+)"', menus)
    for href in hrefs:
        assert (site / FIRST / "2024" / page).parent.joinpath(unescape(href)).resolve().is_file(), href
    assert f'../{SECOND}/2024/{page}"' in menus  # the same page of the other organisation's same year
    assert 'placeholder="Sök i alla rapporter"' in html and ">Sök i alla rapporter</label>" in html
    assert menus.count('aria-current="page"') == 2


def test_a_book_built_alone_has_no_switchers(two_organisations: Path) -> None:
    """Outside the site (`rapportbok build`), the placeholder stays empty: no menus."""
    book = two_organisations / "_build" / FIRST / "2024" / "html"
    html = (book / "chapters/arbetsgivare.html").read_text(encoding="utf-8")
    assert "<!--rb-switchers-->" in html and 'class="rb-switchers"' not in html
    assert 'placeholder="Sök i rapporten"' in html


def _search_and_follow(browser: Any, start: str) -> tuple[str, str, str]:
    """Search for the second organisation's own word on the first's search page and follow the hit."""
    page = browser.new_page()
    page.goto(f"{start}/{FIRST}/2024/search.html?q={OWN_WORD.lower()}")
    page.wait_for_selector("#rb-sokresultat li", timeout=30_000)
    status = page.inner_text("#rb-sokstatus")
    origin = page.inner_text("#rb-sokresultat .rb-hit-page")
    page.click("#rb-sokresultat a.rb-hit-title")
    page.wait_for_load_state()
    landed = page.url
    assert OWN_WORD in page.inner_text("main")
    page.close()
    return status, origin, landed


@pytest.mark.parametrize("where", ["webbserver", "filsystem"])
def test_the_search_of_one_book_finds_the_other_organisations_pages(
    two_organisations: Path, served: str, browser: Any, where: str
) -> None:
    """The first organisation's search page finds a word only in the second's book; the result names
    the organisation and year and its relative link opens the page, from a server and from file://."""
    start = served if where == "webbserver" else _site(two_organisations).resolve().as_uri()
    status, origin, landed = _search_and_follow(browser, start)
    assert status.startswith("1 träff i 1 rapport för")
    assert origin.startswith(f"{SECOND_NAME} 2024 – ")
    assert f"/{SECOND}/2024/chapters/arbetsgivare.html#" in landed


def test_the_switchers_work_by_keyboard_and_switch_organisation(served: str, browser: Any) -> None:
    """Tab to the organisation menu, Enter opens it, Tab reaches the other organisation, Enter goes to
    the same page of its book; Escape closes an open menu and returns focus to its button."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{served}/{FIRST}/2024/chapters/arbetsgivare.html")
    summary = page.locator("details.rb-switcher-organisation summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.rb-switcher-organisation").get_attribute("open") is not None
    page.keyboard.press("Escape")
    assert page.locator("details.rb-switcher-organisation").get_attribute("open") is None
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
        if SECOND_NAME in page.evaluate("() => document.activeElement.textContent"):
            break
    assert page.evaluate("() => document.activeElement.textContent") == SECOND_NAME
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{SECOND}/2024/chapters/arbetsgivare.html")
    assert page.locator("details.rb-switcher-organisation summary").inner_text().endswith(SECOND_NAME)
    page.close()


def test_the_site_pages_and_open_menus_have_no_wcag_violations(served: str, browser: Any) -> None:
    """axe-core, WCAG 2.1 A/AA: the front page, a book page at depth 0 and 1 with each menu open, and
    the search page with results; 1280 and 390 px, light and dark: zero violations."""
    checks = [
        ("index.html", None),
        (f"{FIRST}/2024/index.html", "organisation"),
        (f"{FIRST}/2024/chapters/arbetsgivare.html", "organisation"),
        (f"{SECOND}/2024/chapters/arbetsgivare.html", "year"),
        (f"{FIRST}/2024/search.html?q={OWN_WORD.lower()}", None),
    ]
    found = []
    for scheme in SCHEMES:
        for width, height in WIDTHS.values():
            context = axe_context(browser, viewport={"width": width, "height": height}, color_scheme=scheme)
            page = context.new_page()
            for name, menu in checks:
                page.goto(f"{served}/{name}")
                if menu:
                    page.click(f"details.rb-switcher-{menu} summary")
                    assert page.locator(f"details.rb-switcher-{menu} .rb-switcher-panel a").first.is_visible()
                if "search" in name:
                    page.wait_for_selector("#rb-sokresultat li", timeout=30_000)
                found += [(name, menu, scheme, width, v["id"]) for v in _axe(page)["violations"]]
            context.close()
    assert found == []
