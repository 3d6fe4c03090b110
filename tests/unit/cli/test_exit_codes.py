"""The `rapportbok` command's process ends with 130 when SIGTERM or Ctrl-C comes after its work is done
("Klart:" printed), however late, and never with −15 or a traceback (issue 24: −15 just after "Klart:")."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The command as its console script runs it (`sys.exit(main())`), with `later` run afterwards.
SCRIPT = """
import atexit, os, signal, sys, time
sys.argv = ["rapportbok", "check", "--year", "2024"]
from rapportbok.cli import main
code = main()
print("kommandot klart", code, flush=True)
{later}
sys.exit(code)
"""


def _run(project: Path, later: str) -> subprocess.CompletedProcess[str]:
    script = SCRIPT.format(later=textwrap.dedent(later))
    return subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_python_shuts_down_exits_130(project_copy: Path, signum: int) -> None:
    """The signal comes from an exit function (Dask's and others run there), long after "Klart"."""
    ran = _run(
        project_copy,
        f"atexit.register(lambda: (os.kill(os.getpid(), {int(signum)}), time.sleep(30), print('sov klart')))",
    )
    assert ran.returncode == 130, ran.stderr
    assert "kommandot klart 0" in ran.stdout and "är giltig" in ran.stdout
    assert "sov klart" not in ran.stdout  # it ended at once
    assert f"Avbrutet (signal {int(signum)}) efter att kommandot var klart." in ran.stderr
    assert "Traceback" not in ran.stderr and "Exception ignored" not in ran.stderr


def test_a_signal_while_threads_are_joined_exits_130(project_copy: Path) -> None:
    """A thread still running when the command returns: Python waits for it, and a SIGTERM then ends
    the process (130) instead of raising in the waiting code."""
    ran = _run(
        project_copy,
        """
        import threading
        def stop_later():
            time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)
        threading.Thread(target=stop_later).start()
        """,
    )
    assert ran.returncode == 130, ran.stderr
    assert "Traceback" not in ran.stderr and "Exception ignored" not in ran.stderr


def test_the_process_ends_before_pythons_teardown_where_a_signal_would_kill_it(project_copy: Path) -> None:
    """Python puts SIGTERM's default action back before it tears its modules down; a signal sent
    from that teardown killed the process (−15). The command's process ends before it, with its code."""
    ran = _run(
        project_copy,
        """
        class Late:
            def __del__(self):
                print("nedmontering", flush=True)
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
        sys.modules["rapportbok.cli"].late = Late()
        """,
    )
    assert ran.returncode == 0, ran.stderr
    assert "nedmontering" not in ran.stdout and "är giltig" in ran.stdout


def test_the_command_without_a_signal_keeps_its_exit_code(project_copy: Path) -> None:
    (project_copy / "data/kommunstyrelsekontoret/2024/drift.csv").write_text("fel\n", encoding="utf-8")
    ran = _run(project_copy, "")
    assert ran.returncode == 1 and "kommandot klart 1" in ran.stdout


def test_the_console_script_calls_main_without_arguments() -> None:
    """`run_as_process` applies to the installed command: its script calls `main()` with no argv."""
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'rapportbok = "rapportbok.cli:main"' in scripts
