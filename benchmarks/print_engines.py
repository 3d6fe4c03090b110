"""The print edition two ways, from the same executed chapters of one built project: the build's print
step (`build`: the print document's HTML, set with Typst in the PDF child process, then verified)
and Typst called directly (`typst`: the document straight from the chapters, in this process).
WeasyPrint, the other engine of the comparison recorded in benchmarks/README.md ("Typst bredvid
WeasyPrint"), was removed after it (issue 27); this script was the one that measured both.

Per engine: seconds of the print step (executed chapters → verified PDF; median of `--runs`, each in a
new process so imports and font loading count), pages, seconds per extra page (the book with every
chapter twice, `copies=2`, against once), the PDF/UA-1 findings of `pdf.structure` (Typst also
enforces its own ua-1 checks while compiling), the fidelity to the web edition (the logic of
tests/e2e/test_pdf.py::test_the_print_edition_has_the_webs_content: every heading, cell and caption of
the site, whole, in one tagged block) and the layout measures of tests/pdf_layout.py.

Needs a finished build of the project (`rapportbok build --year 2024`): chapters are read from
`_build/<org>/<year>/.cache/`, the web pages from `_build/<org>/<year>/html/`.

Usage: .venv/bin/python benchmarks/print_engines.py [--root PROJECT] [--year 2024] [--runs 3]
       [--keep FOLDER]   (writes build.pdf and typst.pdf there, to look at page by page)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from rapportbok.checks.check import require_valid
from rapportbok.core.book import BookId
from rapportbok.pipeline.inputs.toc import chapters
from rapportbok.pipeline.publishing.pages import generated_pages
from rapportbok.pipeline.publishing.provenance import git_state, provenance_line, source_date
from rapportbok.pipeline.publishing.siteconfig import year_substitutions
from rapportbok.pdf.document import chapter_from_notebook

engine, root, year = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
target, copies = Path(sys.argv[4]), int(sys.argv[5])
book = BookId("kommunstyrelsekontoret", year, root)
report = require_valid(book).report
layout = book.layout()
notebooks = {c.name: layout.cache / c.name / "executed.ipynb" for c in chapters(root)}
provenance, created = provenance_line(git_state(root), report), source_date(root, report).isoformat()
pages = generated_pages(root, report, provenance)
if engine == "build":
    from rapportbok.pdf.document import print_document
    from rapportbok.pipeline.processes.owned import BuildProcesses
    from rapportbok.pipeline.processes.pdf_process import render_pdf
else:
    from rapportbok.pdf.typst.document import typst_document
    from rapportbok.pdf.typst.writer import write_typst_pdf

def cpu_now():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime

prepared, cpu = time.perf_counter(), cpu_now()
substitutions = year_substitutions(report)
parts = [chapter_from_notebook(path, substitutions, name) for name, path in notebooks.items()]
parts += [page.print_chapter() for page in pages if page.printed]
parts = parts * copies
if engine == "build":
    document = print_document(report, parts, root, provenance, created)
    render_pdf(document, target, base_url=root, processes=BuildProcesses(), log=target.with_suffix(".log"))
else:
    write_typst_pdf(typst_document(report, parts, root, provenance, created), target)
done = time.perf_counter()
print(json.dumps({"seconds": done - prepared, "cpu": cpu_now() - cpu, "with_imports": done - started}))
"""

BLOCKS = {"/H1", "/H2", "/H3", "/H4", "/P", "/TD", "/TH", "/Caption", "/LBody", "/LI"}
ENGINES = ("build", "typst")


