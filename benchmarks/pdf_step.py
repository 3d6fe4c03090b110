"""Time of the PDF step alone: the print document from the executed chapters, set with Typst.

Needs a finished build of the year (`rapportbok build --year 2024`): the executed chapters are read from
`_build/<year>/.cache/`. Each run writes the PDF to a temporary folder with the same function the build
uses (`rapportbok.pipeline.steps.pdf.build_pdf`), in a new process, so imports and font loading count as in a
build. Prints every run, then the minimum and median, the page count and the seconds per page; the
machine may be shared, so the minimum is the best estimate of the work and the median of what a user
waits; the CPU time of the step (this process and the PDF child process) is reported too, being the
least disturbed by other load.

`--copies 2` sets every chapter twice (a book of twice the pages) to show how the time grows with the
page count.

Usage: .venv/bin/python benchmarks/pdf_step.py [--year 2024] [--runs 5] [--copies 1] [--keep out.pdf]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from rapportbok.pipeline.steps.pdf import PrintSource, build_pdf
from rapportbok.pipeline.publishing.pages import generated_pages
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.publishing.provenance import git_state, provenance_line, source_date
import resource
from rapportbok.pipeline.inputs.toc import chapters
from rapportbok.checks.check import require_valid
from rapportbok.core.book import BookId

root, year, target, copies = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
book = BookId("kommunstyrelsekontoret", year, root)
report = require_valid(book).report
layout = book.layout()
notebooks = {c.name: layout.cache / c.name / "executed.ipynb" for c in chapters(book)}
missing = [str(path) for path in notebooks.values() if not path.is_file()]
if missing:
    sys.exit("Kör först rapportbok build --year " + str(year) + "; saknas: " + ", ".join(missing))
def cpu_now():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
prepared, cpu = time.perf_counter(), cpu_now()
provenance, created = provenance_line(git_state(root), report), source_date(root, report).isoformat()
pages = generated_pages(root, report, provenance)
if copies == 1:
    processes, log = BuildProcesses(), target.with_suffix(".log")
    build_pdf(PrintSource(root, report, provenance, created, pages, notebooks), target, processes, log)
else:  # a longer book: every chapter `copies` times, through the same functions as build_pdf
    from rapportbok.pipeline.publishing.siteconfig import year_substitutions
    from rapportbok.pdf.document import chapter_from_notebook, print_document
    from rapportbok.pdf.typst.from_html import write_pdf
    substitutions = year_substitutions(report)
    parts = [chapter_from_notebook(path, substitutions, name) for name, path in notebooks.items()]
    parts += [page.print_chapter() for page in pages if getattr(page, "printed", True)]
    write_pdf(print_document(report, parts * copies, root, provenance, created), target, base_url=root)
done = time.perf_counter()
used = cpu_now() - cpu  # this process and the PDF child process
print(json.dumps({"pdf_step": done - prepared, "cpu": used, "with_imports": done - started}))
"""


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="copy the last PDF here")
    parser.add_argument(
        "--copies", type=int, default=1, help="every chapter this many times: does time grow with pages?"
    )
    args = parser.parse_args()
    seconds, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bok.pdf"
        for run in range(args.runs):
            completed = subprocess.run(
                [sys.executable, "-c", ONE_RUN, str(ROOT), str(args.year), str(target), str(args.copies)],
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                sys.exit(completed.stderr or completed.stdout)
            timing = json.loads(completed.stdout.strip().splitlines()[-1])
            seconds.append(timing["pdf_step"])
            cpu.append(timing["cpu"])
            print(
                f"run {run + 1}: {timing['pdf_step']:.2f} s, CPU {timing['cpu']:.2f} s "
                f"(with imports {timing['with_imports']:.2f} s)"
            )
        pages = page_count(target)
        if args.keep:
            args.keep.write_bytes(target.read_bytes())
    best, median = min(seconds), statistics.median(seconds)
    print(f"pages: {pages}")
    print(f"min {best:.2f} s, median {median:.2f} s over {len(seconds)} runs")
    print(f"CPU: min {min(cpu):.2f} s, median {statistics.median(cpu):.2f} s")
    print(f"per page: min {best / pages * 1000:.0f} ms, median {median / pages * 1000:.0f} ms")


if __name__ == "__main__":
    main()
