"""`rapportbok site`: every organisation's books side by side in one static site, _build/site/.

```
_build/site/index.html          the overview (one row per organisation, its latest year) and every book
_build/site/sokindex-alla.js    the search index of every book: each book's search page searches all
_build/site/<org>/<year>/       one book, copied from its published release
```

Each book is built with the chapter cache, so a book whose own data and code are unchanged starts no
kernel and no Sphinx run; the site is then put together from the books' published releases, every
page gets its organisation and year switcher, and the whole site is swapped in atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.book import BookId, data_root_of
from rapportbok.core.layout import BUILD_FOLDER, YearLayout, site_folder, site_lock_file, site_releases
from rapportbok.core.paths import display_path, require_inside_project
from rapportbok.data.load import load_book
from rapportbok.data.organisations import organisation_dir, organisations
from rapportbok.data.report import Report
from rapportbok.exceptions import PublishError, SiteIncomplete, UsageError
from rapportbok.model.overview import overview_figures
from rapportbok.pipeline.books import many as many_books
from rapportbok.pipeline.books.many import BookOutcome
from rapportbok.pipeline.inputs.readlock import reading_data
from rapportbok.pipeline.inputs.snapshot import SITE, InputSnapshot
from rapportbok.pipeline.processes.interrupt import signals_deferred
from rapportbok.pipeline.progress import Progress
from rapportbok.pipeline.publishing import explain, publish
from rapportbok.pipeline.publishing.explain import Wording
from rapportbok.pipeline.publishing.lock import book_lock, site_lock
from rapportbok.pipeline.publishing.search_index import SITE_INDEX_FILE, write_site_search_index
from rapportbok.pipeline.run import BuildOptions
from rapportbok.pipeline.steps.pdf import pdf_file_name
from rapportbok.views.site_index import SiteBook, by_organisation, site_index_page
from rapportbok.views.switcher import Choice, switchers_html

SWITCHER_PLACEHOLDER = "<!--rb-switchers-->"
SEARCH_PLACEHOLDER = "<!--rb-site-search-->"
SEARCH_PAGE = "search.html"
# The header's search box (book/_themes/rapportbok/layout.html) searches every book in the site.
SEARCH_BOX = (
    ('for="rb-sokfalt">Sök i rapporten</label>', 'for="rb-sokfalt">Sök i alla rapporter</label>'),
    ('placeholder="Sök i rapporten"', 'placeholder="Sök i alla rapporter"'),
)


@dataclass(frozen=True)
class PublishedBook:
    """A book to put into the site: what the site shows of it, its year's data, its build folder."""

    book: SiteBook
    report: Report
    layout: YearLayout


