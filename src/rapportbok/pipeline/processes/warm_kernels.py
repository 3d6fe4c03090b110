"""Kernels started ahead of time for the live preview, as Quarto's preview keeps warm kernels.

A chapter run spends most of its time starting a kernel and importing pandas, matplotlib and the
package. While the analyst is writing, the preview starts one kernel per chapter in the chapter's fresh
run folder and imports the modules the notebook imports – silently: no cell is run, nothing is bound in
the notebook's namespace and the execution count stays at 0. When the chapter must run, papermill is
given that kernel (`km`), so the executed notebook is the same as with a new kernel (tested byte for
byte); only the waiting is shorter. Each kernel is used once and then ended, like the build's.

The kernels are forked from one zygote (`zygote`, as a build's chapters are) that imports those modules
once for the preview's lifetime, so a save costs a fork, not a Python start and its imports (about 2.5
CPU-seconds). The zygote ends with the kernels (`close`); a code change starts a new set of both.
Without a zygote (RAPPORTBOK_KERNELS=fresh, or one that cannot start) each kernel starts fresh.
"""

from __future__ import annotations

import ast
import json
import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rapportbok.pipeline.processes.zygote import Zygote

STARTUP_SECONDS = 120
LOG_LEVEL = "--IPKernelApp.log_level=CRITICAL"


def imported_modules(notebook: Path) -> list[str]:
    """The modules the notebook's code cells import, in order (nothing else of the code is run)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    found: dict[str, None] = {}
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else str(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.setdefault(node.module, None)
    return list(found)


def preload_code(modules: list[str]) -> str:
    """Code that imports `modules` without binding any name (a failed import is left to the notebook)."""
    lines = [
        f"try:\n    __import__('importlib').import_module({name!r})\nexcept Exception:\n    pass"
        for name in modules
    ]
    return "\n".join(lines)


class WarmKernels:
    """One kernel started ahead per chapter, taken by the chapter's next run."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapportbok-preview-kernels")
        self._kernels: dict[str, tuple[Path, int, Future[Any]]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._zygote: Zygote | None = None  # started with the first kernel
        self._zygote_tried = False  # once: a zygote that cannot start means fresh kernels

    def _zygote_for(self, notebook: Path) -> Zygote | None:
        """The zygote the kernels are forked from (started now for the first chapter's imports)."""
        from rapportbok.pipeline.processes.zygote import Zygote, forking_enabled

        if not self._zygote_tried:
            self._zygote_tried = True
            if forking_enabled():
                with suppress(OSError):
                    self._zygote = Zygote(self.environment, [notebook])
        return self._zygote

    def prepare(self, name: str, run_folder: Path, notebook: Path) -> None:
        """Start a kernel for chapter `name` in `run_folder` (a fresh one, kept for it) in the background."""
        with self._lock:
            if self._closed or name in self._kernels:
                return
            zygote = self._zygote_for(notebook)
            self._kernels[name] = (
                run_folder,
                run_folder.stat().st_ino,  # the kernel's working folder: the very one, not a new one
                self._pool.submit(self._start, run_folder, imported_modules(notebook), zygote),
            )

    def has(self, name: str) -> bool:
        with self._lock:
            return name in self._kernels

    def take(self, name: str) -> tuple[Path, Any] | None:
        """(run folder, kernel manager) of the chapter's warm kernel, or None (then a new one is started)."""
        with self._lock:
            prepared = self._kernels.pop(name, None)
        if prepared is None:
            return None
        folder, inode, future = prepared
        if future.cancel():
            return None  # not started yet: starting one now is as quick as waiting for the queue
        try:
            manager = future.result(timeout=STARTUP_SECONDS)
        except Exception:
            return None
        from jupyter_core.utils import run_sync

        same_folder = folder.is_dir() and folder.stat().st_ino == inode
        if not same_folder or not run_sync(manager.is_alive)():
            _shut_down(manager)
            return None
        return folder, manager

    def _start(self, folder: Path, modules: list[str], zygote: Zygote | None) -> Any:
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        from rapportbok.pipeline.processes.execute import KERNEL_NAME, kernel_uses_this_python
        from rapportbok.pipeline.processes.kernels import BuildKernelManager

        kernel_uses_this_python()
        manager = BuildKernelManager(
            kernel_name=KERNEL_NAME,
            config=Config({"BuildKernelManager": {"marker": self.environment, "zygote": zygote}}),
        )
        with self._lock:
            if self._closed:
                raise RuntimeError("closed")
            run_sync(manager.start_kernel)(extra_arguments=[LOG_LEVEL], cwd=str(folder))
        client = manager.client()
        client.start_channels()
        try:
            run_sync(client.wait_for_ready)(timeout=STARTUP_SECONDS)
            reply = client.execute(preload_code(modules), silent=True, store_history=False)
            deadline = time.monotonic() + STARTUP_SECONDS
            while not self._closed and time.monotonic() < deadline:
                try:
                    message = run_sync(client.get_iopub_msg)(timeout=1)
                except queue.Empty:
                    if not run_sync(manager.is_alive)():
                        break
                    continue
                if (
                    message["parent_header"].get("msg_id") == reply
                    and message["msg_type"] == "status"
                    and message["content"]["execution_state"] == "idle"
                ):
                    break
        finally:
            client.stop_channels()
        return manager

    def close(self) -> None:
        """End every kernel started ahead (also those still starting)."""
        with self._lock:
            self._closed = True
            prepared, self._kernels = list(self._kernels.values()), {}
        self._pool.shutdown(wait=False, cancel_futures=True)  # a kernel being started sees `_closed`
        for _, _, future in prepared:
            if future.done() and not future.cancelled() and future.exception() is None:
                _shut_down(future.result())
        if self._zygote is not None:
            self._zygote.close()  # a kernel still starting ends with it


def _shut_down(manager: Any) -> None:
    from rapportbok.pipeline.processes.kernels import end_kernel

    end_kernel(manager)
