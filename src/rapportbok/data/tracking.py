"""Which data files a chapter reads, recorded while it runs inside `rapportbok build`.

The build hands each chapter notebook the parameter `reads_log`: the file where the chapter notes every
data file it reads (tables, rapport.yml, texts). `start_chapter` turns it into a `ReadRecorder` that the
chapter's `Report` carries, and everything that reads data for that report calls `record`. Outside a
build (an analyst's notebook, nbval, `check`) the recorder records nothing.
"""

from __future__ import annotations

from pathlib import Path


class ReadRecorder:
    """Notes the files a chapter reads in `log`, one absolute path a line; with no log it notes nothing."""

    def __init__(self, log: str | Path | None = None) -> None:
        self.log = None if log is None else Path(log)
        if self.log is not None:
            # Created at once: a log that is missing after the chapter ran means it never started recording.
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self.log.touch()

    @property
    def active(self) -> bool:
        return self.log is not None

    def record(self, path: Path) -> None:
        """Note that the chapter read `path` (also when it does not exist: creating it is a change)."""
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as handle:
                handle.write(f"{path.resolve()}\n")

    def __repr__(self) -> str:
        return f"ReadRecorder({self.log!r})"


NO_RECORDING = ReadRecorder()


def recorded_reads(log: Path) -> list[Path] | None:
    """The files recorded in `log`, in first-read order, without repeats; None if nothing was recorded."""
    if not log.is_file():
        return None
    seen: dict[str, None] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.strip():
            seen.setdefault(line.strip(), None)
    return [Path(line) for line in seen]
