"""`rapportbok …` for the tests, forked from a warm process instead of started cold.

A cold `python -m rapportbok.cli …` spends about 1.5 processor-seconds before it does the command's work:
importing pandas, Frictionless, papermill and the package, and warming what the first check of a year
loads lazily (`rapportbok check`: 2.0 processor-seconds cold, 0.5 warm; benchmarks/warm_command.py). The
e2e tests run the command some 50 times. Here each test process keeps one server (`WarmCommand`) that
has imported those modules and checked a copy of the project's 2024 once, and forks every command from
that state. The command then runs in its own process, as `python -m rapportbok.cli` does:
the test's arguments, working folder and environment exactly (`sys.argv`, `sys.path[0]`, `os.environ`),
stdin from /dev/null, stdout and stderr to the test's files, Python's default signal handling, and the
interpreter's normal exit (threads joined, exit functions, the command's own `run_as_process` exit code).

What a forked command cannot show is how the process starts: which modules it imports, how long its
imports take, how it is started. Tests about that start the command with `subprocess` themselves (e.g.
test_incremental's import log, tests/unit/cli/test_exit_codes.py). RAPPORTBOK_TEST_COLD=1 runs every
command cold (to compare, or to rule the server out).

Protocol: a SOCK_SEQPACKET socket pair; the test sends one JSON request (argv, cwd, env) with the two
file descriptors for stdout and stderr; the server forks, waits for the command and answers
{"code": exit code}. One command at a time per server (a lock in the test process).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from rapportbok.pipeline.processes.owned import child_command

ROOT = Path(__file__).resolve().parents[1]
COLD_SETTING = "RAPPORTBOK_TEST_COLD"
# What `build`, `site`, `check` and `new-year` import in the command's own process (`python -X importtime`
# of a one-chapter build), beyond what the warm-up check imports itself.
WARM_MODULES = (
    "rapportbok.cli",
    "rapportbok.pipeline.rebuild",
    "rapportbok.pipeline.books.many",
    "rapportbok.pipeline.books.site",
    "rapportbok.authoring.new_year",
    "rapportbok.pdf.verify",
    "papermill",
    "IPython.paths",
)
MESSAGE_BYTES = 1 << 20
SERVE = "import sys\nfrom tests.warm_command import serve\nserve(int(sys.argv[1]))\n"


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m rapportbok.cli *argv` in `cwd` (forked warm unless RAPPORTBOK_TEST_COLD is set), with its
    output as text, as `subprocess.run(..., capture_output=True, text=True)` gives it."""
    environment = dict(os.environ if env is None else env)
    command = [sys.executable, "-m", "rapportbok.cli", *argv]
    if os.environ.get(COLD_SETTING):
        return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    return server().run(command, argv, cwd, environment)


class WarmCommand:
    """The test process's side of one server: start it, run commands through it, end it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                child_command(SERVE, str(theirs.fileno())),  # dies with the test process
                cwd=ROOT,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        self._socket = ours
        self._lock = threading.Lock()

    def run(
        self, command: list[str], argv: list[str], cwd: Path, env: dict[str, str]
    ) -> subprocess.CompletedProcess:
        request = {"argv": argv, "cwd": os.path.abspath(cwd), "env": env}
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, self._lock:
            socket.send_fds(self._socket, [json.dumps(request).encode()], [out.fileno(), err.fileno()])
            reply = self._socket.recv(MESSAGE_BYTES)
            if not reply:
                raise RuntimeError(f"the warm rapportbok server ended (exit {self.process.poll()})")
            code = json.loads(reply)["code"]
            return subprocess.CompletedProcess(command, code, _text(out), _text(err))

    def close(self) -> None:
        self._socket.close()  # the server ends when its socket closes
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_SERVER: WarmCommand | None = None
_SERVER_LOCK = threading.Lock()


def server() -> WarmCommand:
    """This test process's server (started on first use, and again if it ended)."""
    global _SERVER
    with _SERVER_LOCK:
        if _SERVER is None or _SERVER.process.poll() is not None:
            _SERVER = WarmCommand()
            atexit.register(_SERVER.close)
        return _SERVER


def _text(stream: Any) -> str:
    stream.seek(0)
    return stream.read().decode("utf-8", errors="replace")


def serve(fd: int) -> None:
    """The server: warm up, then fork a command for every request until the socket closes. A forked
    child leaves through the command's SystemExit, so its interpreter ends as `python -m rapportbok.cli`
    does. The server dies with the test process and on Ctrl-C (`child_command`)."""
    connection = socket.socket(fileno=fd)
    _warm_up()
    if threading.active_count() != 1:  # a fork would copy a thread's locks in whatever state they are
        raise RuntimeError(f"the warm-up left threads running: {threading.enumerate()}")
    while True:
        message, fds, _, _ = socket.recv_fds(connection, MESSAGE_BYTES, 2)
        if not message:
            return
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            connection.close()
            _run_command(request, fds)  # never returns: the interpreter exits with the command's code
        for descriptor in fds:
            os.close(descriptor)
        _, status = os.waitpid(pid, 0)
        connection.send(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode())


def _warm_up() -> None:
    """Import what the commands import and check the project's 2024 once, in a copy: a check takes the
    data's lock, whose file a test copying the project at that moment would copy too."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    from rapportbok.cli import main
    from tests.conftest import copy_project

    with (
        tempfile.TemporaryDirectory() as folder,
        open(os.devnull, "w", encoding="utf-8") as nowhere,
        contextlib.redirect_stdout(nowhere),
        contextlib.redirect_stderr(nowhere),
    ):
        project = copy_project(Path(folder) / "project")
        os.chdir(project)
        try:
            main(["check", "--year", "2024"])
        finally:
            os.chdir(ROOT)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the check's command set its own handler


def _run_command(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: become `python -m rapportbok.cli` with the request's argv, folder and
    environment, and exit as that process would."""
    output, errors = fds
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(output, 1)
    os.dup2(errors, 2)
    for descriptor in (null, output, errors):
        os.close(descriptor)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import rapportbok.cli

    sys.argv = [rapportbok.cli.__file__, *request["argv"]]
    sys.path[0] = request["cwd"]  # as `python -m` puts the working folder first
    if "numpy" in sys.modules:  # a fresh process seeds it from the OS; the server's would be shared
        sys.modules["numpy"].random.seed()
    sys.exit(rapportbok.cli.main())  # through the interpreter's own exit, as `python -m rapportbok.cli`
