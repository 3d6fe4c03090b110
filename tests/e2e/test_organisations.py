"""Several organisations in one project: each book (organisation × year) builds into its own folder
under its own lock, so building one never touches another's published output and builds of different
organisations run at the same time. An organisation may leave chapters out (rapport.yml).

The second and third organisations are copies of kommunstyrelsekontoret's data under other ids and
names: test data made in the test's own copy of the project, never part of the real site.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import copy_built, rapportbok, small_book

FIRST = "kommunstyrelsekontoret"
SECOND = "bygg-och-miljonamnden"  # leaves the chapter about service guarantees out
THIRD = "kultur-och-fritidsnamnden"
LEFT_OUT = "tjanstegarantier"
CHANGED_TEXTS = ("arbetsgivare/inledning.md", "tjanstegarantier/inforande.md")
CHAPTERS = ("arbetsgivare", LEFT_OUT)  # the small book and the chapter one organisation leaves out
NAMES = {SECOND: "Bygg- och miljönämnden", THIRD: "Kultur- och fritidsnämnden"}


def add_organisation(project: Path, organisation: str, name: str, extra: str = "") -> Path:
    """data/<organisation>/ as a copy of kommunstyrelsekontoret's data, with its own name."""
    folder = project / "data" / organisation
    shutil.copytree(project / "data" / FIRST, folder)
    metadata = folder / "2024" / "rapport.yml"
    text = metadata.read_text(encoding="utf-8")
    assert "organisation: Kommunstyrelsekontoret\n" in text
    metadata.write_text(text.replace("organisation: Kommunstyrelsekontoret", f"organisation: {name}") + extra)
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file (hidden ones too) by SHA-256, and every symbolic link by its target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rapportbok.cli", "build", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def three(small_built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`small_built` plus two organisations of two chapters each (one of them leaves one out), built at the
    same time by two processes; kommunstyrelsekontoret's build folder fingerprinted before and after."""
    project = small_book(
        copy_built(small_built, tmp_path_factory.mktemp("organisations") / "project"), CHAPTERS
    )
    add_organisation(project, SECOND, NAMES[SECOND], f"utelamnade_kapitel: [{LEFT_OUT}]\n")
    add_organisation(project, THIRD, NAMES[THIRD])
    before = fingerprint(project / "_build" / FIRST)
    second = _start(project, "--org", SECOND, "--jobs", "1")
    third = _start(project, "--org", THIRD, "--jobs", "1")
    outputs = {SECOND: second.communicate(timeout=1800), THIRD: third.communicate(timeout=1800)}
    return {
        "project": project,
        "codes": {SECOND: second.returncode, THIRD: third.returncode},
        "outputs": outputs,
        "before": before,
        "after": fingerprint(project / "_build" / FIRST),
    }


def test_two_organisations_build_at_the_same_time(three: dict) -> None:
    """Both builds succeed, each into _build/<org>/2024/, each book with its own organisation's name."""
    project = three["project"]
    for organisation in (SECOND, THIRD):
        out, err = three["outputs"][organisation]
        assert three["codes"][organisation] == 0, out + err
        assert f"Klart: _build/{organisation}/2024/html/index.html" in out
        index = (project / "_build" / organisation / "2024/html/index.html").read_text(encoding="utf-8")
        assert NAMES[organisation] in index and "Kommunstyrelsekontoret" not in index
    pdf = project / "_build" / SECOND / "2024/pdf/bygg-och-miljonamnden-verksamhetsberattelse-2024.pdf"
    assert pdf.is_file()


def test_building_other_organisations_never_touches_the_first(three: dict) -> None:
    """kommunstyrelsekontoret's releases, links, cache and lock are the same bytes as before."""
    published = [name for name in three["before"] if "/.releases/" in f"/{name}"]
    assert any(name.endswith("/html/index.html") for name in published)
    assert any(name.endswith(".pdf") for name in published)
    assert three["after"] == three["before"]


