"""The organisations in data/: one folder per organisation, chosen with --org or the only one."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.data.organisations import organisation_dir, organisations, resolve_organisation
from rapportbok.exceptions import UsageError


def _data(tmp_path: Path, *folders: str) -> Path:
    data = tmp_path / "data"
    for folder in folders:
        (data / folder).mkdir(parents=True)
    return data


def test_the_only_organisation_is_chosen_when_none_is_given(tmp_path: Path) -> None:
    """One organisation with a year: --org may be left out."""
    data = _data(tmp_path, "kommunstyrelsekontoret/2024")
    assert resolve_organisation(data, None) == "kommunstyrelsekontoret"


def test_several_organisations_need_org_and_are_listed(tmp_path: Path) -> None:
    """With two organisations the message lists them and says how to choose."""
    data = _data(tmp_path, "kommunstyrelsekontoret/2024", "bygg-och-miljonamnden/2024")
    with pytest.raises(UsageError) as raised:
        resolve_organisation(data, None)
    assert str(raised.value) == (
        "data/ har 2 organisationer: bygg-och-miljonamnden, kommunstyrelsekontoret. Välj en med --org, "
        "t.ex. --org bygg-och-miljonamnden."
    )
    assert resolve_organisation(data, "kommunstyrelsekontoret") == "kommunstyrelsekontoret"


def test_an_unknown_organisation_is_refused_with_the_ones_there_are(tmp_path: Path) -> None:
    """A misspelt id gets the list of organisations."""
    data = _data(tmp_path, "kommunstyrelsekontoret/2024")
    with pytest.raises(UsageError) as raised:
        organisation_dir(data, "kommunstyrelsekontor")
    assert str(raised.value) == (
        "Det finns ingen organisation kommunstyrelsekontor i data/. "
        "Organisationer i data/: kommunstyrelsekontoret."
    )


@pytest.mark.parametrize(
    "given", ["2024", "site", "Kommunstyrelsekontoret", "../data", "ks kontoret", "-ks", ""]
)
def test_an_id_that_is_not_lower_case_letters_digits_and_hyphens_is_refused(
    tmp_path: Path, given: str
) -> None:
    """Ids are folder names: a year, a path or upper case is never an organisation."""
    data = _data(tmp_path, "kommunstyrelsekontoret/2024")
    with pytest.raises(UsageError, match="Ogiltig organisation"):
        organisation_dir(data, given)


def test_a_folder_without_years_and_a_link_are_not_organisations(tmp_path: Path) -> None:
    """data/gemensamt/ (a shared logo) and a symbolic link to an organisation are left out."""
    data = _data(tmp_path, "kommunstyrelsekontoret/2024", "gemensamt")
    (data / "README.md").write_text("kontrakt", encoding="utf-8")
    (data / "lank").symlink_to(data / "kommunstyrelsekontoret")
    assert organisations(data) == ["kommunstyrelsekontoret"]
    assert resolve_organisation(data, None) == "kommunstyrelsekontoret"
    with pytest.raises(UsageError, match="Det finns ingen organisation lank i data/"):
        organisation_dir(data, "lank")


def test_a_project_with_years_directly_in_data_is_told_to_migrate(tmp_path: Path) -> None:
    """The layout from before organisations: every command says to run rapportbok migrate."""
    data = _data(tmp_path, "2023", "2024")
    for organisation in (None, "kommunstyrelsekontoret"):
        with pytest.raises(UsageError) as raised:
            resolve_organisation(data, organisation)
        assert str(raised.value) == (
            "Projektet har sina år direkt i data/ (data/2023/, data/2024/): så såg projekt ut innan de "
            "kunde hålla flera organisationer. Flytta dem till data/<organisation>/<år>/ med "
            "`rapportbok migrate`."
        )


def test_no_organisation_at_all_says_where_data_goes(tmp_path: Path) -> None:
    """An empty data/ explains the layout."""
    with pytest.raises(UsageError, match=r"Lägg varje organisations data i en egen mapp"):
        resolve_organisation(_data(tmp_path), None)


def test_a_folder_with_years_but_no_valid_id_is_named(tmp_path: Path) -> None:
    """data/Nämnden/2024 is not read as an organisation, and the message says why."""
    data = _data(tmp_path, "Nämnden/2024")
    with pytest.raises(UsageError) as raised:
        resolve_organisation(data, None)
    assert str(raised.value).endswith(
        "Mappen data/Nämnden/ har år men namnet är inget giltigt id (små bokstäver a–z, siffror och "
        "bindestreck): byt namn på den."
    )
