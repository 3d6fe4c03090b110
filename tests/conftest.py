"""Shared fixtures: the project root, and a throwaway copy of the project to break or build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("_config.yml", "_toc.yml", "tillganglighet.yml", "book", "notebooks", "data")


@pytest.fixture
def project_root() -> Path:
    return ROOT


def copy_project(target: Path) -> Path:
    """Copy what a build reads (config, toc, book pages, notebooks, data) into `target`."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source,
                target / part,
                ignore=shutil.ignore_patterns("chapters", ".ipynb_checkpoints"),
            )
        else:
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project that a test may change."""
    return copy_project(tmp_path / "project")
