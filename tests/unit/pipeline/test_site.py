"""`rapportbok site`: one at a time, published as one release that a fault leaves as it was, with every
organisation's books, their switchers, one search index and the overview."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from rapportbok.cli import main
from rapportbok.core.book import BookId
from rapportbok.core.layout import book_layout, site_folder, site_lock_file, site_releases
from rapportbok.data.load import load_year
from rapportbok.exceptions import PublishError
from rapportbok.pipeline.books.site import PublishedBook, page_switchers, publish_site, site_book
from rapportbok.pipeline.publishing import publish
from rapportbok.pipeline.publishing.lock import site_lock
from rapportbok.pipeline.publishing.search_index import write_search_index

ORGANISATION = "kommunstyrelsekontoret"
HOSTILE = 'Fritid <script>alert("x")</script> & co'
PAGES = ("index.html", "search.html", "chapters/ekonomi.html", "chapters/arbetsgivare.html")
SEARCH_BOX = '<label for="rb-sokfalt">Sök i rapporten</label><input placeholder="Sök i rapporten" />'
ARTICLE = '<article class="rb-article"><section id="{id}"><h1>{title}</h1><p>{text}</p></section></article>'


def _hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _publish(project: Path, organisation: str, year: int, pages: tuple[str, ...], word: str) -> Path:
    """Publish a small book of `pages` (each with the placeholders and an article with `word`)."""
    html = project / "byggd" / organisation / str(year)
    for page in pages:
        (html / page).parent.mkdir(parents=True, exist_ok=True)
        article = ARTICLE.format(id=Path(page).stem, title=Path(page).stem, text=f"{word} i {page}")
        (html / page).write_text(
            f"<head><!--rb-site-search--></head><header><!--rb-switchers-->{SEARCH_BOX}</header>{article}"
            + page * 50,
            encoding="utf-8",
        )
    write_search_index(html)
    layout = book_layout(project / "_build", organisation, year)
    publish.prepare(layout.releases)
    publish.publish_year(layout, "nyckel", html, None, lambda copy: None)
    return html


def _book(project: Path, organisation: str, year: int, name: str | None = None) -> PublishedBook:
    report = load_year(2024, project / "data" / ORGANISATION)
    meta = dataclasses.replace(report.meta, year=year, organisation=name or report.meta.organisation)
    report = dataclasses.replace(report, meta=meta)
    return PublishedBook(
        site_book(organisation, report), report, book_layout(project / "_build", organisation, year)
    )


@pytest.fixture
def published_year(project_copy: Path) -> Path:
    """A build folder where kommunstyrelsekontoret 2024 has a published release."""
    _publish(project_copy, ORGANISATION, 2024, PAGES, "budget")
    return project_copy / "_build"


@pytest.fixture
def three_books(project_copy: Path) -> list[PublishedBook]:
    """Kommunstyrelsekontoret 2023 and 2024 and a second organisation (2024 only, no ekonomi page) whose
    name has markup, each published."""
    _publish(project_copy, ORGANISATION, 2024, PAGES, "budget")
    _publish(project_copy, ORGANISATION, 2023, PAGES, "budget")
    _publish(
        project_copy, "fritid", 2024, ("index.html", "search.html", "chapters/arbetsgivare.html"), "badhus"
    )
    return [
        _book(project_copy, ORGANISATION, 2024),
        _book(project_copy, ORGANISATION, 2023),
        _book(project_copy, "fritid", 2024, HOSTILE),
    ]


def test_a_second_site_command_is_refused(project_copy: Path, capsys: pytest.CaptureFixture) -> None:
    """While one `site` runs, another says so and stops, with no traceback."""
    previous = Path.cwd()
    os.chdir(project_copy)
    try:
        with site_lock(site_lock_file(project_copy / "_build")):
            assert main(["site"]) == 1
    finally:
        os.chdir(previous)
    assert "En annan rapportbok site pågår redan (process " in capsys.readouterr().err


def test_a_full_disk_while_publishing_the_site_keeps_the_previous_site(
    project_copy: Path, published_year: Path, monkeypatch
) -> None:
    """ENOSPC half-way through the copy: a Swedish message names the file and says the previous site
    is untouched, which it is, by hash; no unpublished release stays."""
    books = [_book(project_copy, ORGANISATION, 2024)]
    publish_site(project_copy, published_year, books)
    site = site_folder(published_year)
    assert "Välj organisation och år" in (site / ORGANISATION / "2024/chapters/ekonomi.html").read_text()
    before = _hashes(site)
    copied = []

    def copy_until_full(source: Path, target: Path) -> None:
        if len(copied) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        copied.append(target)
        target.write_bytes(source.read_bytes())

    monkeypatch.setattr(publish, "COPY_FILE", copy_until_full)
    with pytest.raises(PublishError) as raised:
        publish_site(project_copy, published_year, books)
    message = str(raised.value)
    assert message.startswith("Webbplatsen kunde inte skrivas. Kunde inte skriva _build/.site-releases/")
    assert ": disken är full.\nDen tidigare webbplatsen i _build/site är orörd." in message
    assert _hashes(site) == before
    assert len(list(site_releases(published_year).folder.iterdir())) == 1


def test_every_book_is_in_the_site_under_its_organisation_and_year(
    project_copy: Path, three_books: list[PublishedBook]
) -> None:
    """_build/site/<org>/<year>/ per book, the combined search index at the root, the front page with
    the overview (one row per organisation: its latest year) and every book with its PDF."""
    index = publish_site(project_copy, project_copy / "_build", three_books)
    site = index.parent
    for folder in ("kommunstyrelsekontoret/2024", "kommunstyrelsekontoret/2023", "fritid/2024"):
        assert (site / folder / "index.html").is_file(), folder
    front = index.read_text(encoding="utf-8")
    overview = front.split('<table class="rb-overview"')[1].split("</table>")[0]
    assert overview.count('<th role="rowheader"') == 2  # one row per organisation
    assert 'href="kommunstyrelsekontoret/2024/index.html">Kommunstyrelsekontoret</a>' in overview
    assert 'href="kommunstyrelsekontoret/2023/' not in overview
    assert 'href="kommunstyrelsekontoret/2023/index.html">Verksamhetsberättelse 2023</a>' in front
    assert 'action="fritid/2024/search.html"' in front  # F before K


def test_an_organisation_name_with_markup_is_text_everywhere_in_the_site(
    project_copy: Path, three_books: list[PublishedBook]
) -> None:
    """The name from rapport.yml is escaped on the front page (overview and list), in every switcher,
    and in the search index (a script it cannot end)."""
    index = publish_site(project_copy, project_copy / "_build", three_books)
    site = index.parent
    escaped = "Fritid &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"
    front = index.read_text(encoding="utf-8")
    assert "<script>" not in front and front.count(escaped) == 2  # overview and list
    for page in [*site.glob("*/*/*.html"), *site.glob("*/*/chapters/*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and escaped in text, page
    search = (site / "sokindex-alla.js").read_text(encoding="utf-8")
    assert "</script>" not in search
    books = json.loads(search.removeprefix("window.rapportbokSokindexAlla = ").removesuffix(";\n"))["bocker"]
    assert ["fritid/2024", HOSTILE, 2024] in books


def test_the_switchers_keep_the_page_and_the_year_where_the_other_book_has_them(
    project_copy: Path, three_books: list[PublishedBook]
) -> None:
    """From kommunstyrelsekontoret 2023's ekonomi page (depth 1): the organisation menu goes to
    fritid's latest year (it has no 2023) and its front page (it has no ekonomi page); the year menu
    to the same page of 2024; the front page of the site is three folders up."""
    books = [entry.book for entry in three_books]
    pages = {
        "kommunstyrelsekontoret/2024": set(PAGES),
        "kommunstyrelsekontoret/2023": set(PAGES),
        "fritid/2024": {"index.html", "search.html", "chapters/arbetsgivare.html"},
    }
    html = page_switchers(books[1], "chapters/ekonomi.html", books, pages)
    assert 'href="../../../fritid/2024/index.html">Fritid &lt;script&gt;' in html
    assert "&amp; co (2024)</a>" in html  # another year than the page's: said in the menu
    assert 'href="../../../kommunstyrelsekontoret/2023/chapters/ekonomi.html" aria-current="page"' in html
    assert 'href="../../../kommunstyrelsekontoret/2024/chapters/ekonomi.html">2024</a>' in html
    assert html.count('href="../../../index.html"') == 2
    at_top = page_switchers(books[0], "chapters/arbetsgivare.html", books, pages)
    assert 'href="../../../fritid/2024/chapters/arbetsgivare.html">Fritid' in at_top  # same year and page
    front = page_switchers(books[2], "index.html", books, pages)
    assert 'href="../../kommunstyrelsekontoret/2024/index.html">Kommunstyrelsekontoret</a>' in front
    assert 'href="../../index.html"' in front


def test_the_search_page_of_every_book_loads_the_index_of_all_books(
    project_copy: Path, three_books: list[PublishedBook]
) -> None:
    """Each book's search page gets the site's index (relative, two folders up) and the search box
    says it searches all books; the book's own index stays for a book opened outside the site; every
    book's sections are in the site's index, tagged with their book."""
    site = publish_site(project_copy, project_copy / "_build", three_books).parent
    for folder in ("kommunstyrelsekontoret/2024", "fritid/2024"):
        search = (site / folder / "search.html").read_text(encoding="utf-8")
        assert '<head><script src="../../sokindex-alla.js"></script></head>' in search
        assert (site / folder / "_static/sokindex.js").is_file()
        assert (
            '<label for="rb-sokfalt">Sök i alla rapporter</label><input placeholder="Sök i alla rapporter" />'
            in search
        )
    index = (site / "sokindex-alla.js").read_text(encoding="utf-8")
    value = json.loads(index.removeprefix("window.rapportbokSokindexAlla = ").removesuffix(";\n"))
    folders = [book[0] for book in value["bocker"]]
    found = {(folders[row[0]], row[1], row[4]) for row in value["avsnitt"]}
    assert (
        "fritid/2024",
        "chapters/arbetsgivare.html#arbetsgivare",
        "badhus i chapters/arbetsgivare.html",
    ) in found
    assert ("kommunstyrelsekontoret/2023", "index.html#index", "budget i index.html") in found


def test_a_book_whose_release_is_gone_fails_the_site_and_keeps_the_previous_one(
    project_copy: Path, three_books: list[PublishedBook]
) -> None:
    """A book without a published release stops the publish with a Swedish message; the previous
    site stays."""
    publish_site(project_copy, project_copy / "_build", three_books)
    before = _hashes(site_folder(project_copy / "_build"))
    shutil.rmtree(project_copy / "_build" / "fritid")
    with pytest.raises(Exception) as raised:
        publish_site(project_copy, project_copy / "_build", three_books)
    assert "fritid 2024 har ingen publicerad version att ta med." in str(raised.value)
    assert "Den tidigare webbplatsen i _build/site är orörd." in "\n".join(raised.value.__notes__)
    assert _hashes(site_folder(project_copy / "_build")) == before


def test_a_failed_book_keeps_its_published_version_and_one_never_published_is_named(
    project_copy: Path, monkeypatch, capsys: pytest.CaptureFixture
) -> None:
    """Both books fail to build: the one published before stays in the site as it was; the other,
    never published, is left out; the site is published and `site` names the missing book and ends
    with exit code 1."""
    from rapportbok.exceptions import ChapterError
    from rapportbok.pipeline.books import many as books

    _publish(project_copy, ORGANISATION, 2024, PAGES, "budget")
    refs = [BookId(ORGANISATION, 2024, project_copy), BookId("fritid", 2024, project_copy)]
    monkeypatch.setattr(books, "ready_books", lambda root: (refs, ["annan 2023: hoppas över (1 fel)"]))

    def failing(given: list, options: object, progress: object) -> list:
        return [books.BookOutcome(ref, error=ChapterError([])) for ref in given]

    monkeypatch.setattr(books, "build_books", failing)
    previous = Path.cwd()
    os.chdir(project_copy)
    try:
        assert main(["site"]) == 1
    finally:
        os.chdir(previous)
    captured = capsys.readouterr()
    assert "annan 2023: hoppas över (1 fel)" in captured.out
    assert (
        "kommunstyrelsekontoret 2024: webbplatsen visar den tidigare publicerade versionen." in captured.out
    )
    assert (
        "Webbplatsen publicerades i _build/site/index.html, men utan fritid 2024: boken har aldrig byggts "
        "utan fel." in captured.err
    )
    site = site_folder(project_copy / "_build")
    assert (site / ORGANISATION / "2024/chapters/ekonomi.html").is_file()
    assert not (site / "fritid").exists()


def test_no_book_to_publish_is_an_error_and_leaves_no_site(project_copy: Path, monkeypatch) -> None:
    """When no book is ready and none was published, `site` says so and publishes nothing."""
    from rapportbok.exceptions import UsageError
    from rapportbok.pipeline.books import many as books
    from rapportbok.pipeline.books.site import build_site

    monkeypatch.setattr(books, "ready_books", lambda root: ([], []))
    monkeypatch.setattr(books, "build_books", lambda given, options, progress: [])
    with pytest.raises(UsageError, match="Ingen bok kunde publiceras"):
        build_site(project_copy)
    assert not site_folder(project_copy / "_build").exists()


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (lambda data: (data / "kommunstyrelsekontoret/2024").rename(data / "2024"), "rapportbok migrate"),
        (lambda data: shutil.rmtree(data / "kommunstyrelsekontoret"), "Det finns ingen organisation i data/"),
    ],
    ids=["old-layout", "no-organisation"],
)
def test_site_says_why_there_is_no_organisation(project_copy: Path, arrange, message: str) -> None:
    """An old project (data/<år>/) is told to migrate, an empty data/ what to create; nothing is built."""
    from rapportbok.exceptions import UsageError
    from rapportbok.pipeline.books.site import build_site

    arrange(project_copy / "data")
    with pytest.raises(UsageError, match=message):
        build_site(project_copy)
    assert not (project_copy / "_build" / "kommunstyrelsekontoret").exists()
    assert not site_folder(project_copy / "_build").exists()
