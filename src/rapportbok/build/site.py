"""`rapportbok site`: every organisation's fiscal years side by side in one static site, _build/site/
(`_build/site/<org>/<year>/`).

Each book is built with the chapter cache, so a year whose own data and code are unchanged starts no
kernel and no Sphinx run; the site is then put together from the years' published folders and
swapped in atomically.
"""

from __future__ import annotations

from concurrent.futures import Executor
from html import escape
from pathlib import Path

from rapportbok.build import publish
from rapportbok.build.book import build_year, pdf_file_name
from rapportbok.build.interrupt import signals_deferred
from rapportbok.build.lock import book_lock, site_lock
from rapportbok.build.progress import Progress
from rapportbok.checks.check import check_year
from rapportbok.core.layout import BUILD_FOLDER, book_layout, site_folder, site_lock_file, site_releases
from rapportbok.core.paths import display_path
from rapportbok.data.load import load_year
from rapportbok.data.organisations import organisation_dir, organisations, resolve_organisation
from rapportbok.data.report import Report
from rapportbok.data.years import data_years
from rapportbok.exceptions import BuildInterrupted, PublishError, RapportbokError, UsageError

SWITCHER_PLACEHOLDER = "<!--rb-year-switcher-->"


def build_site(
    root: Path, *, jobs: int | None = None, executor: Executor | None = None, progress: Progress | None = None
) -> Path:
    """Build what changed and publish every complete year into _build/site/; return its index.

    One `site` at a time (a second is refused); the site is published as one release, so a failure
    or an interruption leaves the previous site as it was."""
    progress = progress or Progress()
    build_root = root / BUILD_FOLDER
    try:
        with site_lock(site_lock_file(build_root)):
            entries = _build_years(root, build_root, jobs, executor, progress)
            return publish_site(root, build_root, entries)
    except OSError as error:  # the lock or the site's folder cannot be written
        written = publish.describe_os_error(error, lambda path: display_path(path, root))
        raise PublishError(f"Webbplatsen kunde inte skrivas. {written}") from error


def _build_years(
    root: Path, build_root: Path, jobs: int | None, executor: Executor | None, progress: Progress
) -> list[Report]:
    entries = []
    data_root = root / "data"
    if not organisations(data_root):
        resolve_organisation(data_root, None)  # raises: no organisation, or the old layout (migrate)
    for organisation in organisations(data_root):
        org_dir = organisation_dir(data_root, organisation)
        for year in data_years(org_dir):
            book = f"{organisation} {year}"
            result = check_year(year, org_dir)
            if not result.ok:
                progress.step(
                    f"{book}: hoppas över ({len(result.problems)} fel, {len(result.todo)} uppgifter "
                    f"saknas); kör rapportbok check --org {organisation} --year {year}"
                )
                continue
            quiet = Progress(quiet=True)
            built = build_year(
                root,
                year,
                organisation=organisation,
                jobs=jobs,
                build_root=build_root,
                executor=executor,
                progress=quiet,
            )
            progress.step(
                f"{book}: oförändrat, byggs inte om"
                if built.unchanged
                else f"{book}: byggt ({len(built.executed)} kapitel körda, {len(built.reused)} återanvända)"
            )
            entries.append(load_year(year, org_dir))
    if not entries:
        raise UsageError("Inget år kunde publiceras: rätta felen som listas ovan.")
    return entries


def publish_site(root: Path, build_root: Path, entries: list[Report]) -> Path:
    """Every year's published book side by side, with a year switcher and a front page, published
    atomically into `<build_root>/site`; return its index."""
    releases = site_releases(build_root)
    publish.prepare(releases)
    before = publish.current_release(releases)

    def fill(release: Path) -> None:
        for report in entries:
            organisation = report.organisation_dir.name
            years = [other.year for other in entries if other.organisation_dir.name == organisation]
            layout = book_layout(build_root, organisation, report.year)
            target = release / organisation / str(report.year)
            with book_lock(layout.lock, organisation, report.year):  # the release cannot change while copied
                published = publish.current_release(layout.releases)
                if published is None:
                    raise UsageError(f"{organisation} {report.year} har ingen publicerad version att ta med.")
                publish.copy_tree(published / "html", target)
            insert_year_switcher(target, report.year, years)
        (release / "index.html").write_text(site_index(entries), encoding="utf-8")

    try:
        publish.publish_release(releases, "", fill)
    except BaseException as error:
        with signals_deferred():
            publish.discard_unpublished(releases)
        explained = _explained(error, root, build_root, before)
        if explained is error:
            raise
        raise explained from error
    return site_folder(build_root) / "index.html"


