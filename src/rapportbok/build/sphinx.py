"""Run Jupyter Book 1.x on book/ (notebooks already executed: execute_notebooks is off)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rapportbok.build.processes import BuildProcesses, child_command, run_child
from rapportbok.core.paths import display_path
from rapportbok.exceptions import SiteBuildError

LOG_TAIL_LINES = 30
COLOURS = re.compile(r"\x1b\[[0-9;]*m")
DISK_FULL = ("[Errno 28]", "No space left on device")
# Stylesheets, scripts and templates of the theme and book/_static: Sphinx copies them only when it
# writes a page, so a change to them alone makes it write every page (one stamp per work folder).
ASSET_FOLDERS = ("_static", "_themes", "_templates")
ASSET_STAMP = "assets.sha256"


def _assets_hash(source: Path) -> str:
    digest = hashlib.sha256()
    for folder in ASSET_FOLDERS:
        for path in sorted((source / folder).rglob("*")) if (source / folder).is_dir() else []:
            if path.is_file():
                digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_html(
    root: Path,
    source: Path,
    config: Path,
    work_dir: Path,
    source_date_epoch: int,
    processes: BuildProcesses,
) -> Path:
    """Build the HTML site from `source` into `work_dir/_build/html` and return that folder.

    `work_dir` is kept between builds, so Sphinx reuses what has not changed; when only the theme's
    or book/_static's files changed, every page is written again so that they are copied. Sphinx runs
    as a child of the build (`processes`): it ends with the build, also when the build is interrupted.
    """
    stamp = work_dir / ASSET_STAMP
    assets = _assets_hash(source)
    assets_changed = not stamp.is_file() or stamp.read_text(encoding="utf-8") != assets
    command = child_command(
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(source.resolve()),
        "--config",
        str(config.resolve()),
        "--toc",
        str((root / "_toc.yml").resolve()),
        "--path-output",
        str(work_dir.resolve()),
        "--builder",
        "html",
        *(["--all"] if assets_changed else []),
    )
    # Dates come from the data, not the clock.
    env = processes.child_environment({"SOURCE_DATE_EPOCH": str(source_date_epoch)})
    log = work_dir / "jupyter-book.log"
    completed = run_child(command, cwd=root, env=env, log=log)
    html = work_dir / "_build" / "html"
    if completed.returncode != 0 or not (html / "index.html").is_file():
        output = COLOURS.sub("", completed.stdout)
        shown = display_path(log, root)
        if any(sign in output for sign in DISK_FULL):
            raise SiteBuildError(
                f"Jupyter Book kunde inte bygga webbplatsen: disken är full där bygget skriver "
                f"({display_path(work_dir, root)}). Frigör utrymme och bygg igen (logg: {shown}).",
                log=shown,
            )
        tail = "\n".join(output.splitlines()[-LOG_TAIL_LINES:])
        raise SiteBuildError(f"Jupyter Book kunde inte bygga webbplatsen (logg: {shown}):\n{tail}", log=shown)
    stamp.write_text(assets, encoding="utf-8")
    return html
