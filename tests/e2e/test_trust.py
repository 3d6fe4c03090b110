"""Trust: the same inputs give the same bytes; every page says what it was built from; nothing bad
gets through a failed, interrupted, concurrent or hanging build."""

from __future__ import annotations

import filecmp
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from rapportbok.pipeline.publishing.lock import book_lock
from tests.e2e.conftest import rapportbok

pytestmark = pytest.mark.e2e
PDF = "kommunstyrelsekontoret-verksamhetsberattelse-2024.pdf"


def _tree_differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(left / name) for name in comparison.left_only + comparison.right_only]
    found += [
        str(left / name)
        for name in comparison.common_files
        if not filecmp.cmp(left / name, right / name, shallow=False)
    ]
    for name in comparison.common_dirs:
        found += _tree_differences(left / name, right / name)
    return found


def test_two_clean_builds_give_identical_bytes(built: Path, built_elsewhere_on_dask: Path) -> None:
    """A second build from a clean copy elsewhere is byte-identical, HTML and PDF. The second build is
    the session's `built_elsewhere_on_dask` (another folder and the Dask executor, built once for this
    test and test_dask.py): the folder, the run and the executor all leave no trace in the bytes."""
    other = built_elsewhere_on_dask
    assert (
        _tree_differences(
            built / "_build/kommunstyrelsekontoret/2024/html",
            other / "_build/kommunstyrelsekontoret/2024/html",
        )
        == []
    )
    assert (built / "_build/kommunstyrelsekontoret/2024/pdf" / PDF).read_bytes() == (
        other / "_build/kommunstyrelsekontoret/2024/pdf" / PDF
    ).read_bytes()


def test_every_page_and_the_pdf_say_what_they_were_built_from(built: Path) -> None:
    """Every footer links to Om rapporten, which links a machine-readable file with the commit, data
    fingerprint and versions and every data file with its rows and checksum; the page itself, the
    search index and the PDF's metadata carry none of it (the PDF's colophon has one line)."""
    site = built / "_build/kommunstyrelsekontoret/2024/html"
    for page in [site / "index.html", *(site / "chapters").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        up = "../" if page.parent.name == "chapters" else ""
        assert f'<a href="{up}om-rapporten.html">Om rapporten</a>' in html, page
        assert "Byggd från commit" not in html, page  # the details live in the linked file
    about = (site / "om-rapporten.html").read_text(encoding="utf-8")
    assert "Byggd från commit " not in about and "sha256" not in about
    link = lxml_html.fromstring(about).xpath("//a[contains(@href, 'om-rapporten-teknik.json')]/@href")
    document = json.loads((site / link[0]).read_text(encoding="utf-8"))
    assert document["framstallning"].startswith("Byggd från commit ")
    assert "; data 2024: sha256 " in document["framstallning"]
    assert "jupyter-book" in document["program"] and "pandas" in document["program"]
    files = {item["fil"]: item for item in document["datafiler"]}
    for csv in (built / "data/kommunstyrelsekontoret/2024").glob("*.csv"):
        assert f"data/kommunstyrelsekontoret/2024/{csv.name}" in files
    assert "data/kommunstyrelsekontoret/2024/text/ekonomi/driftredovisning.md" in files
    assert files["data/kommunstyrelsekontoret/2024/indikator_utfall.csv"]["rader"] == 128
    assert "sha256" not in (site / "_static/sokindex.js").read_text(encoding="utf-8")
    keywords = (
        PdfReader(built / "_build/kommunstyrelsekontoret/2024/pdf" / PDF).metadata.get("/Keywords") or ""
    )
    assert "commit" not in keywords and "sha256" not in keywords


def test_no_published_notebook_carries_run_metadata(built: Path) -> None:
    """Cached executed notebooks have no papermill timings, execution stamps or random ids."""
    executed_notebooks = sorted(
        (built / "_build/kommunstyrelsekontoret/2024/.cache").glob("*/executed.ipynb")
    )
    assert len(executed_notebooks) == 7  # one per chapter
    for executed in executed_notebooks:
        notebook = json.loads(executed.read_text(encoding="utf-8"))
        assert "papermill" not in notebook["metadata"]
        assert all(cell["id"] == f"cell-{n}" for n, cell in enumerate(notebook["cells"]))
        assert not any("execution" in cell["metadata"] for cell in notebook["cells"])


def _running_kernels(build: subprocess.Popen) -> list[psutil.Process]:
    """The build's kernels that have started (a kernel is an ipykernel process under the build)."""
    found = []
    for child in psutil.Process(build.pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()) and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_sigterm_while_chapters_run_leaves_the_site_and_no_leftovers(built_copy: Path) -> None:
    """SIGTERM during execution: exit 130, the published site unchanged, no kernels or run folders left."""
    index = built_copy / "_build/kommunstyrelsekontoret/2024/html/index.html"
    before = index.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "rapportbok.cli", "build", "--year", "2024", "--force"],
        cwd=built_copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300  # generous: kernels start slowly on a loaded machine
    while not (kernels := _running_kernels(process)):
        assert time.monotonic() < deadline, "no kernel started"
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Bygget av kommunstyrelsekontoret 2024 avbröts. Den senast publicerade versionen" in err
    assert index.read_bytes() == before
    assert not list((built_copy / "_build/kommunstyrelsekontoret/2024/.cache").glob("*/run"))
    assert len(list((built_copy / "_build/kommunstyrelsekontoret/2024/.releases").iterdir())) == 1
    assert not (built_copy / "_build/kommunstyrelsekontoret/2024/.running.json").exists()
    assert not [k for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]


def test_a_second_build_of_the_same_year_is_refused(built: Path) -> None:
    """While a build holds the year's lock, another one says so and stops."""
    with book_lock(built / "_build/kommunstyrelsekontoret/2024/.lock", "kommunstyrelsekontoret", 2024):
        completed = rapportbok(built, "build", "--year", "2024")
    assert completed.returncode == 1
    assert "Ett annat bygge av kommunstyrelsekontoret 2024 pågår redan" in completed.stderr


def test_a_hanging_chapter_is_stopped_by_the_timeout(built_copy: Path) -> None:
    """A cell that never ends stops its chapter after --timeout seconds, with the chapter named."""
    project = built_copy
    published = (
        project / "_build/kommunstyrelsekontoret/2024/html/chapters/tjanstegarantier.html"
    ).read_bytes()
    notebook = project / "notebooks/tjanstegarantier.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["import time\n", "time.sleep(120)"],
        }
    )
    notebook.write_text(json.dumps(content), encoding="utf-8")
    started = time.monotonic()
    completed = rapportbok(project, "build", "--year", "2024", "--timeout", "3", "--no-pdf")
    assert completed.returncode == 1
    assert time.monotonic() - started < 60
    assert (
        "Kapitlet tjanstegarantier i kommunstyrelsekontoret 2024 misslyckades: "
        "en cell körde längre än tidsgränsen 3 s" in completed.stderr
    )
    assert (
        project / "_build/kommunstyrelsekontoret/2024/html/chapters/tjanstegarantier.html"
    ).read_bytes() == published