def _explained(error: BaseException, root: Path, build_root: Path, before: Path | None) -> BaseException:
    """The error with a true note of what the site is now."""
    now = publish.current_release(site_releases(build_root))
    shown = display_path(site_folder(build_root), root)
    if now is None:
        note = f"Ingen webbplats är publicerad i {shown}."
    elif before is not None and now.resolve() == before.resolve():
        note = f"Den tidigare webbplatsen i {shown} är orörd."
    else:
        note = f"Den nya webbplatsen hann publiceras i {shown}."
    if isinstance(error, BuildInterrupted | KeyboardInterrupt):
        return BuildInterrupted(f"rapportbok site avbröts. {note}")
    if isinstance(error, OSError) and not isinstance(error, RapportbokError):
        written = publish.describe_os_error(error, lambda path: display_path(path, root))
        return PublishError(f"Webbplatsen kunde inte skrivas. {written}\n{note}")
    if isinstance(error, RapportbokError):
        error.add_note(note)
    return error


def switcher_html(current: int, years: list[int], depth: int) -> str:
    """Links to every year's book of the organisation from a page `depth` folders below its year's
    folder (`<org>/<year>/`); "Alla år" is the site's front page, one folder further up."""
    up = "../" * (depth + 1)
    links = []
    for year in sorted(years, reverse=True):
        current_mark = ' aria-current="page"' if year == current else ""
        links.append(f'<li><a href="{up}{year}/index.html"{current_mark}>{year}</a></li>')
    return (
        f'<nav class="rb-year-switcher" aria-label="Välj år"><p>Välj år</p><ul>{"".join(links)}</ul>'
        f'<p><a href="{up}../index.html">Alla år</a></p></nav>'
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


def plural(report_type: str) -> str:
    """The plural of a Swedish report type: 'Verksamhetsberättelse' → 'Verksamhetsberättelser',
    'Årsredovisning' → 'Årsredovisningar', 'Rapport' → 'Rapporter'; otherwise '<type>, alla år'."""
    lowered = report_type.lower()
    if lowered.endswith("e"):
        return report_type + "r"
    if lowered.endswith("ing"):
        return report_type + "ar"
    if lowered.endswith("rapport"):
        return report_type + "er"
    return f"{report_type}, alla år"


def _book_path(report: Report) -> str:
    """The book's folder in the site, '<org>/<year>' (an organisation id needs no escaping)."""
    return f"{report.organisation_dir.name}/{report.year}"


def site_index(reports: list[Report]) -> str:
    """The site's front page: one line per year with the book and its PDF."""
    latest = max(reports, key=lambda report: report.year)
    who = f"{latest.meta.organisation}, {latest.meta.kommun}"
    heading = escape(plural(latest.meta.report_type))
    rows = "".join(
        f'<li><a href="{_book_path(r)}/index.html">{escape(r.meta.report_type)} {r.year}</a> '
        f'(<a href="{_book_path(r)}/{escape(pdf_file_name(r), quote=True)}">PDF</a>)</li>'
        for r in sorted(reports, key=lambda report: report.year, reverse=True)
    )
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{heading} – {escape(who)}</title>
<style>
body {{ font-family: system-ui, "DejaVu Sans", Arial, sans-serif; max-width: 42rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; background: #ffffff; line-height: 1.5; }}
a {{ color: #0b4f8a; }}
a:focus-visible {{ outline: 3px solid #0b5394; outline-offset: 2px; }}
li {{ margin: 0.4rem 0; }}
h1 {{ overflow-wrap: break-word; hyphens: auto; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: #e9eaec; background: #121417; }}
  a {{ color: #8fc3ff; }}
  a:focus-visible {{ outline-color: #8fc3ff; }}
}}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{escape(who)}. Varje år publiceras som det var när det byggdes.</p>
<ul>{rows}</ul>
</main>
</body>
</html>
"""
