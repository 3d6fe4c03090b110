"""The package's own code, parsed once per test process for the tests that read it (structure,
exceptions, vocabulary, years, the package map): each of them parsed all of src/rapportbok again."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rapportbok"


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The module at `path`, parsed (shared: read it, never change it)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def modules(folder: Path = PACKAGE) -> list[Path]:
    """Every module under `folder` (default: the package), in a stable order."""
    return sorted(folder.rglob("*.py"))
