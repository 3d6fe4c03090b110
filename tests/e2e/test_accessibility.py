"""WCAG 2.1 A and AA: axe-core (a vendored copy of the npm package, see vendor/axe-core) in Debian's
Chromium over every page of the built 2024 site, at desktop and phone width, in the light and the dark
colour scheme (the system's setting and the page's own choice), with zero violations. A human-readable
report, with the axe-core version, is written to the build folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import rapportbok, site_pages, visible_text

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"dator": (1280, 900), "mobil": (390, 844)}
SCHEMES = ("light", "dark")
# Rules excluded, with the reason and the page region they concern. Empty: nothing is excluded.
EXCLUDED_RULES: dict[str, str] = {}


def axe_context(browser, **options):
    """A browser context whose every page has axe-core from the start (an init script: cheaper than
    injecting it after each load, and no page is loaded twice)."""
    context = browser.new_context(**options)
    context.add_init_script(path=str(AXE))
    return context


def _axe(page) -> dict:
    """Run axe-core on the loaded page with the WCAG 2.1 A/AA rules.

    Every rule runs on every element; only the violations are reported in full (`resultTypes`): the
    passes are listed by rule, without collecting each passing element, which halves the time."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": False} for rule in EXCLUDED_RULES},
        "resultTypes": ["violations"],
    }
    return page.evaluate("options => axe.run(document, options)", options)


def test_the_vendored_axe_core_is_the_recorded_version(browser, site: str) -> None:
    """The engine the tests inject reports the version recorded here (4.14 or newer)."""
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    page.add_script_tag(path=str(AXE))
    version = page.evaluate("() => axe.version")
    page.close()
    assert version == AXE_VERSION
    assert tuple(int(part) for part in version.split(".")[:2]) >= (4, 14)


def test_every_page_has_no_wcag_violations(built: Path, site: str, browser) -> None:
    """Zero violations on every page × {1280, 390} px × {light, dark}; report in
    _build/kommunstyrelsekontoret/2024."""
    pages = site_pages(built)
    assert len(pages) >= 10
    lines = [f"# Tillgänglighetstest (axe-core {AXE_VERSION}, WCAG 2.1 A/AA)", ""]
    found = []
    for scheme in SCHEMES:
        for label, (width, height) in WIDTHS.items():
            context = axe_context(
                browser, viewport={"width": width, "height": height}, locale="sv-SE", color_scheme=scheme
            )
            page = context.new_page()
            for name in pages:
                page.goto(f"{site}/{name}")
                result = _axe(page)
                for violation in result["violations"]:
                    for node in violation["nodes"]:
                        target = " ".join(map(str, node["target"]))
                        found.append((name, label, scheme, violation["id"], target))
                lines.append(
                    f"- {name} ({label}, {scheme}): {len(result['violations'])} överträdelser, "
                    f"{len(result['passes'])} regler godkända (axe-core {result['testEngine']['version']})"
                )
            context.close()
    lines += ["", "## Överträdelser", ""]
    lines += [f"- {p} ({w}, {s}): {rule} – `{t}`" for p, w, s, rule, t in found]
    lines += ["", "## Undantagna regler", ""] + [f"- {rule}: {why}" for rule, why in EXCLUDED_RULES.items()]
    (built / "_build/kommunstyrelsekontoret/2024/tillganglighetstest.md").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    print(f"axe-core {AXE_VERSION}: {len(pages)} sidor × 2 bredder × 2 färglägen, {len(found)} överträdelser")
    assert found == []


@pytest.mark.parametrize("chosen", ["morkt", "ljust"])
def test_the_pages_own_colour_choice_has_no_wcag_violations(site: str, browser, chosen: str) -> None:
    """The footer's Färgläge choice (dark on a light system, light on a dark one) passes axe too."""
    system = "light" if chosen == "morkt" else "dark"
    context = axe_context(browser, viewport={"width": 390, "height": 844}, color_scheme=system)
    page = context.new_page()
    page.goto(f"{site}/index.html")
    page.select_option("#rb-fargval", chosen)
    found = []
    for name in ("index.html", "chapters/maluppfyllelse.html", "chapters/ekonomi.html", "om-rapporten.html"):
        page.goto(f"{site}/{name}")
        assert page.get_attribute("html", "data-farg") == chosen, name  # the choice is remembered
        found += [(name, v["id"]) for v in _axe(page)["violations"]]
    context.close()
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
        "Search",
        "Toggle primary sidebar",
        "Toggle secondary sidebar",
        "Color mode",
        "next page",
        "Link to this heading",
        "Navigation",
        "Contents",
    ):
        assert english not in html, english
    controls = "button, a[href], [role=button], input, select"
    unnamed = page.evaluate(f"""() => [...document.querySelectorAll('{controls}')]
        .filter(e => e.offsetParent !== null)
        .filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()
                       || e.getAttribute('title')))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert unnamed == []
    page.close()


def test_the_accessibility_statement_is_generated_and_linked_from_every_page(built: Path) -> None:
    """The statement comes from tillganglighet.yml and every page's footer links to it."""
    site = built / "_build/kommunstyrelsekontoret/2024/html"
    statement = visible_text((site / "tillganglighet.html").read_text(encoding="utf-8"))
    assert (
        "Tillgänglighetsredogörelse" in statement and "Kontakt: Kontaktcenter, Norrtälje kommun" in statement
    )
    assert "Innehåll som inte är tillgängligt" in statement and "axe-core" in statement
    assert "https://www.digg.se/tdosanmalan" in (site / "tillganglighet.html").read_text(encoding="utf-8")
    assert '<a href="tillganglighet.html">Tillgänglighetsredogörelse</a>' in (site / "index.html").read_text()
    for page in (site / "chapters").glob("*.html"):
        assert '<a href="../tillganglighet.html">Tillgänglighetsredogörelse</a>' in page.read_text(), page


def test_charts_offer_their_data_as_a_table(built: Path) -> None:
    """Each chart can be opened as a table; the alt text states what it shows."""
    html = (built / "_build/kommunstyrelsekontoret/2024/html/chapters/maluppfyllelse.html").read_text(
        encoding="utf-8"
    )
    assert (
        html.count('<details class="rb-chart-data"><summary>Visa diagrammets data som tabell</summary>') == 32
    )
    assert html.count('<img src="data:image/svg+xml;base64,') == 32


def test_the_multi_year_index_has_no_wcag_violations(built: Path, browser) -> None:
    """`rapportbok site`'s list of years, light and dark, desktop and phone."""
    completed = rapportbok(built, "site")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    index = (built / "_build/site/index.html").resolve().as_uri()
    found = []
    for scheme in SCHEMES:
        for width, height in WIDTHS.values():
            context = axe_context(browser, viewport={"width": width, "height": height}, color_scheme=scheme)
            page = context.new_page()
            page.goto(index)
            assert page.locator("h1").inner_text() == "Verksamhetsberättelser"
            found += [(scheme, width, v["id"]) for v in _axe(page)["violations"]]
            context.close()
    assert found == []
