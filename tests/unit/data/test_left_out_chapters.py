"""rapport.yml `utelamnade_kapitel`: an organisation leaves chapters of the shared _toc.yml out."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rapportbok.checks.check import check_year
from rapportbok.core.book import BookId
from rapportbok.data.load import book_of, load_year
from rapportbok.data.metadata import left_out_chapters
from rapportbok.pipeline.inputs.toc import book_chapters, write_book_toc

ORG = "kommunstyrelsekontoret"
METADATA = f"data/{ORG}/2024/rapport.yml"


def meta_book(project: Path) -> BookId:
    return BookId(ORG, 2024, project)


def _leave_out(project: Path, line: str) -> int:
    """Add `line` to the year's rapport.yml; return its line number."""
    path = project / METADATA
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def _metadata_problems(project: Path) -> list[str]:
    return [str(p) for p in check_year(book_of(2024, project / "data" / ORG)).problems if p.file == METADATA]


def test_left_out_chapters_are_read_in_book_order(project_copy: Path) -> None:
    """The names are those of _toc.yml; the book keeps every other chapter, in order."""
    _leave_out(project_copy, "utelamnade_kapitel: [ekonomi, tjanstegarantier]")
    meta = load_year(2024, project_copy / "data" / ORG).meta
    assert meta.left_out_chapters == ("tjanstegarantier", "ekonomi")
    assert left_out_chapters(book_of(2024, project_copy / "data" / ORG)) == ("tjanstegarantier", "ekonomi")
    assert [c.name for c in book_chapters(meta_book(project_copy), meta.left_out_chapters)] == [
        "sammanfattning",
        "viktiga-handelser",
        "mal-indikatorer-uppdrag",
        "maluppfyllelse",
        "arbetsgivare",
    ]


def test_without_the_key_no_chapter_is_left_out(project_root: Path) -> None:
    assert load_year(2024, project_root / "data" / ORG).meta.left_out_chapters == ()
    assert left_out_chapters(book_of(2024, project_root / "data" / ORG)) == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("utelamnade_kapitel: [tjanstegarantie]", '"tjanstegarantie" finns inte i _toc.yml'),
        ("utelamnade_kapitel: [om-rapporten]", '"om-rapporten" finns inte i _toc.yml'),
        ("utelamnade_kapitel: tjanstegarantier", '"tjanstegarantier" är ingen lista med kapitelnamn'),
        ("utelamnade_kapitel: [ekonomi, ekonomi]", "ekonomi står flera gånger"),
        ("utelamnade_kapitel: [1]", "[1] är ingen lista med kapitelnamn"),
    ],
)
def test_a_name_that_is_not_a_chapter_is_a_located_problem(
    project_copy: Path, line: str, message: str
) -> None:
    """Only chapters of _toc.yml can be left out (not the pages about the report and accessibility)."""
    row = _leave_out(project_copy, line)
    problems = _metadata_problems(project_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f'{METADATA}, rad {row}, kolumn "utelamnade_kapitel": {message} (')
    assert problems[0].endswith(
        "; kapitlen är sammanfattning, viktiga-handelser, tjanstegarantier, "
        "mal-indikatorer-uppdrag, maluppfyllelse, ekonomi, arbetsgivare)"
    )


def test_every_chapter_cannot_be_left_out(project_copy: Path) -> None:
    names = ", ".join(c.name for c in book_chapters(meta_book(project_copy)))
    row = _leave_out(project_copy, f"utelamnade_kapitel: [{names}]")
    assert _metadata_problems(project_copy) == [
        f'{METADATA}, rad {row}, kolumn "utelamnade_kapitel": alla kapitel är utelämnade (lämna minst ett '
        "kapitel kvar)"
    ]


def test_a_left_out_chapters_texts_are_not_required(project_copy: Path) -> None:
    """Without the chapter, its texts (shown by its notebook or required per row) may be missing."""
    for text in ("ekonomi", "tjanstegarantier"):
        for path in sorted((project_copy / f"data/{ORG}/2024/text" / text).rglob("*.md"), reverse=True):
            path.unlink()
    missing = [str(p) for p in check_year(book_of(2024, project_copy / "data" / ORG)).problems]
    assert any("text/ekonomi/verksamhet-" in p for p in missing)  # required per activity row
    assert any("text/tjanstegarantier/" in p for p in missing)  # shown by the notebook
    _leave_out(project_copy, "utelamnade_kapitel: [ekonomi, tjanstegarantier]")
    remaining = [str(p) for p in check_year(book_of(2024, project_copy / "data" / ORG)).problems]
    assert not [p for p in remaining if "/text/ekonomi/" in p or "/text/tjanstegarantier/" in p]


def test_the_books_toc_leaves_the_chapters_out(project_copy: Path, tmp_path: Path) -> None:
    """Jupyter Book gets a toc without the left-out chapters; with none left out, _toc.yml itself."""
    assert write_book_toc(meta_book(project_copy), (), tmp_path / "_toc.yml") == project_copy / "_toc.yml"
    written = write_book_toc(meta_book(project_copy), ("tjanstegarantier",), tmp_path / "_toc.yml")
    files = [item["file"] for item in yaml.safe_load(written.read_text(encoding="utf-8"))["chapters"]]
    original = yaml.safe_load((project_copy / "_toc.yml").read_text(encoding="utf-8"))
    assert files == [
        item["file"] for item in original["chapters"] if item["file"] != "chapters/tjanstegarantier"
    ]
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["root"] == original["root"]
