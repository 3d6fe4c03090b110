"""A kernel started ahead (the preview's) is ended once its chapter has run, as a kernel papermill starts
itself is: a preview left running while the analyst saves data twenty times keeps the same processes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import nbformat
import psutil

from rapportbok.pipeline.processes.execute import ChapterJob, execute_chapter
from rapportbok.pipeline.processes.warm_kernels import WarmKernels


def _chapter(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import json\nprint(json.dumps(x + 1))"),
    ]
    path = folder / "kap.ipynb"
    nbformat.write(notebook, path)
    return path


def test_the_kernel_started_ahead_is_ended_after_its_chapter_ran(tmp_path: Path) -> None:
    source = _chapter(tmp_path)
    run_folder = tmp_path / "run"
    run_folder.mkdir()
    kernels = WarmKernels({})
    try:
        kernels.prepare("kap", run_folder, source)
        taken = kernels.take("kap")
        assert taken is not None, "the kernel started ahead is handed to the chapter"
        folder, manager = taken
        kernel = psutil.Process(manager.provisioner.pid)
        assert kernel.is_running()
        job = ChapterJob("kap", source, tmp_path / "out.ipynb", {"x": 41}, folder, kernel_manager=manager)
        result = execute_chapter(job)
        assert result.ok, result.error
        assert "42" in (tmp_path / "out.ipynb").read_text(encoding="utf-8")
        kernel.wait(timeout=30)  # raises psutil.TimeoutExpired while the kernel still runs
        assert not kernel.is_running()
    finally:
        kernels.close()


def _taken_once_started(kernels: WarmKernels, name: str, folder: Path, source: Path) -> tuple[Path, Any]:
    """The chapter's kernel started ahead (`take` gives None for one whose start has not begun yet)."""
    for _ in range(20):
        kernels.prepare(name, folder, source)
        time.sleep(0.5)  # the background thread begins the start
        taken = kernels.take(name)
        if taken is not None:
            return taken
    raise AssertionError("no kernel was started ahead")


def test_the_kernels_started_ahead_are_forked_from_one_zygote_that_ends_with_them(tmp_path: Path) -> None:
    """Every kernel the preview starts ahead is a child of one zygote (a fork, not a new Python), so a
    save costs no imports; closing ends the kernels and the zygote."""
    source = _chapter(tmp_path)
    kernels = WarmKernels({})
    started = []
    try:
        for name in ("en", "två"):
            run_folder = tmp_path / name
            run_folder.mkdir()
            taken = _taken_once_started(kernels, name, run_folder, source)
            started.append(psutil.Process(taken[1].provisioner.pid))
        kernels.prepare("nästa", tmp_path / "en", source)  # still starting when closed
        parents = {kernel.ppid() for kernel in started}
        assert len(parents) == 1, parents
        zygote = psutil.Process(parents.pop())
        assert "fork_server" in " ".join(zygote.cmdline())
    finally:
        kernels.close()
    zygote.wait(timeout=30)
    for kernel in started:
        kernel.wait(timeout=30)
