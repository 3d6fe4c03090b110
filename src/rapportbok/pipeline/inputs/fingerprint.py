"""Content hashes of the inputs of a build: files, folders and the code itself."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import rapportbok

MISSING = "saknas"
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or 'saknas' for a file that does not exist. A symbolic link is hashed
    by where it points, never followed (check refuses links in data/; this only notices them)."""
    if path.is_symlink():
        return hashlib.sha256(f"link:{os.readlink(path)}".encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else MISSING


def tree_hash(root: Path, paths: list[Path]) -> str:
    """One hash of several files and folders (their relative names and contents)."""
    digest = hashlib.sha256()
    for path in paths:
        files = (
            [path]
            if not path.is_dir()
            else sorted(
                p
                for p in path.rglob("*")
                if (p.is_file() or p.is_symlink()) and not SKIPPED_PARTS & set(p.parts)
            )
        )
        for file in files:
            try:
                name = file.relative_to(root).as_posix()
            except ValueError:
                name = file.name
            digest.update(name.encode())
            digest.update(file_hash(file).encode())
    return digest.hexdigest()


def code_hash(root: Path) -> str:
    """The package's code and assets, and the locked dependency set.

    Not cached: a build computes it once at its start (see `BuildState`), so that a second build in
    the same Python session sees code or dependencies that changed in between."""
    package = Path(rapportbok.__file__).parent
    return tree_hash(package.parent, [package]) + tree_hash(root, [root / "requirements.lock"])


def value_hash(value: Any) -> str:
    """A hash of JSON-serialisable parameters."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()
