"""The table of contents (_toc.yml) is the one list of chapters; the build derives its notebooks from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.yamlfile import read_yaml_mapping
from rapportbok.exceptions import ConfigError, Problem, UsageError

CHAPTER_FOLDER = "chapters"


@dataclass(frozen=True)
class Chapter:
    """A chapter page generated from `notebooks/<name>.ipynb` (executed into the year's build folder)."""

    name: str

    def notebook(self, root: Path) -> Path:
        return root / "notebooks" / f"{self.name}.ipynb"


def toc_entries(toc_path: Path) -> list[str]:
    """Every file entry of the toc, in order (root first), as written (relative to book/)."""
    content = read_yaml_mapping(toc_path, toc_path.name)
    entries = [str(content["root"])] if "root" in content else []

    def walk(items: object) -> None:
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ConfigError(
                Problem(toc_path.name, "chapters, sections och parts ska vara listor med - file: …")
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


def chapters(root: Path) -> list[Chapter]:
    """The chapter notebooks listed in `_toc.yml`, in book order."""
    toc_path = root / "_toc.yml"
    if not toc_path.is_file():
        raise UsageError(
            f"{toc_path} saknas: innehållsförteckningen är listan över kapitel.", file=toc_path.name
        )
    found = []
    for entry in toc_entries(toc_path):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder == CHAPTER_FOLDER:
            chapter = Chapter(name)
            if not chapter.notebook(root).is_file():
                raise UsageError(
                    f"_toc.yml nämner {entry}, men notebooks/{name}.ipynb saknas.", file=toc_path.name
                )
            found.append(chapter)
    return found
