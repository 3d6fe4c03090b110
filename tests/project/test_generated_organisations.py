"""The generator of test organisations (tests/generated_organisations.py): deterministic, marked, every
generated book passes check, the organisations differ, and it never writes into the repository."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from rapportbok.checks.check import CheckResult, check_year
from rapportbok.data.load import book_of
from tests.conftest import copy_project
from tests.generated_organisations import (
    MARKER_FILE,
    REPOSITORY,
    TEMPLATE,
    YEAR,
    GenerationRefused,
    generate_organisations,
    organisation_ids,
)

COUNT = 4


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def rows(project: Path, organisation: str, file: str) -> list[dict[str, str]]:
    path = project / "data" / organisation / str(YEAR) / file
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("generated") / "project")
    generate_organisations(project, COUNT)
    return project


@pytest.fixture(scope="module")
def checked(generated: Path) -> dict[str, CheckResult]:
    return {
        organisation: check_year(book_of(YEAR, generated / "data" / organisation))
        for organisation in organisation_ids(COUNT)
    }


def test_it_names_organisations_so_that_they_sort_as_numbers() -> None:
    assert organisation_ids(3) == ["testnamnd-01", "testnamnd-02", "testnamnd-03"]
    assert organisation_ids(120)[-1] == "testnamnd-120"
    assert organisation_ids(120)[0] == "testnamnd-001"


def test_the_same_seed_writes_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = copy_project(tmp_path / "again")
    generate_organisations(again, COUNT)
    for organisation in organisation_ids(COUNT):
        assert files_of(again / "data" / organisation) == files_of(generated / "data" / organisation)


def test_running_it_again_replaces_what_it_generated(generated: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    generate_organisations(project, 2, seed=7)
    generate_organisations(project, 2)
    assert files_of(project / "data" / "testnamnd-02") == files_of(generated / "data" / "testnamnd-02")


def test_another_seed_gives_other_values(generated: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    generate_organisations(project, 1, seed=7)
    assert rows(project, "testnamnd-01", "drift.csv") != rows(generated, "testnamnd-01", "drift.csv")


@pytest.mark.parametrize("organisation", organisation_ids(COUNT))
def test_every_generated_organisation_passes_check(
    checked: dict[str, CheckResult], organisation: str
) -> None:
    result = checked[organisation]
    assert result.problems == []
    assert result.todo == []
    assert result.ok


@pytest.mark.parametrize("organisation", organisation_ids(COUNT))
def test_the_shifted_tables_agree_with_each_other(checked: dict[str, CheckResult], organisation: str) -> None:
    """The cross-checks between the shifted tables hold (the template's own 1 tkr roundings are gone)."""
    warnings = [str(found) for found in checked[organisation].warnings]
    shifted = ("drift.csv", "drift_verksamhet.csv", "sjukfranvaro_ar.csv", "uppdrag_sammanstallning.csv")
    assert [warning for warning in warnings if any(name in warning for name in shifted)] == []


def test_the_organisations_differ_in_what_the_overview_compares(generated: Path) -> None:
    ids = organisation_ids(COUNT)

    def net_deviation(organisation: str) -> str:
        return next(
            row["avvikelse"]
            for row in rows(generated, organisation, "drift.csv")
            if row["post_id"] == "summa"
        )

    def sick_leave(organisation: str) -> str:
        return next(
            row["procent"]
            for row in rows(generated, organisation, "sjukfranvaro_ar.csv")
            if row["grupp"] == "Nämnden"
        )

    def goals_fulfilled(organisation: str) -> int:
        return sum(
            row["bedomning"] == "Uppfyllt" for row in rows(generated, organisation, "inriktningsmal.csv")
        )

    def completed(organisation: str) -> int:
        return sum(row["status"] == "Slutförd" for row in rows(generated, organisation, "uppdrag.csv"))

    assert len({net_deviation(organisation) for organisation in ids}) == COUNT
    assert len({sick_leave(organisation) for organisation in ids}) > 1
    assert len({goals_fulfilled(organisation) for organisation in ids}) > 1
    assert len({completed(organisation) for organisation in ids}) > 1
    outcomes = {
        tuple(row["utfall"] for row in rows(generated, organisation, "indikator_utfall.csv"))
        for organisation in ids
    }
    assert len(outcomes) == COUNT


def test_every_generated_folder_is_marked(generated: Path) -> None:
    for number, organisation in enumerate(organisation_ids(COUNT), start=1):
        folder = generated / "data" / organisation
        assert "GENERERAD TESTDATA" in (folder / MARKER_FILE).read_text(encoding="utf-8")
        assert (folder / str(YEAR) / MARKER_FILE).is_file()
        metadata = (folder / str(YEAR) / "rapport.yml").read_text(encoding="utf-8")
        assert metadata.startswith("# GENERERAD TESTDATA")
        assert f"organisation: Testnämnd {number:02d} (genererad testdata)\n" in metadata
        assert "tryckta_varden" not in metadata
        texts = "".join(
            path.read_text(encoding="utf-8") for path in (folder / str(YEAR) / "text").rglob("*.md")
        )
        assert "tryckt(" not in texts
        assert "ommunstyrelsekontor" not in texts


def test_it_leaves_the_template_as_it_was(generated: Path) -> None:
    source = REPOSITORY / "data" / TEMPLATE / str(YEAR)
    assert files_of(generated / "data" / TEMPLATE / str(YEAR)) == files_of(source)


def test_it_refuses_to_write_into_the_repository() -> None:
    before = sorted(path.name for path in (REPOSITORY / "data").iterdir())
    with pytest.raises(GenerationRefused, match="git-arkiv"):
        generate_organisations(REPOSITORY, 1)
    assert sorted(path.name for path in (REPOSITORY / "data").iterdir()) == before


def test_it_refuses_any_git_repository(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / ".git").mkdir()
    with pytest.raises(GenerationRefused):
        generate_organisations(project, 1)
    assert not (project / "data" / "testnamnd-01").exists()


def test_it_never_replaces_a_folder_it_did_not_generate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copytree(project / "data" / TEMPLATE, project / "data" / "testnamnd-01")
    with pytest.raises(GenerationRefused, match="inte genererad testdata"):
        generate_organisations(project, 1)
    assert files_of(project / "data" / "testnamnd-01") == files_of(project / "data" / TEMPLATE)
