"""The accessibility statement's configuration (tillganglighet.yml): mistakes are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapportbok.exceptions import DataError
from rapportbok.views.tillganglighet import CONFIG_FILE, statement_config


def test_a_missing_contact_names_the_key(project_copy: Path) -> None:
    """Without `kontakt` the statement cannot say where to report problems."""
    (project_copy / CONFIG_FILE).write_text("tillsyn: DIGG\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        statement_config(project_copy)
    problem = raised.value.problems[0]
    assert (problem.file, problem.column) == ("tillganglighet.yml", "kontakt")


def test_broken_yaml_names_the_file_and_line(project_copy: Path) -> None:
    """A tab or stray colon gives the file and line, not a traceback."""
    (project_copy / CONFIG_FILE).write_text("kontakt: a@b.se\ntillsyn: [DIGG\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        statement_config(project_copy)
    assert raised.value.file == "tillganglighet.yml" and raised.value.problems[0].row == 3
