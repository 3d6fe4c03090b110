"""`rapportbok ny-tabell data/<org>/<år>/<namn>.csv`: a first schema, guessed from the file, that `check`
accepts as it is; never over an existing schema, never for a name the package uses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from rapportbok.authoring.new_table import write_first_schema
from rapportbok.cli import main
from rapportbok.data.org_tables import org_tables
from rapportbok.data.read_table import read_table
from rapportbok.exceptions import UsageError

ORG = "nyttnamnd"
CSV = "verksamhet,antal_brukare,timmar,andel_kvinnor,startdatum\nhemtjanst,412,151234.5,61.5,2024-01-01\n"
CSV += "sarskilt_boende,198,,55,2024-03-01\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with one organisation and one year holding a table the package does not know."""
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    year = tmp_path / "data" / ORG / "2024"
    year.mkdir(parents=True)
    (year / "volymer.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def test_the_first_schema_guesses_types_units_required_and_key(root: Path) -> None:
    created = write_first_schema(root / "data" / ORG / "2024" / "volymer.csv", root)
    assert created.path == root / "data" / ORG / "tabeller" / "volymer.yaml"
    text = created.path.read_text(encoding="utf-8")
    assert text.startswith("# Första utkastet till tabellschemat för volymer")
    descriptor = yaml.safe_load(text)
    fields = {spec["name"]: spec for spec in descriptor["fields"]}
    assert [(name, spec["type"], spec.get("unit")) for name, spec in fields.items()] == [
        ("verksamhet", "string", None),
        ("antal_brukare", "integer", "st"),
        ("timmar", "number", "timmar"),
        ("andel_kvinnor", "number", "procent"),
        ("startdatum", "date", None),
    ]
    assert fields["verksamhet"]["constraints"] == {"required": True, "unique": True}
    assert fields["antal_brukare"]["constraints"] == {"required": True}
    assert "constraints" not in fields["timmar"]  # an empty cell: not required
    assert descriptor["primaryKey"] == ["verksamhet"]


def test_the_written_schema_loads_the_table_as_it_is(root: Path) -> None:
    csv = root / "data" / ORG / "2024" / "volymer.csv"
    write_first_schema(csv, root)
    read = read_table(csv, org_tables(root / "data" / ORG).schemas["volymer"], "volymer.csv")
    assert read.problems == []
    table = read.frame
    assert table["antal_brukare"].tolist() == [412, 198]
    assert table["timmar"].isna().tolist() == [False, True]


def test_a_semicolon_file_with_swedish_numbers_reads_as_numbers(root: Path) -> None:
    csv = root / "data" / ORG / "2024" / "volymer.csv"
    csv.write_text("verksamhet;kostnad_tkr\nhemtjanst;1 234,5\nboende;-7\n", encoding="utf-8")
    descriptor = yaml.safe_load(write_first_schema(csv, root).path.read_text(encoding="utf-8"))
    assert descriptor["fields"][1] == {
        "name": "kostnad_tkr",
        "title": "Kostnad tkr",
        "type": "number",
        "unit": "tkr",
        "description": "",
        "constraints": {"required": True},
    }


def test_an_existing_schema_is_never_overwritten(root: Path) -> None:
    schema = root / "data" / ORG / "tabeller" / "volymer.yaml"
    schema.parent.mkdir()
    schema.write_text("title: mitt\n", encoding="utf-8")
    before = hashlib.sha256(schema.read_bytes()).hexdigest()
    with pytest.raises(UsageError, match=f"data/{ORG}/tabeller/volymer.yaml finns redan"):
        write_first_schema(root / "data" / ORG / "2024" / "volymer.csv", root)
    assert hashlib.sha256(schema.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("file", "header", "message"),
    [
        ("drift.csv", "post_id,post\n", '"drift" är redan en av rapportbokens egna tabeller'),
        ("Volymer.csv", "a\n", '"Volymer" är inget giltigt tabellnamn'),
        ("volymer.csv", "Antal brukare,x,x\n", 'kolumnrubrikerna "Antal brukare", "x" går inte att använda'),
    ],
)
def test_a_name_that_cannot_be_used_is_refused_and_nothing_written(
    root: Path, file: str, header: str, message: str
) -> None:
    csv = root / "data" / ORG / "2024" / file
    csv.write_text(header + "1,2,3\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        write_first_schema(csv, root)
    assert not (root / "data" / ORG / "tabeller").exists()


def test_a_file_outside_a_year_folder_is_refused(root: Path) -> None:
    outside = root / "volymer.csv"
    outside.write_text(CSV, encoding="utf-8")
    with pytest.raises(UsageError, match=r"ange årets fil som data/<organisation>/<år>/<namn>\.csv"):
        write_first_schema(outside, root)


def test_the_command_writes_the_schema_and_says_so_in_swedish(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(root)
    assert main(["ny-tabell", f"data/{ORG}/2024/volymer.csv"]) == 0
    assert capsys.readouterr().out.startswith(f"Skrev data/{ORG}/tabeller/volymer.yaml\nTyper och enheter")
    assert main(["ny-tabell", f"data/{ORG}/2024/volymer.csv"]) == 1
    assert "finns redan" in capsys.readouterr().err
