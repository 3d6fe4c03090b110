"""`make docs` builds the handbook with warnings as errors: a broken cross-reference, an anchor that
is not there, or Markdown that MyST cannot read fails here and in CI, not only on a maintainer's
machine. One Sphinx run (a few seconds of CPU), so the fast tier leaves it out."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_handbook_builds_without_a_warning_and_has_its_generated_pages(tmp_path: Path) -> None:
    """The same command as `make docs`, into a folder of its own."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", "docs", "--builder", "html", "--all", "-W", "-n", "--keep-going"]
    completed = subprocess.run(
        [*command, "--path-output", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    html = tmp_path / "_build" / "html"
    commands = (html / "kommandon.html").read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>rapportbok new-year", commands)
    assert "--no-pdf" in commands
    packages = (html / "paketkarta.html").read_text(encoding="utf-8")
    assert "rapportbok.narrative.sandbox" in packages
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'href="sakerhet.html"' in index and 'href="datakontrakt.html"' in index
