"""The worked example (exempel/, docs/exempel.md): an invented Kultur- och fritidsnämnd with another
goal hierarchy, a four-level scale with "Kan inte mätas", a table of its own with charts, its own
chapters in its own order. Copied into a copy of the one-chapter project (`small_built`) the way the
handbook says, then checked, built (HTML and PDF) and published with `rapportbok site` by the same
commands as Kommunstyrelsekontoret, with nothing under src/ changed for it. One build, one site.

Expected values are read from the example's files (its CSVs, vokabular.yml and _toc.yml), not typed.
"""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.e2e.conftest import copy_built, rapportbok, visible_text
from tests.e2e.test_organisations import fingerprint
from tests.exempel import EXAMPLE, EXAMPLE_NAME, add_example

pytestmark = pytest.mark.e2e
FIRST = "kommunstyrelsekontoret"
BADGE = re.compile(
    r'class="rb-badge rb-bedomning-[^"]*"[^>]*>'
    r'<span class="rb-symbol" aria-hidden="true">([^<]+)</span> ([^<]+)<'
)


@pytest.fixture(scope="module")
def example(small_built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`small_built` plus the example: check, build and site, with Kommunstyrelsekontoret's build
    folder fingerprinted before the example was added and after the site was published."""
    project = copy_built(small_built, tmp_path_factory.mktemp("example") / "project")
    before = fingerprint(project / "_build" / FIRST)
    data = add_example(project)
    checked = rapportbok(project, "check", "--org", EXAMPLE)
    built = rapportbok(project, "build", "--org", EXAMPLE, "--year", "2024", "--jobs", "2")
    site = rapportbok(project, "site", "--jobs", "2")
    return {
        "project": project,
        "data": data,
        "html": project / "_build" / EXAMPLE / "2024" / "html",
        "runs": {"check": checked, "build": built, "site": site},
        "before": before,
        "after": fingerprint(project / "_build" / FIRST),
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def _vocabulary(example: dict) -> dict:
    return yaml.safe_load((example["data"] / "vokabular.yml").read_text(encoding="utf-8"))


def _chapter(example: dict, name: str) -> str:
    return (example["html"] / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def test_the_example_checks_builds_and_publishes_with_the_same_commands(example: dict) -> None:
    for name, completed in example["runs"].items():
        assert completed.returncode == 0, f"{name}: {completed.stdout}{completed.stderr}"
    assert f"data/{EXAMPLE}/2024 är giltig (0 varningar)." in example["runs"]["check"].stdout
    assert "PDF klar" in example["runs"]["build"].stdout
    assert "Klart: _build/site/index.html" in example["runs"]["site"].stdout
    assert (example["project"] / "_build" / "site" / EXAMPLE / "2024" / "index.html").is_file()


def test_the_books_chapters_are_the_examples_own_in_its_order(example: dict) -> None:
    toc = yaml.safe_load((example["data"] / "_toc.yml").read_text(encoding="utf-8"))
    own = [
        entry["file"].removeprefix("chapters/") for entry in toc["chapters"] if "chapters/" in entry["file"]
    ]
    index = (example["html"] / "index.html").read_text(encoding="utf-8")
    positions = [index.index(f'href="chapters/{name}.html"') for name in own]
    assert positions == sorted(positions)
    assert sorted(p.stem for p in (example["html"] / "chapters").glob("*.html")) == sorted(own)
    assert "besok" in own and not (example["project"] / "notebooks" / "besok.ipynb").exists()


def test_its_own_chapter_shows_the_declared_table_and_charts_with_their_data(example: dict) -> None:
    schema = yaml.safe_load((example["data"] / "tabeller" / "besok.yaml").read_text(encoding="utf-8"))
    rows = _rows(example["data"] / "2024" / "besok.csv")
    html = _chapter(example, "besok")
    text = visible_text(html)
    assert f'<caption id="tabell-besok-caption">{schema["title"]}' in html
    for field in schema["fields"][1:]:
        assert f"{field['title']} ({field['unit']})" in text
    latest = rows[-1]
    assert (
        f"{latest['ar']} "
        + " ".join(f"{int(latest[field['name']]):,}".replace(",", " ") for field in schema["fields"][1:])
        in text
    )
    found = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    charts = [unescape(alt).replace("\u00a0", " ") for alt in found]
    assert [alt.split(" ")[0] for alt in charts] == ["Linjediagram", "Stapeldiagram"]
    assert f"{int(latest['totalt']):,} besök".replace(",", " ") in charts[1]
    assert html.count('<details class="rb-chart-data">') == len(charts)


def test_goals_show_the_examples_four_levels_no_value_and_level_names(example: dict) -> None:
    words = _vocabulary(example)
    scale = words["bedomning"]["skala"]
    no_value = words["bedomning"]["utan_varde"]
    html = _chapter(example, "maluppfyllelse")
    shown = set(BADGE.findall(html))
    for level in [*scale, no_value]:
        assert (level["symbol"], level.get("etikett", level["varde"])) in shown
    text = visible_text(html)
    goal = _rows(example["data"] / "2024" / "inriktningsmal.csv")[0]["mal_id"]
    assert f"{words['nivaer']['indikator']['ental']} för {words['nivaer']['mal']['flertal']} {goal}" in text
    assert "inriktningsmål" not in text.lower() and "indikator" not in text.lower()
    pdf = "".join(page.extract_text() for page in PdfReader(next((example["html"]).glob("*.pdf"))).pages)
    assert no_value["varde"] in pdf and scale[-1]["varde"] in pdf


def test_the_site_overview_counts_the_examples_goals_in_its_words(example: dict) -> None:
    words = _vocabulary(example)
    fulfilled = {
        level["varde"] for level in words["bedomning"]["skala"] if level.get("raknas_som") == "uppfyllt"
    }
    goals = _rows(example["data"] / "2024" / "inriktningsmal.csv")
    counted = sum(goal["bedomning"] in fulfilled for goal in goals)
    front = (example["project"] / "_build" / "site" / "index.html").read_text(encoding="utf-8")
    rows = [visible_text(row) for row in re.findall(r'<tr role="row">(.*?)</tr>', front, re.S)]
    row = next(row for row in rows if row.startswith(EXAMPLE_NAME))
    assert f"2024 {counted} av {len(goals)} {words['nivaer']['mal']['flertal']}" in row
    assert f'href="{EXAMPLE}/2024/index.html"' in front


def test_adding_the_example_changes_nothing_in_kommunstyrelsekontorets_book(example: dict) -> None:
    """Kommunstyrelsekontoret's build folder (HTML, PDF, cache, versions) is byte-identical after the
    example was added, checked, built and published; only the site's own pages list both. The book's
    lock file is left out: `site` takes the lock to see that the book is unchanged, and the lock records
    the process that held it."""

    def published(files: dict[str, str]) -> dict[str, str]:
        return {name: digest for name, digest in files.items() if not name.endswith("/.lock")}

    assert published(example["after"]) == published(example["before"])
    assert any(name.endswith("/html/chapters/arbetsgivare.html") for name in example["before"])
