"""The data contract is generated from the schemas and committed up to date."""

from __future__ import annotations

from pathlib import Path

from rapportbok.checks.contract import render_contract
from rapportbok.data.schema import TABLE_NAMES, table_schema


def test_data_readme_is_generated_from_the_schemas(project_root: Path) -> None:
    """data/README.md equals what `rapportbok contract` writes; run it after changing a schema."""
    data_root = project_root / "data"
    assert (data_root / "README.md").read_text(encoding="utf-8") == render_contract(data_root)


def test_every_column_and_allowed_value_is_documented() -> None:
    """Each table, column and enum value of every schema appears in the contract."""
    contract = render_contract()
    for name in TABLE_NAMES:
        schema = table_schema(name)
        assert f"### {schema.file_name}" in contract
        for spec in schema.fields:
            assert f"| `{spec.name}` | {spec.title} |" in contract
            for value in spec.enum or ():
                assert f"`{value}`" in contract
