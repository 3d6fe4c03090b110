"""Links and images in narrative point inside the project or to https://, and check finds every text the
build needs before any chapter runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.checks.check import check_year, require_valid
from rapportbok.exceptions import DataError
from rapportbok.narrative.markdown import markdown_to_html

KEY = "tjanstegarantier/inforande"
TEXT = f"data/kommunstyrelsekontoret/2024/text/{KEY}.md"


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("links") / "project")


def _problems(project: Path, text: str) -> list[str]:
    (project / TEXT).write_text(text, encoding="utf-8")
    return [
        str(problem) for problem in check_year(2024, project / "data" / "kommunstyrelsekontoret").problems
    ]


@pytest.mark.parametrize(
    ("markdown", "reason"),
    [
        ("[lösenord](file:///etc/passwd)", 'länken "file:///etc/passwd" pekar på en adress av typen file:'),
        ("![x](/etc/passwd)", 'bilden "/etc/passwd" pekar på en absolut sökväg utanför projektet'),
        ("![x](/abs/path.svg)", 'bilden "/abs/path.svg" pekar på en absolut sökväg'),
        (
            "![x](http://127.0.0.1:8000/x.png)",
            '"http://127.0.0.1:8000/x.png" pekar på en adress av typen http:',
        ),
        ("[sida](http://example.org)", 'länken "http://example.org" pekar på en adress av typen http:'),
        ("![x](../../../../etc/passwd)", "pekar uppåt (..) och kan lämna projektet"),
        ("![x](%2e%2e/%2e%2e/%2e%2e/etc/passwd)", "pekar uppåt (..) och kan lämna projektet"),
        ("![x](bilder/..%2f..%2f..%2fetc/passwd)", "pekar uppåt (..) och kan lämna projektet"),
        ("[x](//evil.example/x)", "pekar på en annan webbplats utan https:"),
        ("<http://127.0.0.1:8000/>", 'länken "http://127.0.0.1:8000/" pekar på en adress av typen http:'),
        ("<file:///etc/passwd>", "pekar på en adress av typen file:"),
        ("[x][ref]\n\n[ref]: /etc/passwd\n\nSlut", 'länken "/etc/passwd" pekar på en absolut sökväg'),
        ("![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", "pekar på en adress av typen data:"),
        ("[x](&#102;ile:///etc/passwd)", "pekar på en adress av typen file:"),
        ("[x](ftp://example.org/x)", "pekar på en adress av typen ftp:"),
        ("![x](mailto:a@example.org)", "pekar på en adress av typen mailto:"),
        ("[x](ｈttps:evil)", 'länken "ｈttps:evil" pekar på en adress av typen ｈttps:'),
    ],
)
def test_a_link_or_image_leaving_the_project_is_refused_with_its_line(
    shared_copy: Path, markdown: str, reason: str
) -> None:
    """check names file and line; the page shows the construct as text, not as a link or image."""
    problems = _problems(shared_copy, f"Rad ett.\n\nSe {markdown} här.\n")
    assert any(p.startswith(f"{TEXT}, rad 3: ") and reason in p for p in problems), problems
    html = markdown_to_html(f"Se {markdown} här.\n")
    assert "<img" not in html and "<a " not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[kommunen](https://www.norrtalje.se/)",
        "![diagram](https://www.norrtalje.se/bild.png)",
        "[skriv till oss](mailto:kontakt@norrtalje.se)",
        "[målen](#mal-1-1)",
        "![diagram](bilder/diagram.png)",
        "<https://www.norrtalje.se/>",
    ],
)
def test_https_mailto_anchors_and_project_paths_are_allowed(shared_copy: Path, markdown: str) -> None:
    """The allowed targets pass check and stay links or images on the page."""
    assert _problems(shared_copy, f"Se {markdown} här.\n") == []
    html = markdown_to_html(f"Se {markdown} här.\n")
    assert "<img" in html or "<a " in html


def test_a_link_assembled_from_a_value_is_checked_after_filling_in(project_copy: Path) -> None:
    """A value cannot smuggle a destination in: the filled-in text is what check inspects."""
    goals = project_copy / "data/kommunstyrelsekontoret/2024/inriktningsmal.csv"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("En ekonomi i balans", "http://127.0.0.1:8000/x.png"),
        encoding="utf-8",
    )
    problems = _problems(project_copy, 'Rad ett.\n![x]({{ mal["1.1"].titel }})\n')
    assert any(p.startswith(f"{TEXT}, rad 2: bilden ") and "http:" in p for p in problems), problems


def test_check_finds_a_missing_text_that_a_chapter_shows(project_copy: Path) -> None:
    """A text shown by a notebook (not required by any data row) missing: check fails, before the build."""
    (project_copy / "data/kommunstyrelsekontoret/2024/text/sammanfattning/ekonomi.md").unlink()
    expected = (
        "data/kommunstyrelsekontoret/"
        "2024/text/sammanfattning/ekonomi.md: texten saknas (kapitlet sammanfattning visar texten; "
        "skapa filen)"
    )
    assert [str(p) for p in check_year(2024, project_copy / "data" / "kommunstyrelsekontoret").problems] == [
        expected
    ]
    with pytest.raises(DataError, match=r"sammanfattning/ekonomi\.md: texten saknas"):
        require_valid(2024, project_copy / "data" / "kommunstyrelsekontoret", draft=True)


def test_check_reports_a_broken_accessibility_statement(project_copy: Path) -> None:
    """tillganglighet.yml is checked too: the build needs it after the chapters ran."""
    (project_copy / "tillganglighet.yml").write_text("kontakt:\nkanda_brister: ja\n", encoding="utf-8")
    assert [str(p) for p in check_year(2024, project_copy / "data" / "kommunstyrelsekontoret").problems] == [
        'tillganglighet.yml, rad 2, kolumn "kanda_brister": ska vara en lista med texter (högst 50 punkter '
        "om högst 4000 tecken)",
        'tillganglighet.yml, kolumn "kontakt": värde saknas (vem man rapporterar brister till)',
    ]
