"""Allowed values and required texts have one source: no module of the package types them again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rapportbok
from rapportbok.data import required_texts, vocabulary
from rapportbok.data.required_texts import REQUIRED_TEXTS
from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.data.vocabulary import VOCABULARY, vocabulary_mismatches
from tests.package_source import parsed

PACKAGE = Path(rapportbok.__file__).parent
SOURCES = {vocabulary.__file__: "the allowed values", required_texts.__file__: "the required texts"}
# Values that are also ordinary names elsewhere in the code, where they do not mean the cell value.
ALSO_A_NAME = {
    "procent": "the column with a percentage (sjukfranvaro.csv, personalomsattning.csv)",
    "antal": "a placeholder name: {{ mal.antal }}, {{ uppdrag.antal }}",
    "projekt": "the column with a project's name (investeringar.csv)",
    "index": "the front page's name (index.html)",
}


def _string_constants(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module, f-string parts included, with its line (docstrings too)."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if str(path) not in SOURCES)


def test_the_vocabulary_agrees_with_the_schemas() -> None:
    """Every column with allowed values has a named class, with exactly the schema's values."""
    assert vocabulary_mismatches() == []
    enum_columns = {
        (name, spec.name) for name in TABLE_NAMES for spec in table_schema(name).fields if spec.enum
    }
    assert enum_columns == set(VOCABULARY)


def test_no_module_types_an_allowed_value() -> None:
    """'Ej uppfyllt', 'Slutförd', 'Nämndinitiativ', trends …: only data/vocabulary.py names them."""
    forbidden = {member.value for names in VOCABULARY.values() for member in names} - ALSO_A_NAME.keys()
    assert "Ej uppfyllt" in forbidden and "Slutförd" in forbidden and "summa" in forbidden
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in _modules()
        for line, value in _string_constants(path)
        if value in forbidden
    ]
    assert found == []


def test_no_module_spells_a_required_text_key() -> None:
    """Keys like 'maluppfyllelse/mal-3.1' are made from data/required_texts.py only."""
    prefixes = tuple(text.prefix for text in REQUIRED_TEXTS)
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in _modules()
        for line, value in _string_constants(path)
        if any(prefix in value for prefix in prefixes)
    ]
    assert found == []


@pytest.mark.parametrize("literal", ["Ej uppfyllt", "maluppfyllelse/mal-"])
def test_the_search_sees_literals_in_code_and_in_f_strings(tmp_path: Path, literal: str) -> None:
    """The searches above find a typed value both as a plain string and as part of an f-string."""
    path = tmp_path / "module.py"
    path.write_text(f'X = "{literal}"\nY = f"{literal}{{goal_id}}"\n', encoding="utf-8")
    assert [value for _, value in _string_constants(path)].count(literal) == 2
