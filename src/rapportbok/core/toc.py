"""Reading the table of contents (_toc.yml): its file entries and the chapter names in it, and where an
organisation's book finds its table of contents and chapter notebooks.

An organisation may define its own book: `data/<org>/_toc.yml` (its chapters, their order, its pages)
replaces the project's `_toc.yml` for every year of that organisation, and `notebooks/<org>/<name>.ipynb`
replaces the shared `notebooks/<name>.ipynb` for its chapter `<name>`. Without them the organisation
gets the shared ones. The table of contents is data (YAML, never run); the notebooks are code and stay
in notebooks/, where code is reviewed.

The build's view of the chapters (with their notebooks) is pipeline/inputs/toc.py; this lower layer only reads
the file, so that the data contract can check chapter names (rapport.yml `utelamnade_kapitel`).
"""

from __future__ import annotations

import re
from pathlib import Path

from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.exceptions import ConfigError, Problem

TOC_FILE = "_toc.yml"
CHAPTER_FOLDER = "chapters"
NOTEBOOK_FOLDER = "notebooks"
PAGE_FOLDER = "book"  # authored pages a table of contents may name besides the chapters
FRONT_PAGE, ABOUT_PAGE, STATEMENT_PAGE = "index", "om-rapporten", "tillganglighet"
GENERATED_PAGES = (FRONT_PAGE, ABOUT_PAGE, STATEMENT_PAGE)  # pages the build writes from data
CHAPTER_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}", re.ASCII)  # a file name in notebooks/, never a path


def book_toc(root: Path, org_dir: Path) -> Path:
    """The table of contents of the organisation's book: its own `data/<org>/_toc.yml` when there is
    one, otherwise the project's `_toc.yml`."""
    own = org_dir / TOC_FILE
    return own if own.is_file() or own.is_symlink() else root / TOC_FILE


def chapter_notebook(root: Path, organisation: str, name: str) -> Path:
    """The notebook of chapter `name` in the organisation's book: its own
    `notebooks/<org>/<name>.ipynb` when there is one, otherwise the shared `notebooks/<name>.ipynb`."""
    own = root / NOTEBOOK_FOLDER / organisation / f"{name}.ipynb"
    return own if own.is_file() else root / NOTEBOOK_FOLDER / f"{name}.ipynb"


def toc_entries(toc_path: Path, shown: str | None = None) -> list[str]:
    """Every file entry of the toc, in order (root first), as written (relative to book/); messages
    name the file `shown` (default: its name)."""
    shown = shown or toc_path.name
    content = read_yaml_mapping(toc_path, shown)
    entries = [str(content["root"])] if "root" in content else []

    def walk(items: object) -> None:
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ConfigError(
                Problem(
                    shown,
                    "chapters, sections och parts ska vara listor med - file: …",
                    code="config.toc.invalid",
                )
            )
        for item in items:
            if "file" in item:
                entries.append(str(item["file"]))
            walk(item.get("sections", []))
            walk(item.get("parts", []))
            if "chapters" in item:
                walk(item["chapters"])

    walk(content.get("chapters", []))
    walk(content.get("parts", []))
    return entries


def chapter_names(toc_path: Path, shown: str | None = None) -> list[str]:
    """The names of the chapters (`chapters/<name>` entries) in book order."""
    names = []
    for entry in toc_entries(toc_path, shown):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder == CHAPTER_FOLDER:
            names.append(name)
    return names
