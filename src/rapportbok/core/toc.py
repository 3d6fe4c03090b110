"""Reading the table of contents (_toc.yml): its file entries and the chapter names in it.

The build's view of the chapters (with their notebooks) is pipeline/inputs/toc.py; this lower layer only reads
the file, so that the data contract can check chapter names (rapport.yml `utelamnade_kapitel`).
"""

from __future__ import annotations

from pathlib import Path

from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.exceptions import ConfigError, Problem

TOC_FILE = "_toc.yml"
CHAPTER_FOLDER = "chapters"


def toc_entries(toc_path: Path) -> list[str]:
    """Every file entry of the toc, in order (root first), as written (relative to book/)."""
    content = read_yaml_mapping(toc_path, toc_path.name)
    entries = [str(content["root"])] if "root" in content else []

    def walk(items: object) -> None:
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ConfigError(
                Problem(
                    toc_path.name,
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


def chapter_names(toc_path: Path) -> list[str]:
    """The names of the chapters (`chapters/<name>` entries) in book order."""
    names = []
    for entry in toc_entries(toc_path):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder == CHAPTER_FOLDER:
            names.append(name)
    return names
