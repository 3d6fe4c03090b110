"""Publish a finished build atomically: the last good output stays until the new one is complete."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from rapportbok.core.layout import swap_folders


def publish_tree(source: Path, target: Path, finish: Callable[[Path], None] | None = None) -> Path:
    """Copy `source` next to `target`, let `finish` adjust the copy, then swap it in; return `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming, outgoing = swap_folders(target)
    for leftover in (incoming, outgoing):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(source, incoming)
    if finish is not None:
        finish(incoming)
    if target.exists():
        os.replace(target, outgoing)
    os.replace(incoming, target)
    if outgoing.exists():
        shutil.rmtree(outgoing)
    return target


def recover_interrupted(target: Path) -> None:
    """If a swap was interrupted between its two renames, put the previous output back."""
    _, outgoing = swap_folders(target)
    if not target.exists() and outgoing.exists():
        os.replace(outgoing, target)
