"""WCAG 2.1 A and AA: axe-core in Debian's Chromium over every page of the built 2024 site, at desktop
and phone width, with zero violations. A human-readable report is written to the build folder."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import visible_text

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"dator": (1280, 900), "mobil": (390, 844)}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Rules excluded, with the reason and the page region they concern. Empty: nothing is excluded.
EXCLUDED_RULES: dict[str, str] = {}


@pytest.fixture(scope="module")
def site(built: Path) -> Iterator[str]:
    """The built site served on localhost (pages use relative links and scripts)."""
    root = built / "_build/2024/html"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium saknas: installera Debians paket med `apt-get install chromium` (make test gör det)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _pages(built: Path) -> list[str]:
    root = built / "_build/2024/html"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_static" not in p.parts)


def test_every_page_has_no_wcag_violations(built: Path, site: str, browser) -> None:
    """Zero axe-core violations of WCAG 2.1 A/AA on every page at both widths; report in _build/2024."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": False} for rule in EXCLUDED_RULES},
    }
    lines, found = ["# Tillgänglighetstest (axe-core, WCAG 2.1 A/AA)", ""], []
    pages = _pages(built)
    assert len(pages) >= 10
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
        page = context.new_page()
        for name in pages:
            page.goto(f"{site}/{name}")
            result = axe.run(page, options=options).response
            for violation in result["violations"]:
                for node in violation["nodes"]:
                    found.append((name, label, violation["id"], " ".join(map(str, node["target"]))))
            lines.append(
                f"- {name} ({label}): {len(result['violations'])} överträdelser, "
                f"{len(result['passes'])} regler godkända"
            )
        context.close()
    lines += ["", "## Överträdelser", ""] + [
        f"- {p} ({w}): {rule} – `{target}`" for p, w, rule, target in found
    ]
    lines += ["", "## Undantagna regler", ""] + [f"- {rule}: {why}" for rule, why in EXCLUDED_RULES.items()]
    (built / "_build/2024/tillganglighetstest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert found == []


def test_pages_are_swedish_with_a_skip_link_and_named_controls(built: Path, site: str, browser) -> None:
    """lang="sv", Swedish interface strings, a skip link to the content, and every button named."""
    page = browser.new_page()
    page.goto(f"{site}/chapters/maluppfyllelse.html")
    assert page.get_attribute("html", "lang") == "sv"
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.textContent.trim(), "
        "document.activeElement.getAttribute('href')]"
    )
    assert focused[0] == "A" and focused[2] == "#main-content" and "Hoppa" in focused[1]
    html = page.content()
    text = visible_text(html)
    assert "Sök" in text
    for english in (
        "Skip to main content",
        "Back to top",
        "Search...",
        "Toggle primary sidebar",
        "Color mode",
        "next page",
        "Link to this heading",
    ):
        assert english not in html, english
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button, a[href], [role=button]')]
        .filter(e => e.offsetParent !== null)
        .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.getAttribute('title')))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert unnamed == []
    page.close()


def test_the_accessibility_statement_is_generated_and_linked_from_every_page(built: Path) -> None:
    """The statement comes from tillganglighet.yml and every page's footer links to it."""
    site = built / "_build/2024/html"
    statement = visible_text((site / "tillganglighet.html").read_text(encoding="utf-8"))
    assert (
        "Tillgänglighetsredogörelse" in statement and "Kontakt: Kontaktcenter, Norrtälje kommun." in statement
    )
    assert "Kända brister" in statement and "axe-core" in statement
    assert '<a href="tillganglighet.html">Tillgänglighetsredogörelse</a>' in (site / "index.html").read_text()
    for page in (site / "chapters").glob("*.html"):
        assert '<a href="../tillganglighet.html">Tillgänglighetsredogörelse</a>' in page.read_text(), page


def test_charts_offer_their_data_as_a_table(built: Path) -> None:
    """Each chart can be opened as a table; the alt text states what it shows."""
    html = (built / "_build/2024/html/chapters/maluppfyllelse.html").read_text(encoding="utf-8")
    assert (
        html.count('<details class="rb-chart-data"><summary>Visa diagrammets data som tabell</summary>') == 32
    )
    assert html.count('<img src="data:image/svg+xml;base64,') == 32