def one_run(engine: str, root: Path, year: int, target: Path, copies: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", ONE_RUN, engine, str(root), str(year), str(target), str(copies)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(completed.stderr or completed.stdout)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _squeezed(text: str) -> str:
    return "".join(text.replace("\u00a0", " ").split())


def missing_web_content(pdf: Path, site: Path) -> tuple[int, list[tuple[str, str]]]:
    """(pieces checked, pieces missing): the check of test_the_print_edition_has_the_webs_content."""
    from lxml import html as lxml_html

    from rapportbok.pdf.structure import tagged_texts

    printed = "\x00".join(_squeezed(text) for text in tagged_texts(pdf, BLOCKS))
    missing, checked = [], 0
    for page in [
        site / "om-rapporten.html",
        site / "tillganglighet.html",
        *sorted((site / "chapters").glob("*.html")),
    ]:
        for article in lxml_html.fromstring(page.read_text(encoding="utf-8")).xpath("//article"):
            for link in article.xpath(".//a[contains(@class, 'headerlink')]"):
                link.drop_tree()
            for piece in article.xpath(".//span[contains(@class, 'rb-meta')]"):
                checked += 1
                if _squeezed(piece.text_content()) not in printed:
                    missing.append((page.name, _squeezed(piece.text_content())[:60]))
                piece.drop_tree()
            for part in article.xpath(".//h1|.//h2|.//h3|.//h4|.//caption|.//figcaption|.//th|.//td"):
                if part.xpath("ancestor::details") or part.xpath("ancestor::table[@id='datafiler']"):
                    continue
                text = _squeezed(part.text_content())
                if text:
                    checked += 1
                    if text not in printed:
                        missing.append((page.name, text[:60]))
    return checked, missing


def web_words(site: Path) -> set[str]:
    from lxml import html as lxml_html

    words: set[str] = set()
    for page in site.rglob("*.html"):
        text = lxml_html.fromstring(page.read_text(encoding="utf-8")).text_content()
        words.update(re.sub(r"^\W+|\W+$", "", word) for word in text.split())
    return words


def evidence(engine: str, pdf: Path, site: Path) -> dict[str, object]:
    """UA findings, fidelity and layout measures of one PDF."""
    from rapportbok.pdf.structure import check_pdf_ua, tagged_texts
    from tests.pdf_layout import measure

    layout = measure(pdf, web_words(site))
    checked, missing = missing_web_content(pdf, site)
    return {
        "ua": [str(problem) for problem in check_pdf_ua(pdf)],
        "checked": checked,
        "missing": missing,
        "th": len(tagged_texts(pdf, {"/TH"})),
        "figures": len(tagged_texts(pdf, {"/Figure"})),
        "half_empty": layout.half_empty,
        "fill_median": statistics.median(fill.fill for fill in layout.fills),
        "smallest": layout.smallest,
        "hyphenated": len(layout.hyphenated),
        "broken": layout.broken[:5],
        "stranded": layout.stranded,
        "split_cells": [page for page, _ in layout.split_cells],
        "overlaps": layout.overlaps[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="a built project (default: this one)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write build.pdf and typst.pdf to this folder")
    args = parser.parse_args()
    from pypdf import PdfReader

    site = args.root / "_build/kommunstyrelsekontoret" / str(args.year) / "html"
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for engine in ENGINES:
            target = Path(folder) / f"{engine}.pdf"
            runs = [one_run(engine, args.root, args.year, target, 1) for _ in range(args.runs)]
            seconds = statistics.median(run["seconds"] for run in runs)
            cpu = statistics.median(run["cpu"] for run in runs)
            pages = len(PdfReader(target).pages)
            found = evidence(engine, target, site)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / target.name).write_bytes(target.read_bytes())
            double = Path(folder) / f"{engine}-2.pdf"
            twice = one_run(engine, args.root, args.year, double, 2)
            extra = len(PdfReader(double).pages) - pages
            slope = (twice["seconds"] - seconds) / extra if extra else float("nan")
            cpu_slope = (twice["cpu"] - cpu) / extra if extra else float("nan")
            rows.append((engine, seconds, cpu, pages, slope, cpu_slope, found))
            each = ", ".join(f"{run['seconds']:.2f}" for run in runs)
            print(
                f"{engine}: median {seconds:.2f} s (runs {each}), "
                f"CPU {cpu:.2f} s, {pages} pages; twice the chapters {twice['seconds']:.2f} s for "
                f"{pages + extra} pages (CPU {twice['cpu']:.2f} s): {slope:.3f} s, CPU {cpu_slope:.3f} s "
                "per extra page"
            )
            print(json.dumps(found, ensure_ascii=False, indent=1))
    print(
        "\n| motor | s (median) | CPU s | sidor | s / CPU per sida till | PDF/UA-fynd | saknat webbinnehåll |"
    )
    print("|---|---|---|---|---|---|---|")
    for engine, seconds, cpu, pages, slope, cpu_slope, found in rows:
        print(
            f"| {engine} | {seconds:.2f} | {cpu:.2f} | {pages} | {slope:.3f} / {cpu_slope:.3f} | "
            f"{len(found['ua'])} | {len(found['missing'])} av {found['checked']} |"
        )


if __name__ == "__main__":
    main()
