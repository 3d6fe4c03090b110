"""Which organisation and year a folder names (commands run inside data/<org>/<år>/), and which a
notebook opened by hand works on (`make lab ORG= YEAR=`, or its folder notebooks/<org>/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.core.book import LAB_ORGANISATION, LAB_YEAR, FolderBook, book_of_folder, notebook_book
from rapportbok.exceptions import UsageError


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        ("data/namnden/2025", FolderBook("namnden", 2025)),
        ("data/namnden/2025/text/ekonomi", FolderBook("namnden", 2025)),
        ("data/namnden", FolderBook("namnden", None)),
        ("data/namnden/tabeller", FolderBook("namnden", None)),
        ("data", FolderBook()),
        ("notebooks", FolderBook()),
        (".", FolderBook()),
    ],
)
def test_a_folder_in_data_names_its_organisation_and_year(tmp_path: Path, inside: str, expected) -> None:
    (tmp_path / inside).mkdir(parents=True, exist_ok=True)
    assert book_of_folder(tmp_path, tmp_path / inside) == expected


def test_a_folder_outside_the_project_names_nothing(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "data" / "x" / "2024"
    assert book_of_folder(tmp_path / "project", elsewhere) == FolderBook()


def test_a_link_to_the_project_is_followed(tmp_path: Path) -> None:
    """A terminal opened through a link to the project still names the organisation and year."""
    (tmp_path / "project/data/namnden/2024").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "project")
    linked = tmp_path / "link/data/namnden/2024"
    assert book_of_folder(tmp_path / "project", linked) == FolderBook("namnden", 2024)


def test_a_notebook_takes_organisation_and_year_from_make_lab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LAB_ORGANISATION, "namnden")
    monkeypatch.setenv(LAB_YEAR, "2024")
    assert notebook_book(tmp_path, tmp_path / "notebooks") == FolderBook("namnden", 2024)


def test_empty_variables_are_unset_and_an_organisations_own_notebooks_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make lab` without ORG= and YEAR= passes empty values: the folder decides, or nothing."""
    monkeypatch.setenv(LAB_ORGANISATION, "")
    monkeypatch.setenv(LAB_YEAR, " ")
    assert notebook_book(tmp_path, tmp_path / "notebooks") == FolderBook()
    assert notebook_book(tmp_path, tmp_path / "notebooks" / "namnden") == FolderBook("namnden", None)


def test_a_year_that_is_no_year_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LAB_YEAR, "24")
    with pytest.raises(UsageError) as error:
        notebook_book(tmp_path)
    assert 'Ogiltigt år "24"' in str(error.value)
    assert any(LAB_YEAR in note for note in error.value.__notes__)


def test_an_organisations_own_notebooks_show_that_organisation_whatever_make_lab_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LAB_ORGANISATION, "andra")
    monkeypatch.setenv(LAB_YEAR, "2023")
    assert notebook_book(tmp_path, tmp_path / "notebooks" / "namnden") == FolderBook("namnden", 2023)
