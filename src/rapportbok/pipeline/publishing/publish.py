"""Publish a finished build as one unit.

A new release folder is filled completely (HTML, PDF, and a manifest with the hash of every file), then
one atomic switch – `os.replace` of a symbolic link – makes it the published one. The fixed paths users
open (`html`, `pdf`) are links through that one switched link, so until the switch every published path
shows the previous release and after it every path shows the new one, whatever stops the build: an
exception, SIGTERM, SIGKILL or a full disk. What a stopped publish leaves behind is an unpublished
release folder, which the next build removes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from rapportbok.core.layout import RELEASE_MANIFEST, ReleaseLayout, YearLayout
from rapportbok.pipeline.inputs.fingerprint import file_hash

# Called with the name of every publishing step as it is done. Tests set it to stop the process at
# each step; it is None otherwise.
STEP_HOOK: Callable[[str], None] | None = None
# How one file is copied into a release; tests replace it to simulate a full disk.
COPY_FILE: Callable[[Path, Path], object] = shutil.copy2

LEGACY_PREFIX = "tidigare-"
OS_ERRORS = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOENT: "filen eller mappen saknas",
}


def step(name: str) -> None:
    """Mark that a publishing step is done (a no-op unless a test listens)."""
    if STEP_HOOK is not None:
        STEP_HOOK(name)


def current_release(layout: ReleaseLayout) -> Path | None:
    """The published release folder, or None when nothing (complete) is published."""
    try:
        target = os.readlink(layout.current)
    except OSError:
        return None
    release = layout.current.parent / target
    return release if release.is_dir() else None


def prepare(layout: ReleaseLayout) -> None:
    """Before publishing (with the build's lock held): undo what an interrupted publish left behind,
    and move output published before releases existed (real folders at the fixed paths) into one."""
    _adopt_legacy(layout)
    layout.next_link.unlink(missing_ok=True)
    _ensure_links(layout)
    discard_unpublished(layout)


def discard_unpublished(layout: ReleaseLayout) -> None:
    """Remove every release folder except the published one."""
    keep = current_release(layout)
    if layout.folder.is_dir():
        for release in layout.folder.iterdir():
            if keep is None or release.resolve() != keep.resolve():
                _remove(release)


def publish_release(layout: ReleaseLayout, key: str, fill: Callable[[Path], None]) -> Path:
    """Make a new release: `fill` writes its files, the manifest records them, one switch publishes it."""
    release = layout.release(uuid.uuid4().hex[:16])
    release.mkdir(parents=True)
    step("release-created")
    fill(release)
    write_manifest(release, key)
    step("manifest-written")
    _ensure_links(layout)
    step("links-ready")
    _point(layout, release)  # the switch: atomic
    step("switched")
    discard_unpublished(layout)
    step("old-removed")
    return release


def publish_year(
    layout: YearLayout,
    key: str,
    html: Path,
    pdf_file: Path | None,
    finish: Callable[[Path], None],
) -> Path:
    """Publish a year's site (`html`, adjusted in its copy by `finish`) and PDF as one release."""

    def fill(release: Path) -> None:
        copy_tree(html, release / "html")
        step("html-copied")
        finish(release / "html")
        step("html-finished")
        if pdf_file is not None:
            copy_file(pdf_file, release / "html" / pdf_file.name)  # the site links to its own copy
            copy_file(pdf_file, release / "pdf" / pdf_file.name)
            step("pdf-copied")

    return publish_release(layout.releases, key, fill)


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder file by file with COPY_FILE (symbolic links are copied as what they point to)."""
    for folder, _, files in os.walk(source, followlinks=True):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            COPY_FILE(Path(folder) / name, destination / name)


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    COPY_FILE(source, target)


def write_manifest(release: Path, key: str) -> None:
    """`release.json`: the key the release was built from and the SHA-256 of every file in it."""
    files = {
        path.relative_to(release).as_posix(): file_hash(path)
        for path in sorted(release.rglob("*"))
        if path.is_file() and path.name != RELEASE_MANIFEST
    }
    (release / RELEASE_MANIFEST).write_text(
        json.dumps({"key": key, "files": files}, indent=1, sort_keys=True), encoding="utf-8"
    )


def read_manifest(release: Path | None) -> dict | None:
    if release is None:
        return None
    try:
        manifest = json.loads((release / RELEASE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def damaged_files(release: Path, manifest: dict) -> list[str]:
    """Files of the release that are missing, changed, or not in its manifest."""
    recorded: dict[str, str] = manifest["files"]
    found = {
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if (path.is_file() or path.is_symlink()) and path.name != RELEASE_MANIFEST
    }
    damaged = [name for name, digest in recorded.items() if file_hash(release / name) != digest]
    return sorted(damaged + [name for name in found if name not in recorded])


def describe_os_error(error: OSError, shown: Callable[[Path], str]) -> str:
    """A failed file operation in Swedish: what went wrong and with which file."""
    reason = OS_ERRORS.get(error.errno or 0, error.strerror or str(error))
    written = error.filename2 or error.filename  # a copy names its source first, its target second
    where = f" {shown(Path(written))}" if written else ""
    return f"Kunde inte skriva{where}: {reason}."


def _ensure_links(layout: ReleaseLayout) -> None:
    """The fixed paths (e.g. html -> .current/html), made once; each is made beside and renamed in."""
    for link, target in layout.links:
        if link.is_symlink() and os.readlink(link) == target:
            continue
        temporary = layout.link_staging(link)
        temporary.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        os.symlink(target, temporary)
        os.replace(temporary, link)


def _adopt_legacy(layout: ReleaseLayout) -> None:
    """Real folders where links belong (output of an older rapportbok) become one release. The
    release is made current first, so an interruption here leaves folders that the next call adopts."""
    paths = [link for link, _ in layout.links] or [layout.current]
    for path in paths:  # the older publisher's swap folders: .<name>.incoming / .<name>.outgoing
        incoming, outgoing = layout.legacy_swap_folders(path)
        _remove(incoming)
        if outgoing.is_dir() and not path.exists() and not path.is_symlink():
            os.replace(outgoing, path)  # it was stopped between its two renames
        _remove(outgoing)
    legacy = [path for path in paths if path.is_dir() and not path.is_symlink()]
    if not legacy:
        return
    if not layout.links:  # the published folder itself becomes a release (the site: rebuilt if lost)
        release = layout.release(LEGACY_PREFIX + uuid.uuid4().hex[:8])
        release.parent.mkdir(parents=True, exist_ok=True)
        os.replace(layout.current, release)
        _point(layout, release)
        return
    release = current_release(layout)
    if release is None:
        release = layout.release(LEGACY_PREFIX + uuid.uuid4().hex[:8])
        release.mkdir(parents=True)
        _point(layout, release)
    for path in legacy:
        target = release / path.name
        if target.exists():
            _remove(path)  # the release already has this part
        else:
            os.replace(path, target)


def _point(layout: ReleaseLayout, release: Path) -> None:
    """Switch `current` to `release` atomically: a new link is made beside it and renamed over it."""
    layout.next_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(release, layout.current.parent), layout.next_link)
    step("link-made")
    os.replace(layout.next_link, layout.current)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
