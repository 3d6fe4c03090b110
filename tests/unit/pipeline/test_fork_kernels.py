"""Chapter kernels forked from the build's zygote: the same executed notebook as a fresh kernel, no state
carried from one chapter to the next, and no process left behind however the kernel or the build ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import nbformat
import psutil
import pytest

from rapportbok.pipeline.inputs.notebooks import clean_executed
from rapportbok.pipeline.processes.execute import ChapterJob, execute_chapter, run_chapters
from rapportbok.pipeline.processes.owned import BuildProcesses, marked_processes
from rapportbok.pipeline.processes.zygote import _STARTED_AHEAD, Zygote, started_ahead
from tests.unit.pipeline.gone import gone

FIGURE_AND_TABLE = [
    # `_ =`: write_text returns the length, which would be shown and differ with the digits of the pids
    "import os\nfrom pathlib import Path\n_ = Path('kernel.json').write_text("
    "__import__('json').dumps({'pid': os.getpid(), 'ppid': os.getppid()}))",
    "import matplotlib.pyplot as plt\nimport pandas as pd\nimport numpy as np\n"
    "fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([1, 3, 2])\nplt.show()",
    "pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})",
    "import sys\nprint(Path(sys.argv[0]).name, sys.argv[3:], sys.path[0], os.environ.get('MPLBACKEND'))\n"
    "print(os.getcwd() == str(Path('.').resolve()), np.random.default_rng(1).integers(0, 9, 3))",
    # a chart as a chapter draws it (the zygote drew one of its own first: views/warm_up.py)
    "from rapportbok.views.charts import figure_html, line_chart\n"
    "figure_html(line_chart(['jan', 'feb'], {'a': [1.0, 2.5]}, value_label='mnkr'), alt='a', caption='b')",
]


def _notebook(path: Path, cells: list[str]) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, id=f"cell-{n}") for n, source in enumerate(cells)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _job(tmp_path: Path, name: str, cells: list[str], zygote: Zygote | None, **extra: object) -> ChapterJob:
    cwd = tmp_path / name / "run"
    cwd.mkdir(parents=True)
    return ChapterJob(
        name=name,
        source=_notebook(tmp_path / name / "source.ipynb", cells),
        output=cwd / "executed.ipynb",
        parameters={},
        cwd=cwd,
        environment={"RAPPORTBOK_TEST_MARK": name},
        zygote=zygote,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    imports = [
        "import pandas, numpy\nimport matplotlib.pyplot as plt\nfrom IPython.display import HTML\n"
        "import rapportbok.views.charts"  # the zygote warms up as a build's does
    ]
    started = Zygote({}, [_notebook(tmp_path_factory.mktemp("zygote") / "imports.ipynb", imports)])
    yield started
    started.close()
    assert started.process.poll() is not None


def _published(job: ChapterJob) -> bytes:
    """The executed notebook as the build keeps it (without papermill's timings and paths)."""
    clean_executed(job.output)
    return job.output.read_bytes()


def _counted_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where papermill's execution manager writes the notebook while a chapter runs (papermill writes
    it once more itself when the run is over)."""
    import papermill.engines

    writes: list[str] = []
    write = papermill.engines.write_ipynb

    def counted(notebook: object, path: str) -> None:
        writes.append(path)
        write(notebook, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counted)
    return writes


def _ran(job: ChapterJob) -> list[int | None]:
    """The execution count of each cell in the notebook kept after the run."""
    return [cell.get("execution_count") for cell in nbformat.read(job.output, as_version=4).cells]


def _kernel(job: ChapterJob) -> dict[str, int]:
    return json.loads((job.cwd / "kernel.json").read_text(encoding="utf-8"))


def test_a_forked_kernel_writes_the_same_notebook_bytes_as_a_fresh_one(
    tmp_path: Path, zygote: Zygote, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A figure (inline backend), a DataFrame's HTML, argv, sys.path, the backend and a seeded generator:
    the executed notebooks are byte-identical, and the forked kernel really is the zygote's child.
    Each is written when its run ends, not at every cell (papermill's engine: 2 writes a cell)."""
    writes = _counted_writes(monkeypatch)
    forked = _job(tmp_path / "forked", "chapter", FIGURE_AND_TABLE, zygote)
    fresh = _job(tmp_path / "fresh", "chapter", FIGURE_AND_TABLE, None)
    assert execute_chapter(forked).ok
    assert execute_chapter(fresh).ok
    assert writes == [str(forked.output), str(fresh.output)]
    assert _kernel(forked)["ppid"] == zygote.process.pid
    assert _kernel(fresh)["ppid"] == os.getpid()
    assert "image/png" in forked.output.read_text(encoding="utf-8")
    assert "data:image/svg+xml" in forked.output.read_text(encoding="utf-8")
    assert _published(forked) == _published(fresh)


def test_a_module_global_changed_by_one_chapter_does_not_reach_the_next(
    tmp_path: Path, zygote: Zygote
) -> None:
    """rcParams and pandas options set by one chapter are not seen by the next one forked after it."""
    changing = _job(
        tmp_path,
        "changing",
        [
            "import matplotlib as mpl, pandas as pd\nmpl.rcParams['figure.dpi'] = 17\n"
            "pd.set_option('display.max_rows', 3)\nimport json\njson.SHARED = 1"
        ],
        zygote,
    )
    reading = [
        "import matplotlib as mpl, pandas as pd, json\n"
        "print(mpl.rcParams['figure.dpi'], pd.get_option('display.max_rows'), hasattr(json, 'SHARED'))"
    ]
    assert execute_chapter(changing).ok
    after = _job(tmp_path, "after", reading, zygote)
    fresh = _job(tmp_path / "fresh", "after", reading, None)
    assert execute_chapter(after).ok and execute_chapter(fresh).ok
    published = _published(after)
    assert b"17" not in published and b"True" not in published
    assert published == _published(fresh)


