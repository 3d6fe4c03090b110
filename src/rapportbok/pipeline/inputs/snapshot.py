"""What a build read, by content hash, so that a change while it ran is noticed before it publishes.

The data lock (readlock.py) keeps out the writers that take it (import, new-year, migrate). An analyst
saving a CSV in an editor takes no lock: so the build hashes its inputs when it starts reading (the
year's folder and the year before, `tillganglighet.yml`, `_config.yml`, `_toc.yml`, `book/`,
`notebooks/`; later the logo and every file a chapter noted in its reads log), and verifies them just
before it publishes. On any difference nothing is published and DataChanged names each file: never a
release made from two versions of the data.

Names are project paths with every link on the way resolved, as the chapters' reads logs and the chapter
cache name them. Nothing is followed below a folder: a link (refused by `check` in `data/`) is hashed
by where it points, a pipe or device is noted as such and never opened.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapportbok.core.paths import display_path
from rapportbok.core.toc import TOC_FILE
from rapportbok.data.datalock import LOCK_FILE
from rapportbok.data.files import require_within_limits
from rapportbok.data.statement import CONFIG_FILE
from rapportbok.data.years import year_label
from rapportbok.exceptions import DataChanged, Problem
from rapportbok.pipeline.inputs.fingerprint import MISSING, SKIPPED_PARTS, file_hash

PROJECT_FILES = ("_config.yml", TOC_FILE, CONFIG_FILE)
PROJECT_FOLDERS = ("book", "notebooks")
SKIPPED_NAMES = {LOCK_FILE}
CHANGED, REMOVED, ADDED = "ändrades", "togs bort", "tillkom"


@dataclass(frozen=True)
class Wording:
    """How a DataChanged message names the work and what to do: 'boken byggdes', 'bygg igen'."""

    doing: str = "boken byggdes"
    outcome: str = "inget publicerades"
    again: str = "bygg igen"


BOOK = Wording()
SITE = Wording("webbplatsen byggdes", "ingen ny webbplats publicerades", "kör rapportbok site igen")
PREVIEW = Wording("förhandsvisningen byggdes", "sidorna uppdaterades inte", "den byggs om nu")


@dataclass
class InputSnapshot:
    """The hash of every input a build read, taken when it started reading; `verify` compares."""

    root: Path
    wording: Wording = BOOK
    hashes: dict[str, str] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)  # a file that appears in one of these is a change
    changes: dict[str, str] = field(default_factory=dict)  # noticed before `verify` (a chapter's reads)
    # where each tree's folder led when the snapshot was taken: a link switched meanwhile is a change
    located: dict[Path, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    @classmethod
    def of_book(cls, root: Path, org_dir: Path, year: int, wording: Wording = BOOK) -> InputSnapshot:
        """The inputs of one book: its year's folder and the year before (chapters compare), and the
        project's configuration, pages and notebooks."""
        snapshot = cls(root, wording)
        for each in (year, year - 1):
            folder = org_dir / f"{each:04d}"
            require_within_limits(folder, year_label(org_dir, each))  # bounded before it is walked
            snapshot.add_tree(folder)
        for name in PROJECT_FILES:
            snapshot.add_file(root / name)
        snapshot.add_file(org_dir / TOC_FILE)  # the organisation's own table of contents, if it has one
        for name in PROJECT_FOLDERS:
            snapshot.add_tree(root / name)
        return snapshot

    def add_tree(self, folder: Path) -> None:
        """Every file below `folder` (its file set too: a new file is a change); links not followed."""
        base = _located(folder)
        name = self._name(base)
        self.located[Path(os.path.abspath(folder))] = name
        if name is None:
            return
        self.folders.append(name)
        try:
            mode = os.lstat(base).st_mode
        except OSError:
            return
        if not stat.S_ISDIR(mode):
            self.hashes.setdefault(name, _hash(base, mode))
            return
        for here, folders, files in os.walk(base, followlinks=False):
            folders[:] = [entry for entry in folders if entry not in SKIPPED_PARTS]
            for entry in [*files, *(f for f in folders if os.path.islink(os.path.join(here, f)))]:
                if entry not in SKIPPED_NAMES:
                    self.add_file(Path(here) / entry)

    def add_file(self, path: Path) -> None:
        """One file read later than the start (the logo); ignored when it is outside the project
        (the step that reads it refuses it)."""
        located = _located(path)
        name = self._name(located)
        if name is not None and name not in self.hashes:
            try:
                mode = os.lstat(located).st_mode
            except OSError:
                mode = None
            self.hashes[name] = _hash(located, mode)

    def add_reads(self, reads: Mapping[str, str]) -> None:
        """The files a chapter read, by project path, with their hashes when it finished (its cache
        entry's manifest): a file of the snapshot that differs was changed while the chapter ran;
        another is added to be verified at the end."""
        for name, digest in reads.items():
            known = self.hashes.get(name)
            if known is None:
                self.hashes[name] = digest
            elif known != digest:
                self.changes.setdefault(name, REMOVED if digest == MISSING else CHANGED)

    def digest(self, folder: Path) -> str:
        """One hash of the snapshot's files below `folder` (names and contents)."""
        prefix = self._name(_located(folder)) or ""
        inside = sorted(name for name in self.hashes if name == prefix or name.startswith(prefix + "/"))
        digest = hashlib.sha256()
        for name in inside:
            digest.update(f"{name}\0{self.hashes[name]}\n".encode())
        return digest.hexdigest()

    def changed(self) -> dict[str, str]:
        """{project path: what happened to it} for every input that differs from the snapshot now."""
        found = dict(self.changes)
        for folder, name in self.located.items():  # e.g. `data` switched to another folder
            if self._name(_located(folder)) != name:
                found[display_path(folder, self.root)] = CHANGED
        for name, recorded in self.hashes.items():
            now = _current_hash(self.root / name)
            if now != recorded and name not in found:
                found[name] = REMOVED if now == MISSING else ADDED if recorded == MISSING else CHANGED
        for folder in self.folders:
            for name in self._files_below(self.root / folder):
                if name not in self.hashes and name not in found:
                    found[name] = ADDED
        return dict(sorted(found.items()))

    def verify(self) -> None:
        """Raise DataChanged naming every input that changed since the snapshot was taken."""
        found = self.changed()
        if found:
            raise DataChanged(*changed_details(found, self.wording))

    def _name(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def _files_below(self, folder: Path) -> Iterable[str]:
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return
        except OSError:
            return
        for here, folders, files in os.walk(folder, followlinks=False):
            folders[:] = [entry for entry in folders if entry not in SKIPPED_PARTS]
            for entry in [*files, *(f for f in folders if os.path.islink(os.path.join(here, f)))]:
                if entry not in SKIPPED_NAMES:
                    name = self._name(Path(here) / entry)
                    if name is not None:
                        yield name


def changed_details(found: Mapping[str, str], wording: Wording = BOOK) -> tuple[str, list[Problem]]:
    """DataChanged's message and problems for the files `found` ({project path: 'ändrades' | 'togs
    bort' | 'tillkom'})."""
    problems = [Problem(name, f"{what} medan {wording.doing}") for name, what in found.items()]
    if len(problems) == 1:
        name, what = next(iter(found.items()))
        message = f"{name} {what} medan {wording.doing}; {wording.outcome} – {wording.again}."
    else:
        lines = [
            f"{len(problems)} filer ändrades medan {wording.doing}; {wording.outcome} – {wording.again}:",
            *(f"  {problem}" for problem in problems),
        ]
        message = "\n".join(lines)
    return message, problems


def recorded_reads(manifest: Path) -> dict[str, str]:
    """The files a chapter's cache entry says it read, with their hashes ({} when it has none)."""
    try:
        reads = json.loads(manifest.read_text(encoding="utf-8")).get("reads")
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(name): str(digest) for name, digest in reads.items()} if isinstance(reads, dict) else {}


def _located(path: Path) -> Path:
    """`path` with the links of its folders resolved, its last part kept as it is (never followed)."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.parent.resolve() / absolute.name
    except (OSError, RuntimeError):  # a link loop: checked and refused elsewhere
        return absolute


def _hash(path: Path, mode: int | None) -> str:
    """A regular file's content hash; a link by where it points; anything else (missing, a pipe, a
    device) by its kind, without opening it."""
    if mode is None:
        return MISSING
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        try:
            return file_hash(path)
        except OSError:
            return MISSING
    return hashlib.sha256(f"kind:{stat.S_IFMT(mode)}".encode()).hexdigest()


def _current_hash(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return MISSING
    return _hash(path, mode)
