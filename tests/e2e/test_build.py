"""End to end: data → executed chapters → published HTML, and what a failure leaves behind."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from rapportbok.exceptions import ChapterError
from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.progress import Progress
from rapportbok.views.chapter import start_chapter
from tests.e2e.conftest import rapportbok, visible_text

pytestmark = pytest.mark.e2e


def test_the_ekonomi_page_shows_the_operating_totals(built: Path) -> None:
    """The published page has the totals of the operating statement in Swedish format."""
    page = (built / "_build/kommunstyrelsekontoret/2024/html/chapters/ekonomi.html").read_text(
        encoding="utf-8"
    )
    text = visible_text(page)
    assert "Summa Driftbudget -305 285 -282 930 22 355 -258 055" in text
    assert "Kommunstyrelsekontoret -305 285 -282 930 22 355 -258 055" in text
    assert "sammantaget överskott om 22,4 mnkr" in text
    assert "Avvikelse budget och utfall för perioden, +13 450 tkr:" in text
    assert "Totalt investeringar Räddningstjänst -31 050 -26 678 14 % -14 245" in text
    assert 'alt="Liggande stapeldiagram över nettokostnad per verksamhet 2024' in page


def test_the_site_is_swedish_and_shows_no_code(built: Path) -> None:
    """Every page is lang="sv" and no notebook source reaches the reader."""
    site = built / "_build/kommunstyrelsekontoret/2024/html"
    pages = [*site.glob("*.html"), *site.glob("chapters/*.html")]
    assert len(pages) >= 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="sv"' in html, page
        assert "start_chapter" not in html and "data_dir" not in html, page


def test_every_chapter_of_the_toc_is_a_page(built: Path) -> None:
    """Chapters still to be built say so in one line; nothing pretends to be done."""
    chapters = built / "_build/kommunstyrelsekontoret/2024/html/chapters"
    titles = {
        "sammanfattning": "Sammanfattning",
        "viktiga-handelser": "Viktiga händelser och riskanalys",
        "tjanstegarantier": "Tjänstegarantier",
        "mal-indikatorer-uppdrag": "Mål, indikatorer, uppdrag och initiativ",
        "maluppfyllelse": "Måluppfyllelse per inriktningsmål",
        "ekonomi": "Ekonomi",
        "arbetsgivare": "Kommunen som arbetsgivare",
    }
    for name, title in titles.items():
        html = (chapters / f"{name}.html").read_text(encoding="utf-8")
        assert f"<h1>{title}" in html, name
    about = (built / "_build/kommunstyrelsekontoret/2024/html/om-rapporten.html").read_text(encoding="utf-8")
    assert "<h1>Om rapporten" in about and "om-rapporten-teknik.json" in about


def test_a_failing_chapter_stops_the_build_and_keeps_the_published_site(built_copy: Path) -> None:
    """The error names the chapter and the cell's error; the old site and the notebook stay."""
    index = built_copy / "_build/kommunstyrelsekontoret/2024/html/index.html"
    before = index.read_bytes()
    notebook = built_copy / "notebooks" / "ekonomi.ipynb"
    original = notebook.read_text(encoding="utf-8")
    notebook.write_text(original.replace('"operating_table(report)"', '"1 / 0"'), encoding="utf-8")
    with pytest.raises(ChapterError) as raised:
        build_year(built_copy, 2024, jobs=2, progress=Progress(quiet=True))
    message = str(raised.value)
    assert "Kapitlet ekonomi i kommunstyrelsekontoret 2024 misslyckades" in message
    assert "ZeroDivisionError" in message
    assert (built_copy / "_build/kommunstyrelsekontoret/2024/.cache/ekonomi/failed.ipynb").is_file()
    assert "_build/kommunstyrelsekontoret/2024/.cache/ekonomi/failed.ipynb" in message
    assert (raised.value.chapter, raised.value.file) == (
        "ekonomi",
        "_build/kommunstyrelsekontoret/2024/.cache/ekonomi/failed.ipynb",
    )
    kept = json.loads((built_copy / raised.value.file).read_text(encoding="utf-8"))
    failing = [cell for cell in kept["cells"] if cell.get("execution_count") == raised.value.cell]
    assert ["".join(cell["source"]) for cell in failing] == ["1 / 0"]
    assert index.read_bytes() == before


def test_bad_data_stops_the_build_before_any_chapter_runs(built_copy: Path) -> None:
    """Invalid data is reported with file, row and column; the published site is untouched."""
    drift = built_copy / "data/kommunstyrelsekontoret/2024/drift.csv"
    drift.write_text(drift.read_text(encoding="utf-8").replace("88302", "88 302 kr"), encoding="utf-8")
    before = (built_copy / "_build/kommunstyrelsekontoret/2024/html/chapters/ekonomi.html").read_bytes()
    completed = rapportbok(built_copy, "build", "--year", "2024")
    assert completed.returncode == 1
    assert (
        'data/kommunstyrelsekontoret/2024/drift.csv, rad 2, kolumn "utfall": "88 302 kr" är inte giltigt'
        in completed.stderr
    )
    assert "Kör" not in completed.stdout
    assert (
        built_copy / "_build/kommunstyrelsekontoret/2024/html/chapters/ekonomi.html"
    ).read_bytes() == before


def test_each_chapter_gets_the_kernel_protocol_and_no_local_path_is_published(built_original: Path) -> None:
    """The build passes start_chapter's parameters (with the reads log and lazy loading); the paths it
    passes stay in the cache and never reach the published site or PDF."""
    built = built_original  # the folder the build ran in, whose path the cache holds
    names = list(inspect.signature(start_chapter).parameters)
    for executed in sorted((built / "_build/kommunstyrelsekontoret/2024/.cache").glob("*/executed.ipynb")):
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
        injected = next(c for c in cells if "injected-parameters" in c["metadata"].get("tags", []))
        values = {
            node.targets[0].id: ast.literal_eval(node.value)
            for node in ast.parse("".join(injected["source"])).body
            if isinstance(node, ast.Assign)
        }
        assert sorted(values) == sorted(names), executed
        assert values["lazy"] is True and values["draft"] is False
        assert values["reads_log"] == str(
            built / f"_build/kommunstyrelsekontoret/2024/.cache/{executed.parent.name}/run/reads.log"
        )
    published = [p for p in (built / "_build/kommunstyrelsekontoret/2024").glob("[hp]*/**/*") if p.is_file()]
    assert len(published) > 20
    for path in published:
        assert str(built).encode() not in path.read_bytes(), path
    metadata = PdfReader(next((built / "_build/kommunstyrelsekontoret/2024/pdf").glob("*.pdf"))).metadata
    assert not [value for value in metadata.values() if str(built) in str(value)]
