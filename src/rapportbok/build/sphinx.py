"""Run Jupyter Book 1.x on book/ (notebooks already executed: execute_notebooks is off)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from rapportbok.exceptions import SiteBuildError

LOG_TAIL_LINES = 30
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


def build_html(root: Path, source: Path, config: Path, work_dir: Path, source_date_epoch: int) -> Path:
    """Build the HTML site from `source` into `work_dir/_build/html` and return that folder.

    `work_dir` is kept between builds, so Sphinx reuses what has not changed; when only the theme's
    or book/_static's files changed, every page is written again so that they are copied.
    """
    stamp = work_dir / ASSET_STAMP
    assets = _assets_hash(source)
    assets_changed = not stamp.is_file() or stamp.read_text(encoding="utf-8") != assets
    command = [
        sys.executable,
        "-c",
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
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)}  # dates from the data, not the clock
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, env=env)
    log = work_dir / "jupyter-book.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    html = work_dir / "_build" / "html"
    if completed.returncode != 0 or not (html / "index.html").is_file():
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-LOG_TAIL_LINES:])
        raise SiteBuildError(f"Jupyter Book kunde inte bygga webbplatsen (logg: {log}):\n{tail}")
    stamp.write_text(assets, encoding="utf-8")
    return html
