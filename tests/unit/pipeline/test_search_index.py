"""The search index: one entry per section of a page, with its anchor, page title and text."""

from __future__ import annotations

import json
from pathlib import Path

from rapportbok.pipeline.publishing.search_index import (
    page_sections,
    write_search_index,
    write_site_search_index,
)

PAGE = """<html><head><title>Ekonomi – Verksamhetsberättelse 2024</title><script>var x = "</";</script></head>
<body><nav>Meny som inte ska med</nav><main><article class="rb-article">
<section id="ekonomi"><h1>Ekonomi</h1><p>Inledning.</p>
<section id="investeringar"><h2>Investeringar</h2><p>Höjdfordonet &amp; stegen.</p>
<figure><img alt="bild"><details><summary>Visa data</summary><table><tr><td>123</td></tr></table></details>
</figure><br><p>Mer.</p></section>
<section class="rb-goal" id="mal-1-1"><h2 id="mal-1-1-rubrik">1.1. Mål</h2><p>Analys</p></section>
</section></article></main><footer>Sidfot</footer></body></html>"""


def test_a_page_is_split_at_its_headings() -> None:
    """Each heading starts a section linked by its own id or its section's; menus and footers are left out,
    and so are a chart's data tables (they repeat the table beside the chart)."""
    sections = [section.as_row() for section in page_sections(PAGE, "chapters/ekonomi.html")]
    assert sections == [
        ["chapters/ekonomi.html#ekonomi", "Ekonomi", "Ekonomi", "Inledning."],
        ["chapters/ekonomi.html#investeringar", "Ekonomi", "Investeringar", "Höjdfordonet & stegen. Mer."],
        ["chapters/ekonomi.html#mal-1-1-rubrik", "Ekonomi", "1.1. Mål", "Analys"],
    ]


def test_the_index_is_a_script_that_cannot_end_a_script_element(tmp_path: Path) -> None:
    """`_static/sokindex.js` sets one variable; '</' in the text is written as '<\\/'."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters/ekonomi.html").write_text(PAGE.replace("Inledning.", "Text &lt;/script&gt; här."))
    (tmp_path / "search.html").write_text(PAGE)
    target = write_search_index(tmp_path)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("window.rapportbokSokindex = ") and text.endswith(";\n")
    assert "</script>" not in text and "<\\/script>" in text
    sections = json.loads(text.removeprefix("window.rapportbokSokindex = ").removesuffix(";\n"))["avsnitt"]
    assert {url.split("#")[0] for url, *_ in sections} == {"chapters/ekonomi.html"}  # not the search page


def test_the_site_index_holds_every_book_with_its_organisation_and_year(tmp_path: Path) -> None:
    """`sokindex-alla.js`: each book's sections, tagged with its book (folder, organisation's name,
    year), and the way from a book's folder to the site's root for relative links; a name with markup
    cannot end the script."""
    for folder, text in (("ks/2024", "Inledning."), ("ond/2023", "Brandskydd i skolorna.")):
        (tmp_path / folder / "chapters").mkdir(parents=True)
        (tmp_path / folder / "chapters/ekonomi.html").write_text(PAGE.replace("Inledning.", text))
        write_search_index(tmp_path / folder)
    books = [("ks/2024", "Kommunstyrelsekontoret", 2024), ("ond/2023", "Nämnd </script><b>", 2023)]
    text = write_site_search_index(tmp_path, books).read_text(encoding="utf-8")
    assert text.startswith("window.rapportbokSokindexAlla = ") and "</script>" not in text
    index = json.loads(text.removeprefix("window.rapportbokSokindexAlla = ").removesuffix(";\n"))
    assert index["fran_bok"] == "../../"
    assert index["bocker"] == [list(book) for book in books]
    rows = index["avsnitt"]
    assert len(rows) == 6 and {row[0] for row in rows} == {0, 1}
    assert [0, "chapters/ekonomi.html#ekonomi", "Ekonomi", "Ekonomi", "Inledning."] in rows
    assert [1, "chapters/ekonomi.html#ekonomi", "Ekonomi", "Ekonomi", "Brandskydd i skolorna."] in rows


GOALS = """<html><head><title>Måluppfyllelse – Verksamhetsberättelse 2024</title></head><body>
<article class="rb-article"><section id="maluppfyllelse"><h1>Måluppfyllelse</h1>
<section id="mal-1-1"><h2 id="mal-1-1-rubrik">1.1. En ekonomi i balans</h2>
<h3>Uppdrag</h3><p>Budget.</p></section>
<section id="mal-1-2"><h2 id="mal-1-2-rubrik">1.2. En effektiv verksamhet</h2><h3>Uppdrag</h3><p>Avtal.</p>
</section></section></article></body></html>"""


def test_sections_with_the_same_heading_carry_the_goal_they_belong_to() -> None:
    """Two goals' "Uppdrag": each result names its chapter and its goal, number first."""
    rows = [section.as_row() for section in page_sections(GOALS, "chapters/maluppfyllelse.html")]
    uppdrag = [(page, text) for _, page, heading, text in rows if heading == "Uppdrag"]
    assert uppdrag == [
        ("Måluppfyllelse – 1.1. En ekonomi i balans", "Budget."),
        ("Måluppfyllelse – 1.2. En effektiv verksamhet", "Avtal."),
    ]
