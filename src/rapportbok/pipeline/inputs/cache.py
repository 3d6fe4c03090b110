"""The chapter cache: an executed notebook is reused while nothing it depends on has changed.

An entry lives in `_build/<year>/.cache/<chapter>/`: `executed.ipynb` and `manifest.json`. The manifest
holds the hashes of the chapter's notebook, the code and locked dependencies, the parameters, every
data file the chapter read, and the executed notebook itself. It is written last, and an entry whose
manifest is unreadable or whose notebook does not match its hash is damaged: it is ignored and redone.
While a chapter runs, it notes the files it reads in the log that `reads_log(name)` names (the build
passes that path to the notebook as its `reads_log` parameter).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapportbok.core.layout import READS_LOG, RUN_FOLDER
from rapportbok.core.paths import display_path
from rapportbok.data.tracking import recorded_reads
from rapportbok.exceptions import ChapterError, ChapterFailure
from rapportbok.pipeline.inputs.fingerprint import file_hash, value_hash
from rapportbok.pipeline.inputs.notebooks import clean_executed

MANIFEST = "manifest.json"
EXECUTED = "executed.ipynb"
FAILED = "failed.ipynb"


@dataclass(frozen=True)
class ChapterInputs:
    """What a chapter's result depends on before it has run (its reads are added after)."""

    name: str
    notebook: Path
    parameters: dict[str, Any]

    def key(self, root: Path, code: str) -> dict[str, str]:
        """`code` is the build's `code_hash` (package and locked dependencies); paths are taken
        relative to the project `root`."""
        return {
            "notebook": file_hash(self.notebook),
            "code": code,
            "parameters": value_hash(portable_parameters(self.parameters, root)),
        }


def portable_parameters(parameters: dict[str, Any], root: Path) -> dict[str, Any]:
    """The parameters with paths inside the project made relative to it: the same project in another
    folder gives the same bytes (the build is tested for that), so a moved or copied project keeps
    its cache."""
    portable = {}
    for name, value in parameters.items():
        if isinstance(value, str) and Path(value).is_absolute() and Path(value).is_relative_to(root):
            value = Path(value).relative_to(root).as_posix()
        portable[name] = value
    return portable


