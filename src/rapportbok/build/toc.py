"""The table of contents (_toc.yml) is the one list of chapters; the build derives its notebooks from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from rapportbok.exceptions import UsageError

CHAPTER_FOLDER = "chapters"


@dataclass(frozen=True)
class Chapter:
    """A chapter page generated from `notebooks/<name>.ipynb` (executed into the year's build folder)."""

    name: str

    def notebook(self, root: Path) -> Path:
        return root / "notebooks" / f"{self.name}.ipynb"


def toc_entries(toc_path: Path) -> list[str]:
    """Every file entry of the toc, in order (root first), as written (relative to book/)."""
    content = yaml.safe_load(toc_path.read_text(encoding="utf-8")) or {}
    entries = [content["root"]] if "root" in content else []

    def walk(items: list[dict]) -> None:
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("sections", []))
            for part in item.get("parts", []):
                walk(part.get("chapters", []))

    walk(content.get("chapters", []))
    for part in content.get("parts", []):
        walk(part.get("chapters", []))
    return entries


def chapters(root: Path) -> list[Chapter]:
    """The chapter notebooks listed in `_toc.yml`, in book order."""
    toc_path = root / "_toc.yml"
    if not toc_path.is_file():
        raise UsageError(f"{toc_path} saknas: innehållsförteckningen är listan över kapitel.")
    found = []
    for entry in toc_entries(toc_path):
        folder, _, name = entry.removesuffix(".ipynb").rpartition("/")
        if folder == CHAPTER_FOLDER:
            chapter = Chapter(name)
            if not chapter.notebook(root).is_file():
                raise UsageError(f"_toc.yml nämner {entry}, men notebooks/{name}.ipynb saknas.")
            found.append(chapter)
    return found
