"""A kernel started ahead (the preview's) is ended once its chapter has run, as a kernel papermill starts
itself is: a preview left running while the analyst saves data twenty times keeps the same processes."""

from __future__ import annotations

from pathlib import Path

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
