"""The handbook's worked examples (docs/skriva.md) work exactly as written: each code block
marked `<!-- exempel … -->` is done in a copy of the project (diffs applied with `git apply`, shell
lines run, a Python block added as the last code cell of the notebook it names) and the built book
shows the result."""

from __future__ import annotations

import csv
import re
import shlex
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import copy_built, page, rapportbok, visible_text

EXAMPLE = re.compile(
    r"<!-- exempel (?P<name>[a-z])(?::\s*(?P<target>\S+))? -->\n```(?P<lang>\w+)\n(?P<code>.*?)```", re.S
)


def handbook_examples() -> list[dict[str, str]]:
    """The marked code blocks of the handbook's page on writing, in order."""
    page = (ROOT / "docs" / "skriva.md").read_text(encoding="utf-8")
    return [match.groupdict() for match in EXAMPLE.finditer(page)]


def perform(example: dict[str, str], project: Path) -> None:
    """Do one example in `project` as the handbook says."""
    code = example["code"]
    if example["lang"] == "diff":
        subprocess.run(["git", "apply", "--verbose", "-"], input=code, text=True, cwd=project, check=True)
    elif example["lang"] == "sh":
        for line in filter(None, (line.split("#", 1)[0].strip() for line in code.splitlines())):
            subprocess.run(shlex.split(line), cwd=project, check=True)
    elif example["lang"] == "python":
        path = project / example["target"]
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(code.rstrip("\n")))
        nbformat.write(notebook, path)
    else:
        raise AssertionError(f"an example of kind {example['lang']} cannot be performed")


def test_the_handbook_has_the_three_worked_examples() -> None:
    """a) a sentence, b) a table in a chapter, c) a chapter in _toc.yml: five marked blocks."""
    examples = handbook_examples()
    assert [(e["name"], e["lang"]) for e in examples] == [
        ("a", "diff"),
        ("b", "python"),
        ("c", "sh"),
        ("c", "diff"),
        ("c", "diff"),
    ]


@pytest.fixture(scope="module")
def worked(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built book with every example done, built again (web edition): the chapters the
    examples change run again, the others are reused from the cache, as in an analyst's project."""
    project = copy_built(built, tmp_path_factory.mktemp("examples") / "project")
    for example in handbook_examples():
        perform(example, project)
    checked = rapportbok(project, "check", "--year", "2024")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    completed = rapportbok(project, "build", "--year", "2024", "--no-pdf", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return project


def test_a_changed_sentence_is_on_the_page(worked: Path) -> None:
    """Example a: the chapter shows the new sentence and not the old one."""
    text = visible_text(page(worked, "arbetsgivare"))
    assert "Arbetstidsnämnden beslutade om dispens i början av oktober 2024." in text
    assert "dispens den 2 oktober 2024" not in text


def test_an_added_table_is_in_the_chapter(worked: Path) -> None:
    """Example b: the chapter has the new table with its caption and a row per goal, with its title."""
    html = page(worked, "maluppfyllelse")
    table = re.search(r"<table[^>]*>\s*<caption[^>]*>Årets inriktningsmål</caption>.*?</table>", html, re.S)
    assert table is not None
    with (worked / "data/kommunstyrelsekontoret/2024/inriktningsmal.csv").open(
        encoding="utf-8", newline=""
    ) as file:
        goals = list(csv.DictReader(file))
    assert re.findall(r'<th scope="row"[^>]*>([^<]*)</th>', table.group(0)) == [g["mal_id"] for g in goals]
    assert visible_text(goals[0]["titel"]) in visible_text(table.group(0))


def test_an_added_chapter_is_built_and_in_the_menu(worked: Path) -> None:
    """Example c: chapters/personal.html exists with its heading and every page links to it after
    the chapter before it."""
    html = page(worked, "personal")
    assert re.search(r"<h1[^>]*>\s*Personal i siffror", html)
    index = (worked / "_build/kommunstyrelsekontoret/2024/html/index.html").read_text(encoding="utf-8")
    employer, added = index.find("chapters/arbetsgivare.html"), index.find("chapters/personal.html")
    assert 0 <= employer < added
