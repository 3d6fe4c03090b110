"""The release steps: what the book is made from (its key), the published release compared with it
(nothing runs when they match and the release is intact), and the new release published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapportbok.core.toc import PAGE_FOLDER
from rapportbok.data.statement import CONFIG_FILE
from rapportbok.pipeline.inputs.fingerprint import file_hash, tree_hash, value_hash
from rapportbok.pipeline.publishing import publish
from rapportbok.pipeline.publishing.search_index import write_search_index
from rapportbok.pipeline.run import BookRun


@dataclass(frozen=True)
class Published:
    """The book's published release (None: none yet) and its manifest."""

    release: Path | None
    manifest: dict[str, Any] | None

    def made_from(self, key: str) -> bool:
        """Whether the release was made from the inputs of `key`."""
        return self.manifest is not None and self.manifest["key"] == key

    def intact_pdf(self, key: str, name: str) -> Path | None:
        """The published PDF, if it was made from the same inputs and is unchanged since (a repair build)."""
        if self.release is None or self.manifest is None or not self.made_from(key):
            return None
        recorded = self.manifest["files"].get(f"pdf/{name}")
        candidate = self.release / "pdf" / name
        return candidate if recorded is not None and file_hash(candidate) == recorded else None


def published(run: BookRun) -> Published:
    """The book's release as published now."""
    release = publish.current_release(run.layout.releases)
    return Published(release, publish.read_manifest(release))


def site_key(run: BookRun, notebooks: dict[str, Path | None]) -> str:
    """Everything the published site and PDF are made from, besides the chapters' data."""
    root, options = run.root, run.options
    return value_hash(
        {
            "origin": run.origin,
            "chapters": {name: None if path is None else file_hash(path) for name, path in notebooks.items()},
            "book": tree_hash(  # the book's table of contents: the project's or the organisation's own
                root, [root / PAGE_FOLDER, root / "_config.yml", run.book.toc, root / CONFIG_FILE]
            ),
            "code": run.state.code,
            "draft": options.draft,
            "pdf": options.pdf,
        }
    )


def still_published(run: BookRun, release: Published, key: str) -> bool:
    """Whether the published release is the one `key` makes and intact; a damaged one is named in
    the progress (and rebuilt)."""
    if release.release is None or release.manifest is None or not release.made_from(key):
        return False
    damaged = publish.damaged_files(release.release, release.manifest)
    if not damaged:
        return True
    shown = ", ".join(damaged[:3]) + (f" och {len(damaged) - 3} till" if len(damaged) > 3 else "")
    run.progress.step(
        f"Den publicerade versionen av {run.book.name} stämmer inte med sitt manifest "
        f"({len(damaged)} {'fil' if len(damaged) == 1 else 'filer'} saknas eller har ändrats: "
        f"{shown}); den byggs om."
    )
    return False


def published_pdf(folder: Path) -> Path | None:
    """The PDF in the published pdf/ folder, if any."""
    found = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    return found[0] if found else None


def publish_release(run: BookRun, key: str, html: Path, pdf: Path | None) -> None:
    """Publish the site `html` and the PDF together as the book's new release, with the search index."""
    publish.publish_year(run.layout, key, html, pdf, write_search_index)
