"""The 2024 book built once per test session, by the real command, into a private copy of the project."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project


def rapportbok(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the rapportbok command in `project`."""
    return subprocess.run(
        [sys.executable, "-m", "rapportbok.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def visible_text(html: str) -> str:
    """The text a reader sees: tags removed, entities and white space normalised."""
    from html import unescape

    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")
    return " ".join(text.split())


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project copy after `rapportbok build --year 2024 --jobs 2`."""
    project = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    completed = rapportbok(project, "build", "--year", "2024", "--jobs", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Klart: _build/2024/html/index.html" in completed.stdout
    return project


def page(project: Path, chapter: str) -> str:
    return (project / "_build/2024/html/chapters" / f"{chapter}.html").read_text(encoding="utf-8")
