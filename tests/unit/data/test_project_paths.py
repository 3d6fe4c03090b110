"""`data/` and every folder above a read file, `notebooks/`, `book/`, `_toc.yml`, `_config.yml` and
`tillganglighet.yml` are resolved and must stay inside the project, whatever is a symbolic link.

Seed: "With `data` → a folder outside the project, `build` published its text in chapters/ekonomi.html,
om-rapporten.html and sokindex.js." Every command now refuses such a project before it reads or writes
anything, with a Swedish message naming the link and what to do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from rapportbok.cli import main
from rapportbok.core.paths import find_project_root, inside_project
from rapportbok.data.organisations import organisation_dir, resolve_organisation
from rapportbok.exceptions import UsageError
from rapportbok.pipeline.book import build_year
from rapportbok.pipeline.books.site import build_site

MARKER = "HEMLIG-MARKÖR-UTANFÖR-7731"
ORG = "kommunstyrelsekontoret"
COMMANDS = [
    ["check"],
    ["build", "--no-pdf"],
    ["preview"],
    ["site"],
    ["excel"],
    ["import", "arbetsbok.xlsx"],
    ["new-year", "2025"],
    ["migrate"],
    ["contract"],
]


def _tree(folder: Path) -> dict[str, str]:
    """Every entry below `folder` (links not followed) with the hash of its bytes or where it points."""
    found = {}
    for here, folders, files in os.walk(folder, followlinks=False):
        for name in [*files, *folders]:
            path = Path(here) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = f"-> {os.readlink(path)}"
            elif path.is_file():
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[relative] = "folder"
    return found


def _holding_marker(folder: Path) -> list[str]:
    """The files below `folder` (links not followed) whose bytes contain the marker."""
    return [
        name
        for name in _tree(folder)
        if (folder / name).is_file()
        and not (folder / name).is_symlink()
        and MARKER.encode() in (folder / name).read_bytes()
    ]


def _move_out(project: Path, part: str, outside: Path) -> Path:
    """Move `part` of the project to `outside` and leave a symbolic link to it in its place."""
    target = outside / Path(part).name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(project / part, target)
    (project / part).symlink_to(target)
    return target


@pytest.fixture
def data_outside(in_project: Path, tmp_path: Path) -> Path:
    """The project's data/ moved outside it (with a marker in a text the build shows), `data` a link."""
    text = in_project / f"data/{ORG}/2024/text/sammanfattning/ekonomi.md"
    text.write_text(text.read_text(encoding="utf-8") + f"\n{MARKER}\n", encoding="utf-8")
    return _move_out(in_project, "data", tmp_path / "utanfor")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_data_linked_outside_the_project_is_refused_by_every_command(
    in_project: Path, data_outside: Path, command: list[str], capsys: pytest.CaptureFixture
) -> None:
    """Exit 1 with a Swedish message naming `data` and what to do; nothing is written inside or
    outside the project, and the marker of the outside text is nowhere in the project."""
    project_before, outside_before = _tree(in_project), _tree(data_outside)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"data leder utanför projektet (till {data_outside.as_posix()}) genom en symbolisk länk."
    )
    assert "flytta eller kopiera det länken pekar på in i projektet och ersätt länken med det" in err
    assert "Traceback" not in err
    assert _tree(in_project) == project_before
    assert _tree(data_outside) == outside_before
    assert _holding_marker(in_project) == []


def test_the_library_calls_refuse_data_outside_too(in_project: Path, data_outside: Path) -> None:
    """build_year and build_site (used without the command) refuse the same project; nothing is built."""
    with pytest.raises(UsageError, match=r"^data leder utanför projektet"):
        build_year(in_project, 2024, pdf=False)
    with pytest.raises(UsageError, match=r"^data leder utanför projektet"):
        build_site(in_project)
    assert not (in_project / "_build").exists()


@pytest.mark.parametrize(
    "part",
    [
        "notebooks",
        "book",
        "_toc.yml",
        "_config.yml",
        "tillganglighet.yml",
        "notebooks/ekonomi.ipynb",
        "book/_static/rapportbok.css",
        "book/_templates",
    ],
)
@pytest.mark.parametrize("command", [["check"], ["build", "--no-pdf"]], ids=lambda command: command[0])
def test_a_project_input_linked_outside_is_refused(
    in_project: Path, tmp_path: Path, part: str, command: list[str], capsys: pytest.CaptureFixture
) -> None:
    """A link among the notebooks, the book's pages or the configuration that leads outside the
    project: refused by name before anything is read."""
    target = _move_out(in_project, part, tmp_path / "utanfor")
    before = _tree(in_project)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{part} leder utanför projektet (till {target.as_posix()})"), err
    assert _tree(in_project) == before


