"""Which data files a chapter reads, recorded while it runs inside `rapportbok build`.

The build gives each chapter's kernel a working folder holding an empty `.rapportbok-reads` file;
every data file the chapter then reads is appended to it. Outside a build (an analyst's notebook,
nbval) there is no such file and nothing is recorded.
"""

from __future__ import annotations

from pathlib import Path

READS_FILE = ".rapportbok-reads"


def record_read(path: Path) -> None:
    """Note that the running chapter read `path` (also when it does not exist)."""
    log = Path.cwd() / READS_FILE
    if log.is_file():
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{path.resolve()}\n")


def recorded_reads(folder: Path) -> list[Path]:
    """The files recorded in `folder`, in first-read order, without repeats."""
    log = folder / READS_FILE
    seen: dict[str, None] = {}
    for line in log.read_text(encoding="utf-8").splitlines() if log.is_file() else []:
        if line.strip():
            seen.setdefault(line.strip(), None)
    return [Path(line) for line in seen]
