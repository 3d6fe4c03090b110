"""`rapportbok site`: every fiscal year side by side in one static site, _build/site/.

Each year's book is built only when something it depends on changed (its own data, the code, the
notebooks, the book pages, the configuration or the locked dependencies); the site is then put
together from the years' published folders and swapped in atomically.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import rapportbok
from rapportbok.build import build_year, pdf_file_name
from rapportbok.check import check_year
from rapportbok.errors import UsageError
from rapportbok.load import load_year
from rapportbok.publish import publish_tree
from rapportbok.report import Report

SWITCHER_PLACEHOLDER = "<!--rb-year-switcher-->"
FINGERPRINT_FILE = ".fingerprint"
SHARED_INPUTS = ("notebooks", "book", "_config.yml", "_toc.yml", "requirements.lock")
IGNORED_PARTS = {"chapters", "__pycache__", ".ipynb_checkpoints"}


@dataclass(frozen=True)
class YearEntry:
    """A year in the site: its report and whether it was rebuilt in this run."""

    report: Report
    rebuilt: bool


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file() and not IGNORED_PARTS & set(p.parts))


def input_fingerprint(root: Path, year: int) -> str:
    """A hash of everything the year's book is built from."""
    digest = hashlib.sha256()
    package = Path(rapportbok.__file__).parent
    sources = [root / "data" / str(year), package, *(root / name for name in SHARED_INPUTS)]
    for source in sources:
        for path in _files(source):
            digest.update(str(path.relative_to(source.parent)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def publishable_years(root: Path) -> list[int]:
    """The years in data/ (folders named by four digits), oldest first."""
    return sorted(
        int(p.name) for p in (root / "data").iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4
    )


def build_site(root: Path, *, jobs: int | None = None, log: Callable[[str], None] = print) -> Path:
    """Build what changed and publish every complete year into _build/site/; return its index."""
    build_root = root / "_build"
    entries = []
    for year in publishable_years(root):
        result = check_year(year, root / "data")
        if not result.ok:
            log(
                f"{year}: hoppas över ({len(result.problems)} fel, {len(result.todo)} uppgifter saknas); "
                f"kör rapportbok check --year {year}"
            )
            continue
        fingerprint = input_fingerprint(root, year)
        stamp = build_root / str(year) / FINGERPRINT_FILE
        published = (build_root / str(year) / "html" / "index.html").is_file()
        if published and stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
            log(f"{year}: oförändrat, byggs inte om")
            entries.append(YearEntry(load_year(year, root / "data"), rebuilt=False))
            continue
        log(f"{year}: bygger …")
        build_year(root, year, jobs=jobs, build_root=build_root, log=log)
        stamp.write_text(fingerprint, encoding="utf-8")
        entries.append(YearEntry(load_year(year, root / "data"), rebuilt=True))
    if not entries:
        raise UsageError("Inget år kunde publiceras: rätta felen som listas ovan.")
    staging = build_root / ".site.new"
    if staging.exists():
        shutil.rmtree(staging)
    years = [entry.report.year for entry in entries]
    for entry in entries:
        target = staging / str(entry.report.year)
        shutil.copytree(build_root / str(entry.report.year) / "html", target)
        insert_year_switcher(target, entry.report.year, years)
    (staging / "index.html").write_text(site_index([entry.report for entry in entries]), encoding="utf-8")
    site = publish_tree(staging, build_root / "site")
    shutil.rmtree(staging)
    return site / "index.html"


def switcher_html(current: int, years: list[int], depth: int) -> str:
    """Links to every year's book from a page `depth` folders below its year's folder."""
    up = "../" * (depth + 1)
    links = []
    for year in sorted(years, reverse=True):
        current_mark = ' aria-current="page"' if year == current else ""
        links.append(f'<li><a href="{up}{year}/index.html"{current_mark}>{year}</a></li>')
    return (
        f'<nav class="rb-year-switcher" aria-label="Välj år"><p>Välj år</p><ul>{"".join(links)}</ul>'
        f'<p><a href="{up}index.html">Alla år</a></p></nav>'
    )


def insert_year_switcher(year_folder: Path, current: int, years: list[int]) -> None:
    """Fill the switcher placeholder of every page of one year's book."""
    for page in year_folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if SWITCHER_PLACEHOLDER in text:
            depth = len(page.relative_to(year_folder).parts) - 1
            page.write_text(
                text.replace(SWITCHER_PLACEHOLDER, switcher_html(current, years, depth)), encoding="utf-8"
            )


def site_index(reports: list[Report]) -> str:
    """The site's front page: one line per year with the book and its PDF."""
    latest = max(reports, key=lambda report: report.year)
    who = f"{latest.meta.organisation}, {latest.meta.kommun}"
    rows = "".join(
        f'<li><a href="{r.year}/index.html">{escape(r.meta.report_type)} {r.year}</a> '
        f'(<a href="{r.year}/{escape(pdf_file_name(r), quote=True)}">PDF</a>)</li>'
        for r in sorted(reports, key=lambda report: report.year, reverse=True)
    )
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(latest.meta.report_type)}er – {escape(who)}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }}
a {{ color: #0b4f8a; }}
a:focus-visible {{ outline: 3px solid #0b5394; outline-offset: 2px; }}
li {{ margin: 0.4rem 0; }}
</style>
</head>
<body>
<main>
<h1>{escape(latest.meta.report_type)}er</h1>
<p>{escape(who)}. Varje år publiceras som det var när det byggdes.</p>
<ul>{rows}</ul>
</main>
</body>
</html>
"""