def test_a_folder_on_the_way_that_leads_outside_is_refused(in_project: Path, tmp_path: Path) -> None:
    """data → a folder outside whose organisation links back into the project: the organisation's
    folder resolves inside, but the folder on the way does not, and is named."""
    shutil.move(in_project / f"data/{ORG}", in_project / "organisationen")
    outside = _move_out(in_project, "data", tmp_path / "utanfor")
    (outside / ORG).symlink_to(in_project / "organisationen")
    assert (in_project / "data" / ORG).resolve().is_relative_to(in_project)
    with pytest.raises(UsageError, match=r"^data leder utanför projektet"):
        find_project_root()
    with pytest.raises(UsageError, match=r"^data leder utanför projektet"):
        inside_project(in_project / "data" / ORG / "2024", in_project)


def test_a_link_in_the_book_to_a_folder_with_a_link_outside_is_refused(
    in_project: Path, tmp_path: Path
) -> None:
    """book/bilder → a folder inside the project that holds a link outside: every link is followed
    to its end, and the one that leaves is named."""
    (tmp_path / "hemlig.md").write_text(MARKER, encoding="utf-8")
    (in_project / "delat").mkdir()
    (in_project / "delat" / "hemlig.md").symlink_to(tmp_path / "hemlig.md")
    (in_project / "book" / "bilder").symlink_to(in_project / "delat")
    with pytest.raises(UsageError, match=r"^book/bilder/hemlig\.md leder utanför projektet"):
        find_project_root()


def test_a_link_loop_is_refused_with_a_message(in_project: Path) -> None:
    (in_project / "book" / "slinga").symlink_to("slinga")
    with pytest.raises(UsageError, match=r"^book/slinga är en symbolisk länk som går i en slinga"):
        find_project_root()


def test_links_that_stay_inside_the_project_are_allowed(
    in_project: Path, capsys: pytest.CaptureFixture
) -> None:
    """`data` → indata/ and a notebook → a copy elsewhere in the project: they read nothing the
    project does not hold, so `check` works as before."""
    shutil.move(in_project / "data", in_project / "indata")
    (in_project / "data").symlink_to("indata")
    shutil.move(in_project / "notebooks/ekonomi.ipynb", in_project / "ekonomi.ipynb")
    (in_project / "notebooks/ekonomi.ipynb").symlink_to("../ekonomi.ipynb")
    assert main(["check", "--year", "2024"]) == 0
    assert "data/kommunstyrelsekontoret/2024 är giltig" in capsys.readouterr().out


def test_an_organisation_folder_that_is_a_link_is_refused_by_name(in_project: Path, tmp_path: Path) -> None:
    """data/<org> → a folder outside (or inside): never followed; the message names the link."""
    _move_out(in_project, f"data/{ORG}", tmp_path / "utanfor")
    with pytest.raises(UsageError) as raised:
        organisation_dir(in_project / "data", ORG)
    assert str(raised.value).startswith(
        f"Det finns ingen organisation {ORG} i data/: data/{ORG} är en symbolisk länk, och rapportbok "
        "följer inga länkar i data/. Flytta in organisationens mapp i data/"
    )
    with pytest.raises(
        UsageError, match=f"data/{ORG} är en symbolisk länk och räknas inte som en organisation"
    ):
        resolve_organisation(in_project / "data", None)


@pytest.mark.parametrize(
    "command", [["build", "--no-pdf"], ["excel"], ["new-year", "2025"]], ids=lambda c: c[0]
)
def test_an_organisation_linked_outside_is_refused_by_the_commands(
    in_project: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture
) -> None:
    outside = _move_out(in_project, f"data/{ORG}", tmp_path / "utanfor")
    before = _tree(outside)
    assert main([*command, "--org", ORG]) == 1
    assert f"data/{ORG} är en symbolisk länk" in capsys.readouterr().err
    assert _tree(outside) == before


def test_a_year_folder_that_is_a_link_is_refused_by_the_build_before_reading(
    in_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """data/<org>/2024 → outside: `build` names it before reading anything through it (check lists it
    as a problem of the year, see test_input_files.py)."""
    _move_out(in_project, f"data/{ORG}/2024", tmp_path / "utanfor")
    assert main(["build", "--no-pdf", "--year", "2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"data/{ORG}/2024 är en symbolisk länk; rapportbok följer inga länkar i data/.")
    assert not (in_project / "_build").exists()