def build_site(
    root: Path,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build what changed and publish every ready book into _build/site/; return its index.

    One `site` at a time (a second is refused); the site is published as one release, so a failure
    or an interruption leaves the previous site as it was. A book whose build fails keeps its
    previously published version in the site; one that was never published is left out, and then
    SiteIncomplete (after publishing) says which.

    Every organisation's data lock is held shared from the first read to the publishing, and the
    data read is verified by its hashes before the site is switched: the overview on the front page
    and the books come from one version of the data (DataChanged otherwise, nothing published)."""
    progress = progress or Progress()
    build_root = root / BUILD_FOLDER
    require_inside_project(root)
    data_root = data_root_of(root)
    try:
        with site_lock(site_lock_file(build_root)):
            org_dirs = [organisation_dir(data_root, name) for name in organisations(data_root)]
            with reading_data(org_dirs, progress):
                snapshot = InputSnapshot(root, SITE)
                for org_dir in org_dirs:
                    snapshot.add_tree(org_dir)
                ready, skipped = many_books.ready_books(root)
                for line in skipped:
                    progress.step(line)
                options = BuildOptions(jobs=jobs, executor=executor, build_root=build_root)
                outcomes = many_books.build_books(ready, options, progress)
                books, missing = _publishable(build_root, outcomes, progress)
                if not books:
                    raise UsageError("Ingen bok kunde publiceras: rätta felen som listas ovan.")
                index = publish_site(root, build_root, books, before_switch=snapshot.verify)
    except OSError as error:  # the lock or the site's folder cannot be written
        raise PublishError(explain.unwritable(error, root, site_wording(root, build_root))) from error
    if missing:
        raise SiteIncomplete(
            f"Webbplatsen publicerades i {display_path(index, root)}, men utan "
            f"{', '.join(str(book) for book in missing)}: "
            f"{'boken har' if len(missing) == 1 else 'böckerna har'} aldrig byggts utan fel. "
            "Rätta felen ovan och kör rapportbok site igen."
        )
    return index


def _publishable(
    build_root: Path, outcomes: Sequence[BookOutcome], progress: Progress
) -> tuple[list[PublishedBook], list[BookId]]:
    """The books that have a published release (built now, or kept from before when this build
    failed), and the failed books that have none."""
    books, missing = [], []
    for outcome in outcomes:  # build_books has said how each book went
        ref = outcome.book
        layout = ref.layout(build_root)
        if publish.current_release(layout.releases) is None:
            missing.append(ref)
            continue
        if not outcome.ok:
            progress.step(f"{ref}: webbplatsen visar den tidigare publicerade versionen.")
        report = load_book(ref)
        books.append(PublishedBook(site_book(ref.organisation, report), report, layout))
    return books, missing


def site_book(organisation: str, report: Report) -> SiteBook:
    """What the site shows of one organisation's year."""
    meta = report.meta
    return SiteBook(
        organisation=organisation,
        name=meta.organisation,
        kommun=meta.kommun,
        report_type=meta.report_type,
        year=report.year,
        pdf_name=pdf_file_name(report),
    )


def publish_site(
    root: Path,
    build_root: Path,
    books: Sequence[PublishedBook],
    *,
    before_switch: Callable[[], None] | None = None,
) -> Path:
    """Every book's published release side by side, with the switchers, one search over all books
    and the overview on the front page, published atomically into `<build_root>/site`; return its
    index. `before_switch` runs when the site is complete, before it is published (the check that
    the data did not change meanwhile); an error there publishes nothing."""
    releases = site_releases(build_root)
    publish.prepare(releases)
    before = publish.current_release(releases)
    site_books = [entry.book for entry in books]

    def fill(release: Path) -> None:
        pages: dict[str, set[str]] = {}
        for entry in books:
            book = entry.book
            target = release / book.folder
            # The book's release cannot change while it is copied.
            with book_lock(entry.layout.lock, book.organisation, book.year):
                published = publish.current_release(entry.layout.releases)
                if published is None:
                    raise UsageError(
                        f"{book.organisation} {book.year} har ingen publicerad version att ta med."
                    )
                publish.copy_tree(published / "html", target)
            pages[book.folder] = {page.relative_to(target).as_posix() for page in target.rglob("*.html")}
        for book in site_books:
            insert_switchers(release / book.folder, book, site_books, pages)
        write_site_search_index(release, [(book.folder, book.name, book.year) for book in site_books])
        overview = [(entry.book, overview_figures(entry.report)) for entry in _latest(books)]
        first = by_organisation(site_books)[0][0]
        (release / "index.html").write_text(
            site_index_page(site_books, overview, f"{first.folder}/{SEARCH_PAGE}"), encoding="utf-8"
        )
        if before_switch is not None:
            before_switch()

    try:
        publish.publish_release(releases, "", fill)
    except BaseException as error:
        with signals_deferred():
            publish.discard_unpublished(releases)
        explained = explain.explained(error, root, releases, before, site_wording(root, build_root))
        if explained is error:
            raise
        raise explained from error
    return site_folder(build_root) / "index.html"


def _latest(books: Sequence[PublishedBook]) -> list[PublishedBook]:
    """Each organisation's latest book, in the overview's order (organisations by name)."""
    latest: dict[str, PublishedBook] = {}
    for entry in books:
        known = latest.get(entry.book.organisation)
        if known is None or entry.book.year > known.book.year:
            latest[entry.book.organisation] = entry
    order = [group[0].organisation for group in by_organisation([entry.book for entry in books])]
    return [latest[organisation] for organisation in order]


def site_wording(root: Path, build_root: Path) -> Wording:
    """What `rapportbok site` says about the site when it fails."""
    shown = display_path(site_folder(build_root), root)
    return Wording(
        nothing=f"Ingen webbplats är publicerad i {shown}.",
        untouched=f"Den tidigare webbplatsen i {shown} är orörd.",
        replaced=f"Den nya webbplatsen hann publiceras i {shown}.",
        interrupted="rapportbok site avbröts.",
        unwritable="Webbplatsen kunde inte skrivas.",
    )


def page_switchers(
    current: SiteBook, page: str, books: Sequence[SiteBook], pages: dict[str, set[str]]
) -> str:
    """The switchers of one page (`page` relative to its book's folder, e.g. 'chapters/ekonomi.html').

    A link goes to the same page of the other book when it has one, else to that book's front page.
    Switching organisation keeps the year when the other organisation has it, else goes to its latest.
    """
    up = "../" * (len(page.split("/")) + 1)  # from the page to the site's root: <org>/<year>/<page>

    def href(book: SiteBook) -> str:
        target = page if page in pages.get(book.folder, set()) else "index.html"
        return f"{up}{book.folder}/{target}"

    organisations = []
    for group in by_organisation(books):
        same_year = [book for book in group if book.year == current.year]
        book = same_year[0] if same_year else group[0]
        label = book.name if book.year == current.year else f"{book.name} ({book.year})"
        organisations.append(Choice(label, href(book), book.organisation == current.organisation))
    own = [book for book in books if book.organisation == current.organisation]
    years = [
        Choice(str(book.year), href(book), book.year == current.year)
        for book in sorted(own, key=lambda book: book.year, reverse=True)
    ]
    return switchers_html(current.name, current.year, organisations, years, f"{up}index.html")


def insert_switchers(
    book_folder: Path, current: SiteBook, books: Sequence[SiteBook], pages: dict[str, set[str]]
) -> None:
    """Fill the switcher placeholder of every page of one book, and make its search page search
    every book of the site."""
    for page in book_folder.rglob("*.html"):
        relative = page.relative_to(book_folder).as_posix()
        text = page.read_text(encoding="utf-8")
        changed = text.replace(SWITCHER_PLACEHOLDER, page_switchers(current, relative, books, pages), 1)
        for book_label, site_label in SEARCH_BOX:
            changed = changed.replace(book_label, site_label, 1)
        if SEARCH_PLACEHOLDER in changed:
            up = "../" * (len(relative.split("/")) + 1)
            changed = changed.replace(SEARCH_PLACEHOLDER, f'<script src="{up}{SITE_INDEX_FILE}"></script>', 1)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
