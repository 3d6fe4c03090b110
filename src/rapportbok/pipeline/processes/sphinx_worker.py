"""A warm Jupyter Book for the live preview: one child process that imports Sphinx, MyST-NB and Jupyter
Book once and then builds on request. A fresh `jupyter-book build` spends about two seconds importing
before it reads the one changed page; the warm process rebuilds that page in a few tenths of a second.

It runs the very command a build runs (`jupyter_book.cli.main` with the same arguments, see
`build.sphinx.build_html`), so the pages are the same. It is a child of the preview like the build's
Sphinx: it carries the preview's id (`processes`), dies with it, and is ended with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout, suppress
from pathlib import Path
from typing import Any

from rapportbok.pipeline.processes.owned import BuildProcesses, child_command, end_group
from rapportbok.pipeline.processes.sphinx import Runner

SERVE = "from rapportbok.pipeline.processes.sphinx_worker import serve; serve()"


class WarmSphinx:
    """The preview's Jupyter Book process, started on first use and restarted when the code changed."""

    def __init__(self, root: Path, processes: BuildProcesses) -> None:
        self.root = root
        self.processes = processes
        self._process: subprocess.Popen[str] | None = None
        self._code: str | None = None

    def runner(self, code: str) -> Runner:
        """A `build_html` runner for the package's code `code` (a new one restarts the process: the
        theme's or the package's Python may have changed)."""
        if code != self._code:
            self.close()
            self._code = code
        return self.run

    def run(self, arguments: list[str], extra: dict[str, str], log: Path) -> tuple[int, str]:
        """Build once with Jupyter Book's `arguments`; returns the exit code and what it printed."""
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        log.parent.mkdir(parents=True, exist_ok=True)
        request = {"arguments": arguments, "environment": extra, "log": str(log)}
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            reply = process.stdout.readline()
        except (BrokenPipeError, OSError):
            reply = ""
        printed = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
        if not reply:  # the process died (killed, out of memory): the next build starts a new one
            self.close()
            return 1, printed + "\nJupyter Book-processen avslutades oväntat."
        return int(json.loads(reply)["code"]), printed

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                child_command(SERVE),
                cwd=self.root,
                env=self.processes.child_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                start_new_session=True,  # Ctrl-C reaches the preview, which ends this process
            )
        return self._process

    def close(self) -> None:
        """End the process (and anything it started)."""
        if self._process is not None:
            with suppress(OSError):
                if self._process.stdin is not None:
                    self._process.stdin.close()
            end_group(self._process)
            with suppress(OSError):
                if self._process.stdout is not None:
                    self._process.stdout.close()
            self._process = None


def serve() -> None:
    """The child's loop: one JSON request a line on stdin, one JSON reply a line on stdout."""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever writes to the standard output directly cannot garble the replies
    from jupyter_book.cli.main import main

    for line in sys.stdin:
        request = json.loads(line)
        os.environ.update(request["environment"])
        with (
            open(request["log"], "w", encoding="utf-8") as log,
            redirect_stdout(log),
            redirect_stderr(log),
        ):
            code = _build(main, request["arguments"])
        replies.write(json.dumps({"code": code}) + "\n")
        replies.flush()


def _build(main: Any, arguments: list[str]) -> int:
    try:
        main(arguments, standalone_mode=False)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except Exception:
        traceback.print_exc()
        return 1
    return 0