def test_a_left_out_chapter_is_not_run_listed_or_printed(three: dict) -> None:
    """The organisation that leaves tjanstegarantier out: no page, no link to it, not in the PDF's
    bookmarks, and the chapter never ran; the other organisation's book has it."""
    project = three["project"]
    out, _ = three["outputs"][SECOND]
    assert f"{LEFT_OUT}:" not in out  # the progress lines name every chapter that ran
    html = project / "_build" / SECOND / "2024/html"
    assert not (html / "chapters" / f"{LEFT_OUT}.html").exists()
    linking = [p.name for p in html.rglob("*.html") if f"{LEFT_OUT}.html" in p.read_text(encoding="utf-8")]
    assert linking == []
    assert (project / "_build" / THIRD / "2024/html/chapters" / f"{LEFT_OUT}.html").is_file()
    assert not (project / "_build" / SECOND / "2024/.cache" / LEFT_OUT).exists()

    def bookmarks(folder: Path) -> list[str]:
        [pdf] = folder.glob("*.pdf")
        return [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]

    third = bookmarks(project / "_build" / THIRD / "2024/pdf")
    second = bookmarks(project / "_build" / SECOND / "2024/pdf")
    assert "Tjänstegarantier" in third
    assert second == [title for title in third if title != "Tjänstegarantier"]


def test_the_same_book_twice_at_once_is_refused(three: dict) -> None:
    """While one build of an organisation's year holds its lock, a second says so and stops."""
    project = three["project"]
    lock = project / "_build" / THIRD / "2024/.lock"
    for text in CHANGED_TEXTS:  # two chapters to run again, one after the other: the first build is
        path = project / "data" / THIRD / "2024/text" / text  # busy for a while, not a whole book
        path.write_text(path.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    first = _start(project, "--org", THIRD, "--no-pdf", "--jobs", "1")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and first.poll() is None:
        if lock.is_file() and lock.read_text(encoding="utf-8").strip() == str(first.pid):
            break
        time.sleep(0.05)
    assert first.poll() is None, first.communicate()
    second = rapportbok(project, "build", "--org", THIRD, "--no-pdf")
    out, err = first.communicate(timeout=1800)
    assert first.returncode == 0, out + err
    assert second.returncode == 1
    assert f"Ett annat bygge av {THIRD} 2024 pågår redan (process {first.pid})" in second.stderr


FOURTH = "socialnamnden"
OWN_TOC = """format: jb-book
root: index
chapters:
  - file: chapters/volymer
  - file: chapters/arbetsgivare
  - file: om-rapporten
  - file: tillganglighet
"""


def test_an_organisation_with_its_own_toc_and_chapter_builds_without_touching_the_others(three: dict) -> None:
    """data/<org>/_toc.yml puts the organisation's own chapter (notebooks/<org>/volymer.ipynb) first;
    check passes, the book has its chapters in its order with the notebook's title, and the other
    organisations' build folders are unchanged."""
    project = three["project"]
    add_organisation(project, FOURTH, "Socialnämnden")
    (project / "data" / FOURTH / "_toc.yml").write_text(OWN_TOC, encoding="utf-8")
    notebook = json.loads((project / "notebooks" / f"{LEFT_OUT}.ipynb").read_text(encoding="utf-8"))
    heading = next(cell for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    heading["source"] = ["# Volymer\n"]
    (project / "notebooks" / FOURTH).mkdir()
    (project / "notebooks" / FOURTH / "volymer.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    before = fingerprint(project / "_build" / FIRST)
    checked = rapportbok(project, "check", "--org", FOURTH)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = rapportbok(project, "build", "--org", FOURTH, "--no-pdf", "--jobs", "1")
    assert built.returncode == 0, built.stdout + built.stderr
    html = project / "_build" / FOURTH / "2024/html"
    index = (html / "index.html").read_text(encoding="utf-8")
    assert index.index("chapters/volymer.html") < index.index("chapters/arbetsgivare.html")
    assert "<h1>Volymer" in (html / "chapters/volymer.html").read_text(encoding="utf-8")
    assert not (html / f"chapters/{LEFT_OUT}.html").exists()
    assert fingerprint(project / "_build" / FIRST) == before
