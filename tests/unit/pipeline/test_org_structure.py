"""An organisation defines its own book: data/<org>/_toc.yml (its chapters, their order) and its own
chapter notebooks in notebooks/<org>/; without them it gets the project's. `check` names what the
build would stop on, by file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year
from rapportbok.checks.structure import structure_problems
from rapportbok.core.book import BookId
from rapportbok.exceptions import UsageError
from rapportbok.pipeline.inputs.toc import chapters, write_book_toc

ORG = "kommunstyrelsekontoret"
OTHER = "socialnamnden"
OWN_TOC = """format: jb-book
root: index
chapters:
  - file: chapters/arbetsgivare
  - file: chapters/volymer
  - file: chapters/ekonomi
  - file: om-rapporten
  - file: tillganglighet
"""


def _other_organisation(project: Path, toc: str = OWN_TOC) -> BookId:
    """data/socialnamnden: kommunstyrelsekontoret's 2024 data, its own toc and its own chapter volymer."""
    shutil.copytree(project / "data" / ORG, project / "data" / OTHER)
    (project / "data" / OTHER / "_toc.yml").write_text(toc, encoding="utf-8")
    own = project / "notebooks" / OTHER
    own.mkdir()
    shutil.copy(project / "notebooks" / "tjanstegarantier.ipynb", own / "volymer.ipynb")
    return BookId(OTHER, 2024, project)


def test_an_organisation_without_its_own_toc_has_the_projects(project_copy: Path) -> None:
    book = BookId(ORG, 2024, project_copy)
    assert book.toc == project_copy / "_toc.yml" and book.toc_label == "_toc.yml"
    assert chapters(book)[0].notebook == project_copy / "notebooks" / "sammanfattning.ipynb"


def test_its_own_toc_sets_the_chapters_their_order_and_its_own_notebooks(project_copy: Path) -> None:
    book = _other_organisation(project_copy)
    assert book.toc_label == f"data/{OTHER}/_toc.yml"
    found = chapters(book)
    assert [chapter.name for chapter in found] == ["arbetsgivare", "volymer", "ekonomi"]
    assert found[1].notebook == project_copy / "notebooks" / OTHER / "volymer.ipynb"
    assert found[0].notebook == project_copy / "notebooks" / "arbetsgivare.ipynb"  # the shared one
    assert write_book_toc(book, (), project_copy / "x.yml") == book.toc  # Jupyter Book reads its own
    # the first organisation still has the project's chapters
    assert len(chapters(BookId(ORG, 2024, project_copy))) == 7


def test_an_own_notebook_replaces_the_shared_one_for_that_organisation_only(project_copy: Path) -> None:
    book = _other_organisation(project_copy)
    shutil.copy(
        project_copy / "notebooks" / "ekonomi.ipynb", project_copy / "notebooks" / OTHER / "ekonomi.ipynb"
    )
    assert chapters(book)[2].notebook == project_copy / "notebooks" / OTHER / "ekonomi.ipynb"
    assert BookId(ORG, 2024, project_copy).notebook("ekonomi") == project_copy / "notebooks" / "ekonomi.ipynb"


def test_check_names_each_entry_the_build_cannot_make_by_line(project_copy: Path) -> None:
    toc = OWN_TOC.replace("chapters/ekonomi", "chapters/saknas") + "  - file: ingen-sida\n"
    toc += "  - file: chapters/Fel_namn\n  - file: chapters/arbetsgivare\n  - file: ../../etc/passwd\n"
    book = _other_organisation(project_copy, toc)
    problems = structure_problems(book)
    shown = f"data/{OTHER}/_toc.yml"
    assert [(p.file, p.row, p.code) for p in problems] == [
        (shown, 6, "structure.chapter.notebook_missing"),
        (shown, 9, "structure.page.missing"),
        (shown, 10, "structure.chapter.name"),
        (shown, 4, "structure.entry.duplicate"),
        (shown, 12, "structure.page.missing"),
    ]
    assert str(problems[0]) == (
        f"{shown}, rad 6: kapitlet saknas har ingen notebook (skapa notebooks/{OTHER}/saknas.ipynb "
        "(organisationens egen) eller notebooks/saknas.ipynb (gemensam), eller ta bort raden)"
    )
    found = [str(p) for p in check_year(book).problems if p.file == shown]
    assert len(found) == 5  # check runs the structure check, as the build's require_valid does


def test_the_build_refuses_a_chapter_name_that_is_a_path(project_copy: Path) -> None:
    book = _other_organisation(project_copy, OWN_TOC.replace("chapters/volymer", "chapters/..volymer"))
    with pytest.raises(
        UsageError, match=r"data/socialnamnden/_toc\.yml nämner chapters/\.\.volymer: ett kapitelnamn"
    ):
        chapters(book)


def test_utelamnade_kapitel_is_checked_against_the_organisations_own_toc(project_copy: Path) -> None:
    book = _other_organisation(project_copy)
    metadata = book.year_dir / "rapport.yml"
    metadata.write_text(metadata.read_text(encoding="utf-8") + "utelamnade_kapitel: [tjanstegarantier]\n")
    found = [str(p) for p in check_year(book).problems if p.file.endswith("rapport.yml")]
    assert any(f'"tjanstegarantier" finns inte i data/{OTHER}/_toc.yml' in p for p in found), found


def test_an_organisations_toc_is_data_and_may_only_arrange_pages(project_copy: Path) -> None:
    """A link or a glob in the navigation is not data's to add: each key is refused with its line."""
    toc = OWN_TOC + "  - url: javascript:alert(1)\n    title: Klicka\n  - glob: chapters/*\n"
    book = _other_organisation(project_copy, toc)
    problems = [p for p in structure_problems(book) if p.code == "structure.key"]
    assert [(p.row, p.message) for p in problems] == [
        (9, "nyckeln url är inte tillåten"),
        (10, "nyckeln title är inte tillåten"),
        (11, "nyckeln glob är inte tillåten"),
    ]
    assert any(p.code == "structure.key" for p in check_year(book).problems)