def test_a_forked_kernel_stopped_by_the_timeout_ends_and_leaves_no_process(
    tmp_path: Path, zygote: Zygote
) -> None:
    job = _job(tmp_path, "slow", [FIGURE_AND_TABLE[0], "import time\ntime.sleep(600)"], zygote, timeout=2)
    result = execute_chapter(job)
    assert result.error is not None and "tidsgränsen 2 s" in result.error
    assert gone(_kernel(job)["pid"], within=30)
    assert _ran(job)[0] == 1  # the notebook kept for the analyst shows the cell that ran


def test_a_forked_kernel_that_dies_is_reported_and_leaves_no_process(tmp_path: Path, zygote: Zygote) -> None:
    job = _job(
        tmp_path,
        "dies",
        [FIGURE_AND_TABLE[0], "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"],
        zygote,
    )
    result = execute_chapter(job)
    assert not result.ok and result.cell is None
    assert gone(_kernel(job)["pid"], within=30)
    assert _ran(job)[0] == 1
    assert zygote.process.poll() is None  # the zygote serves the next chapter
    assert execute_chapter(_job(tmp_path, "next", [FIGURE_AND_TABLE[0]], zygote)).ok


BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rapportbok.pipeline.processes.execute import ChapterJob, run_chapters
    import nbformat
    folder = Path(sys.argv[1])
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import os\\nopen('kernel.pid', 'w').write(str(os.getpid()))\\nimport time\\ntime.sleep(600)")]
    nbformat.write(notebook, folder / "slow.ipynb")
    jobs = []
    for name in ("one", "two"):
        (folder / name).mkdir()
        jobs.append(ChapterJob(name, folder / "slow.ipynb", folder / name / "out.ipynb", {}, folder / name,
                               environment={"RAPPORTBOK_BUILD": sys.argv[2]}))
    run_chapters(jobs, max_workers=2)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_the_zygote_and_its_kernels_end_with_the_build(tmp_path: Path, signum: int) -> None:
    """Ctrl-C (run_chapters' cleanup closes the zygote) or SIGKILL (no cleanup: the zygote dies with the
    build, each kernel with the zygote) of a build whose chapters run in forked kernels: nothing with
    the build's marker is left. (SIGTERM without a handler ends a process as SIGKILL does; the CLI's
    SIGTERM handling is tested end to end in tests/e2e/test_trust.py.)"""
    processes = BuildProcesses()
    build = subprocess.Popen([sys.executable, "-c", BUILD, str(tmp_path), processes.build_id])
    pid_file = tmp_path / "one" / "kernel.pid"
    deadline = time.monotonic() + 120
    while not (pid_file.exists() and pid_file.read_text().strip()):
        assert build.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    kernel = psutil.Process(int(pid_file.read_text()))
    zygote = kernel.parent()
    assert zygote.pid != build.pid  # forked from the zygote, not started by the build
    assert "ipykernel_launcher" in " ".join(kernel.cmdline())  # what `ps` (and the e2e tests) look for
    assert "ipykernel" not in " ".join(zygote.cmdline())
    build.send_signal(signum)
    build.wait(timeout=60)
    assert gone(kernel.pid, within=30)
    deadline = time.monotonic() + 30
    while marked_processes(processes.build_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marked_processes(processes.build_id) == []


def test_run_chapters_forks_from_one_zygote_and_ends_it(tmp_path: Path) -> None:
    jobs = [_job(tmp_path, name, [FIGURE_AND_TABLE[0]], None) for name in ("one", "two")]
    results = run_chapters(jobs, max_workers=2)
    assert all(result.ok for result in results)
    parents = {_kernel(job)["ppid"] for job in jobs}
    assert len(parents) == 1 and os.getpid() not in parents
    assert gone(parents.pop(), within=30)


def test_fresh_kernels_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORTBOK_KERNELS", "fresh")
    jobs = [replace(_job(tmp_path, "one", [FIGURE_AND_TABLE[0]], None))]
    assert run_chapters(jobs, max_workers=1)[0].ok
    assert _kernel(jobs[0])["ppid"] == os.getpid()


def test_a_zygote_started_ahead_is_taken_by_the_chapters_or_ended(tmp_path: Path) -> None:
    """The build starts the zygote while it checks its inputs: the chapter run forks from that one; a
    build that stops before its chapters run (a failed check) ends it."""
    jobs = [_job(tmp_path, name, [FIGURE_AND_TABLE[0]], None) for name in ("one", "two")]
    marker = jobs[0].environment
    with started_ahead(marker, [job.source for job in jobs]):
        ahead = _STARTED_AHEAD[json.dumps(marker, sort_keys=True)]
        assert all(result.ok for result in run_chapters(jobs, max_workers=2))
    assert {_kernel(job)["ppid"] for job in jobs} == {ahead.process.pid}
    assert ahead.process.poll() is not None
    with pytest.raises(ValueError), started_ahead(marker, [job.source for job in jobs]):
        unused = _STARTED_AHEAD[json.dumps(marker, sort_keys=True)]
        raise ValueError("a check failed")
    assert unused.process.poll() is not None and _STARTED_AHEAD == {}