class ChapterCache:
    """The cache of one year's build."""

    def __init__(self, folder: Path, root: Path, code: str) -> None:
        self.folder = folder
        self.root = root
        self.code = code

    def entry(self, name: str) -> Path:
        return self.folder / name

    def run_folder(self, name: str) -> Path:
        """A fresh working folder for the chapter's kernel (and its reads log)."""
        run = self.entry(name) / RUN_FOLDER
        if run.exists():
            shutil.rmtree(run)
        run.mkdir(parents=True)
        return run

    def reads_log(self, name: str) -> Path:
        """Where the running chapter notes the data files it reads (its `reads_log` parameter)."""
        return self.entry(name) / RUN_FOLDER / READS_LOG

    def lookup(self, inputs: ChapterInputs) -> Path | None:
        """The cached executed notebook if it is intact and still up to date, else None."""
        entry = self.entry(inputs.name)
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        executed = entry / EXECUTED
        if manifest.get("key") != inputs.key(self.root, self.code) or manifest.get("output") != file_hash(
            executed
        ):
            return None
        reads = manifest.get("reads")
        if not isinstance(reads, dict):
            return None
        for name, recorded in reads.items():
            if file_hash(self.root / name) != recorded:
                return None
        return executed

    def changed_reads(self, inputs: ChapterInputs) -> list[str] | None:
        """The files the entry read that changed since, by project path (empty: the entry is up to
        date); None when the entry is missing, damaged, or made from another notebook, code or
        parameters – then only running the chapter again brings it up to date."""
        entry = self.entry(inputs.name)
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        reads = manifest.get("reads")
        if (
            manifest.get("key") != inputs.key(self.root, self.code)
            or manifest.get("output") != file_hash(entry / EXECUTED)
            or not isinstance(reads, dict)
        ):
            return None
        return [name for name, recorded in reads.items() if file_hash(self.root / name) != recorded]

    def adopt(self, inputs: ChapterInputs, other: ChapterCache) -> bool:
        """Take `other`'s entry of the chapter (e.g. the build's, into the preview's cache) when it is
        intact and up to date for this cache's code; False when there is nothing to take.

        The entry is copied as it is (the same executed notebook a run would give, the same manifest),
        and checked again on the copy: a build rewriting its entry meanwhile leaves no entry here."""
        if other.code != self.code or other.root != self.root or other.lookup(inputs) is None:
            return False
        source, entry = other.entry(inputs.name), self.entry(inputs.name)
        try:
            manifest = (source / MANIFEST).read_text(encoding="utf-8")
            entry.mkdir(parents=True, exist_ok=True)
            (entry / MANIFEST).unlink(missing_ok=True)  # no valid entry while the new one is written
            temporary = entry / f".{EXECUTED}.tmp"
            shutil.copyfile(source / EXECUTED, temporary)
        except OSError:
            return False
        os.replace(temporary, entry / EXECUTED)
        temporary = entry / f".{MANIFEST}.tmp"
        temporary.write_text(manifest, encoding="utf-8")
        os.replace(temporary, entry / MANIFEST)
        if self.changed_reads(inputs) == []:
            return True
        (entry / MANIFEST).unlink(missing_ok=True)  # changed while it was copied: run the chapter
        return False

    def replace_output(self, inputs: ChapterInputs, notebook: str) -> Path:
        """Replace an up-to-date entry's executed notebook by `notebook` (its outputs brought up to date
        without a kernel) and record the current hashes of the files it read."""
        entry = self.entry(inputs.name)
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        (entry / MANIFEST).unlink()  # no valid entry while the new one is written
        target = entry / EXECUTED
        temporary = entry / f".{EXECUTED}.tmp"
        temporary.write_text(notebook, encoding="utf-8")
        os.replace(temporary, target)
        clean_executed(target)
        manifest["reads"] = {name: file_hash(self.root / name) for name in manifest["reads"]}
        manifest["output"] = file_hash(target)
        temporary = entry / f".{MANIFEST}.tmp"
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, entry / MANIFEST)
        return target

    def last_seconds(self, name: str) -> float:
        """How long the chapter took last time (0 if unknown): the longest are started first."""
        try:
            return float(json.loads((self.entry(name) / MANIFEST).read_text(encoding="utf-8"))["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    def store(self, inputs: ChapterInputs, executed: Path, seconds: float = 0.0) -> Path:
        """Keep a freshly executed notebook with the manifest of what it read.

        A chapter that did not record its reads cannot be reused safely: that is an error.
        """
        entry = self.entry(inputs.name)
        recorded = recorded_reads(self.reads_log(inputs.name))
        if recorded is None:
            notebook = display_path(inputs.notebook, self.root)
            raise ChapterError(
                [
                    ChapterFailure(
                        inputs.name,
                        "kapitlet antecknade inte vilka datafiler det läste. Notebooken ska börja med "
                        "report = start_chapter(year, data_dir, draft, reads_log, lazy)",
                        notebook=notebook,
                        kept=False,
                    )
                ]
            )
        target = entry / EXECUTED
        (entry / MANIFEST).unlink(missing_ok=True)  # no valid entry while the new one is written
        os.replace(executed, target)
        clean_executed(target)
        reads = {}
        for path in recorded:
            try:
                name = path.relative_to(self.root).as_posix()
            except ValueError:
                continue  # outside the project: not a data file of this book
            reads[name] = file_hash(path)
        manifest = {
            "key": inputs.key(self.root, self.code),
            "reads": reads,
            "output": file_hash(target),
            "seconds": seconds,
        }
        temporary = entry / f".{MANIFEST}.tmp"
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, entry / MANIFEST)
        shutil.rmtree(entry / RUN_FOLDER, ignore_errors=True)
        return target

    def keep_failed(self, inputs: ChapterInputs, executed: Path) -> Path:
        """Keep a failed run's notebook for debugging; it is never reused."""
        entry = self.entry(inputs.name)
        (entry / MANIFEST).unlink(missing_ok=True)
        target = entry / FAILED
        if executed.exists():
            os.replace(executed, target)
        return target
