"""JupyterLab: the chapter notebooks' first cells find the organisation and year that `make lab ORG=
YEAR=` names, with any number of organisations, and rapportbok's errors show as their Swedish message
without a traceback. Run in an in-process IPython shell (no kernel, no Lab)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

from rapportbok.core.book import LAB_ORGANISATION, LAB_YEAR
from rapportbok.views.notebook_errors import show_errors_without_traceback

CHAPTER = "tjanstegarantier"


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    """IPython's shell, as a kernel has it (get_ipython() finds it), without the variables of make lab."""
    monkeypatch.delenv(LAB_ORGANISATION, raising=False)
    monkeypatch.delenv(LAB_YEAR, raising=False)
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def _first_cells(notebook: Path) -> list[str]:
    """The parameters cell and the cell that starts the chapter, as the notebook has them."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert "parameters" in json.dumps(cells[1]["metadata"]) and "start_chapter(" in code[1]
    return code[:2]


@pytest.fixture
def two_organisations(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with a second organisation, the notebooks' folder current (as Lab runs them)."""
    shutil.copytree(project_copy / "data/kommunstyrelsekontoret", project_copy / "data/andra-namnden")
    monkeypatch.chdir(project_copy / "notebooks")
    return project_copy


def test_the_first_cells_open_the_organisation_and_year_make_lab_names(
    two_organisations: Path, shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LAB_ORGANISATION, "andra-namnden")
    monkeypatch.setenv(LAB_YEAR, "2024")
    for code in _first_cells(two_organisations / "notebooks" / f"{CHAPTER}.ipynb"):
        assert shell.run_cell(code).success
    report = shell.user_ns["report"]
    assert (report.book.organisation, report.year) == ("andra-namnden", 2024)


def test_without_org_the_first_cell_says_how_to_choose_in_swedish_without_a_traceback(
    two_organisations: Path, shell: InteractiveShell, capsys: pytest.CaptureFixture
) -> None:
    parameters, start = _first_cells(two_organisations / "notebooks" / f"{CHAPTER}.ipynb")
    assert shell.run_cell(parameters).success
    assert not shell.run_cell(start).success
    out = capsys.readouterr().out
    assert "data/ har 2 organisationer: andra-namnden, kommunstyrelsekontoret" in out
    assert "make lab ORG=<id>" in out
    assert "Traceback" not in out and "File " not in out and "UsageError" not in out


def test_only_rapportbok_errors_lose_their_traceback(
    shell: InteractiveShell, capsys: pytest.CaptureFixture
) -> None:
    """A located Swedish error is shown alone; a programming error keeps the traceback it needs."""
    assert show_errors_without_traceback(shell)
    shell.run_cell(
        "from rapportbok.exceptions import UsageError\n"
        "error = UsageError('text/a.md, rad 3: platshållaren finns inte')\n"
        "error.add_note('Rätta namnet.')\n"
        "raise error"
    )
    assert capsys.readouterr().out.strip().splitlines() == [
        "text/a.md, rad 3: platshållaren finns inte",
        "Rätta namnet.",
    ]
    shell.run_cell("1 / 0")
    assert "Traceback" in capsys.readouterr().out


def test_outside_ipython_nothing_is_installed() -> None:
    InteractiveShell.clear_instance()
    assert not show_errors_without_traceback()


def test_in_a_kernel_a_wrong_placeholder_shows_the_swedish_message_only(
    two_organisations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in Lab: a real kernel started in notebooks/ with make lab's variables runs the chapter, and a
    cell with a misspelt placeholder fails with the located Swedish message as its only lines."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv(LAB_ORGANISATION, "andra-namnden")
    monkeypatch.setenv(LAB_YEAR, "2024")
    notebook = nbformat.read(two_organisations / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            'from rapportbok.views.blocks import show_heading\nshow_heading(report, "## {{ kommunen }}")'
        )
    )
    client = NotebookClient(notebook, timeout=300, resources={"metadata": {"path": "."}}, allow_errors=True)
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert len(errors) == 1, errors
    assert errors[0].traceback == [
        "En text kan inte fyllas i:\n  en rubrik i en notebook, rad 1: platshållaren är inte tillåten: "
        'namnet "kommunen" finns inte i data; menade du `kommun`? (se platshållarna i data/README.md)'
    ]
