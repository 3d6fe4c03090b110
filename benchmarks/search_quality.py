"""How well the site's search finds Swedish word forms, from a web server and from the file system.

    .venv/bin/python benchmarks/search_quality.py [_build/kommunstyrelsekontoret/2024/html]

For each query the expected pages are those whose article text has a word beginning with the query's
root (e.g. "sjukfrånvaro" for "sjukfrånvaron"). The script opens search.html?q=… in Debian's Chromium
and counts the pages found: found/expected, and +N for pages found that were not expected. When the
`pagefind` package is installed (pip install "pagefind[bin]"), Pagefind is measured on a copy of the
same site for comparison (from a web server only: Pagefind cannot load its index from file://).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from html import unescape
from pathlib import Path

QUERIES = {
    "höjdfordonet": "höjdfordon",
    "sjukfrånvaron": "sjukfrånvaro",
    "sjukfrånvaro": "sjukfrånvaro",
    "investeringarna": "investering",
    "investeringar": "investering",
    "budgeten": "budget",
    "trygghetskamerorna": "trygghetskamer",
    "zebrakorsning": "zebrakorsning",
}
NOT_SEARCHED = ("search.html",)


def article_text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    found = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    article = found.group(1) if found else html
    html = re.sub(r"<(script|style|details)[^>]*>.*?</\1>", " ", article, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html)).lower()


def expected_pages(site: Path) -> dict[str, set[str]]:
    texts = {
        page.relative_to(site).as_posix(): article_text(page)
        for page in site.rglob("*.html")
        if "_static" not in page.parts and "pagefind" not in page.parts and page.name not in NOT_SEARCHED
    }
    return {
        query: {name for name, text in texts.items() if re.search(r"\b" + re.escape(root), text)}
        for query, root in QUERIES.items()
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def own_search(page, base: str, query: str) -> set[str]:
    page.goto(f"{base}/search.html?q={query}")
    page.wait_for_function("() => /för ”/.test(document.getElementById('rb-sokstatus').textContent)")
    links = page.locator("#rb-sokresultat a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return {link.split("#")[0].removeprefix("./") for link in links}


def pagefind_search(page, base: str, query: str) -> set[str]:
    page.goto(f"{base}/index.html")
    urls = page.evaluate(
        """async (query) => { const pagefind = await import('/pagefind/pagefind.js');
           const found = await pagefind.search(query);
           return (await Promise.all(found.results.map(result => result.data()))).map(data => data.url); }""",
        query,
    )
    return {url.lstrip("/").split("#")[0] for url in urls}


def score(found: set[str], expected: set[str]) -> str:
    extra = len(found - expected)
    return f"{len(found & expected)}/{len(expected)}" + (f"+{extra}" if extra else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="_build/kommunstyrelsekontoret/2024/html", type=Path)
    site = parser.parse_args().site.resolve()
    expected = expected_pages(site)
    from playwright.sync_api import sync_playwright

    pagefind_site = None
    try:
        import pagefind  # noqa: F401

        pagefind_site = Path(tempfile.mkdtemp()) / "site"
        shutil.copytree(site, pagefind_site)
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(pagefind_site), "--force-language", "sv"],
            check=True,
            capture_output=True,
        )
    except ImportError:
        print("(pagefind är inte installerat: bara rapportboks sökning mäts)")
    bases = {"webbserver": serve(site), "filsystem": site.as_uri()}
    pagefind_base = serve(pagefind_site) if pagefind_site else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
        page = browser.new_page()
        print(f"{'fråga':20} {'väntade':>7} {'webbserver':>11} {'filsystem':>10} {'pagefind':>9}")
        for query in QUERIES:
            shown = [score(own_search(page, base, query), expected[query]) for base in bases.values()]
            other = "-"
            if pagefind_base:
                other = score(pagefind_search(page, pagefind_base, query), expected[query])
            print(f"{query:20} {len(expected[query]):7} {shown[0]:>11} {shown[1]:>10} {other:>9}")
        browser.close()


if __name__ == "__main__":
    main()
