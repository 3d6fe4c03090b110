"""One book identity, one name for each folder: root, data_root, org_dir, year_dir, and the label."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.core.book import BookId, data_root_of
from rapportbok.data.load import book_of
from rapportbok.exceptions import UsageError


def test_a_book_names_each_of_its_folders(tmp_path: Path) -> None:
    book = BookId("kommunstyrelsekontoret", 2024, tmp_path)
    assert book.data_root == data_root_of(tmp_path) == tmp_path / "data"
    assert book.org_dir == tmp_path / "data/kommunstyrelsekontoret"
    assert book.year_dir == tmp_path / "data/kommunstyrelsekontoret/2024"
    assert book.label == "data/kommunstyrelsekontoret/2024"
    assert book.layout().folder == tmp_path / "_build/kommunstyrelsekontoret/2024"


def test_the_organisation_folder_a_notebook_passes_names_the_same_book(tmp_path: Path) -> None:
    org_dir = tmp_path / "data/kommunstyrelsekontoret"
    org_dir.mkdir(parents=True)
    assert book_of(2024, org_dir) == BookId("kommunstyrelsekontoret", 2024, tmp_path)
    assert book_of(2024, str(org_dir)) == BookId("kommunstyrelsekontoret", 2024, tmp_path)


def test_a_folder_outside_data_is_no_organisation(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ska ligga i data/"):
        book_of(2024, tmp_path / "annat/kommunstyrelsekontoret")
