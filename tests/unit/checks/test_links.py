"""Links and images in narrative: check refuses (with file and line) exactly what the page would not show,
images are decoded files of the year's folder, and check finds every text the build needs before any
chapter runs."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import pytest

from rapportbok.checks.check import check_year, require_valid
from rapportbok.data.load import book_of, load_year
from rapportbok.data.report import Report
from rapportbok.exceptions import DataError
from rapportbok.narrative.markdown import markdown_to_html

KEY = "tjanstegarantier/inforande"
TEXT = f"data/kommunstyrelsekontoret/2024/text/{KEY}.md"
YEAR = "data/kommunstyrelsekontoret/2024"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("links") / "project")
    (project / YEAR / "bilder").mkdir()
    (project / YEAR / "bilder/diagram.png").write_bytes(PNG)
    (project / YEAR / "bilder/signatur.png").write_bytes(PNG[:8])  # only the PNG signature
    (project / ".git").mkdir()
    (project / ".git/config").write_text("[core]\n", encoding="utf-8")
    (project / YEAR / ".git").mkdir()
    (project / YEAR / ".git/config").write_text("[core]\n", encoding="utf-8")
    return project


REFUSED = [
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
    ("![x](https://www.norrtalje.se/bild.png)", "hämtas från en annan webbplats, som boken aldrig gör"),
    ("![x](.git/config)", 'bilden ".git/config" är ingen bildfil'),
    ("![x](bilder/saknas.png)", 'bilden "bilder/saknas.png" filen saknas'),
    ("![x](bilder/signatur.png)", "är ingen giltig png-fil: filen kan inte läsas som bild"),
    ("![x](bilder)", 'bilden "bilder" är ingen bildfil'),
    ("![x](#mal-1-1)", "är ett ankare; en bild ska vara en bildfil i årets mapp"),
    ("[x](annan-sida.md#finns-inte)", "pekar på en fil som inte är en sida i boken"),
    ("[x](bilder/diagram.png)", "pekar på en fil som inte är en sida i boken"),
    ("[x](finns-inte.html#x)", "pekar på sidan finns-inte.html, som inte är ett kapitel i boken"),
    ("[x](ekonomi.html?x=1)", "har ? efter sidans namn"),
]

ALLOWED = [
    "[kommunen](https://www.norrtalje.se/)",
    "[skriv till oss](mailto:kontakt@norrtalje.se)",
    "[målen](#mal-1-1)",
    "[ett ankare som inte finns](#finns-inte)",
    "[driften](ekonomi.html#driftredovisning)",
    "[målen](maluppfyllelse.html)",
    "![diagram](bilder/diagram.png)",
    "<https://www.norrtalje.se/>",
]


def _page(report: Report, markdown: str) -> str:
    """The text as a chapter page shows it (images read from the year's folder)."""
    return markdown_to_html(markdown, report)


def _problems(project: Path, text: str) -> list[str]:
    (project / TEXT).write_text(text, encoding="utf-8")
    return [
        str(problem)
        for problem in check_year(book_of(2024, project / "data" / "kommunstyrelsekontoret")).problems
    ]


def _one_text(markdowns: list[str]) -> tuple[str, list[int]]:
    """One text with each construct in a paragraph of its own, as `Se … här.`; the line of each."""
    text, lines = "Rad ett.\n", []
    for markdown in markdowns:
        text += "\n"
        lines.append(text.count("\n") + 1)
        text += f"Se {markdown} här.\n"
    return text, lines


@dataclass(frozen=True)
class Checked:
    """What check and the build's gate said about one text holding every refused construct."""

    problems: list[str]
    lines: list[int]
    refused: str
    report: Report


@pytest.fixture(scope="module")
def refused_checked(shared_copy: Path) -> Checked:
    """check and require_valid run once on one text with every refused construct on its own line (each
    construct is located by its own line, so one pass checks them all: a check per construct cost ~70
    checks of the whole year)."""
    text, lines = _one_text([markdown for markdown, _ in REFUSED])
    problems = _problems(shared_copy, text)
    with pytest.raises(DataError) as refused:
        require_valid(book_of(2024, shared_copy / "data" / "kommunstyrelsekontoret"))
    report = load_year(2024, shared_copy / "data" / "kommunstyrelsekontoret", lazy=True)
    return Checked(problems, lines, str(refused.value), report)


@pytest.fixture(scope="module")
def allowed_checked(shared_copy: Path) -> Checked:
    """check run once on one text with every allowed construct, each in a paragraph of its own."""
    text, lines = _one_text(ALLOWED)
    problems = _problems(shared_copy, text)
    report = load_year(2024, shared_copy / "data" / "kommunstyrelsekontoret", lazy=True)
    return Checked(problems, lines, "", report)


@pytest.mark.parametrize(("markdown", "reason"), REFUSED)
def test_a_link_or_image_leaving_the_project_is_refused_with_its_line(
    refused_checked: Checked, markdown: str, reason: str
) -> None:
    """check names file and line, and the build's own gate (require_valid) refuses with the same
    message; the page shows the construct as text, not as a link or image."""
    line = refused_checked.lines[[case for case, _ in REFUSED].index(markdown)]
    problems = refused_checked.problems
    at = f"{TEXT}, rad {line}: "
    assert any(p.startswith(at) and reason in p for p in problems), problems
    assert next(p for p in problems if p.startswith(at)) in refused_checked.refused
    html = _page(refused_checked.report, f"Se {markdown} här.\n")
    assert "<img" not in html and "<a " not in html


@pytest.mark.parametrize("markdown", ALLOWED)
def test_https_mailto_anchors_pages_and_images_of_the_year_are_allowed(
    allowed_checked: Checked, markdown: str
) -> None:
    """The allowed targets pass check and stay links or images on the page; an image is embedded as a
    data: URL of the year's file, so neither the site nor the PDF fetches it."""
    assert allowed_checked.problems == []
    html = _page(allowed_checked.report, f"Se {markdown} här.\n")
    assert "<img" in html or "<a " in html
    if "<img" in html:
        assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html


def test_each_refused_construct_is_refused_alone_too(shared_copy: Path, refused_checked: Checked) -> None:
    """The one-text check above finds what a text holding only that construct gives (sampled: the first
    and the last construct, and the reference definition that spans paragraphs)."""
    for markdown, reason in (REFUSED[0], REFUSED[11], REFUSED[-1]):
        problems = _problems(shared_copy, f"Rad ett.\n\nSe {markdown} här.\n")
        assert any(p.startswith(f"{TEXT}, rad 3: ") and reason in p for p in problems), problems


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
    assert [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ] == [expected]
    with pytest.raises(DataError, match=r"sammanfattning/ekonomi\.md: texten saknas"):
        require_valid(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret"), draft=True)


def test_check_reports_a_broken_accessibility_statement(project_copy: Path) -> None:
    """tillganglighet.yml is checked too: the build needs it after the chapters ran."""
    (project_copy / "tillganglighet.yml").write_text("kontakt:\nkanda_brister: ja\n", encoding="utf-8")
    assert [
        str(p) for p in check_year(book_of(2024, project_copy / "data" / "kommunstyrelsekontoret")).problems
    ] == [
        'tillganglighet.yml, rad 2, kolumn "kanda_brister": ska vara en lista med texter (högst 50 punkter '
        "om högst 4000 tecken)",
        'tillganglighet.yml, kolumn "kontakt": värde saknas (vem man rapporterar brister till)',
    ]
