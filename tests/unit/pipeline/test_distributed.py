"""Choosing where tasks run (pipeline/books/executors.py): the local pool by default, Dask on request, and a
clear Swedish message for every way the Dask choice cannot work."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from rapportbok.cli import main
from rapportbok.exceptions import UsageError
from rapportbok.pipeline.books import executors as distributed
from rapportbok.pipeline.books.executors import check_workers, open_executor, worker_environment


def test_the_local_executor_is_the_default_pool() -> None:
    with open_executor() as executor:
        assert executor is None
    with open_executor("lokal", None, 4) as executor:
        assert executor is None


def test_a_scheduler_with_the_local_executor_is_refused() -> None:
    with (
        pytest.raises(UsageError, match="--scheduler gäller bara --executor dask"),
        open_executor("lokal", "tcp://127.0.0.1:8786"),
    ):
        pass


def test_an_unknown_executor_is_refused() -> None:
    with (
        pytest.raises(UsageError, match="--executor ska vara lokal eller dask, inte 'ray'"),
        open_executor("ray"),
    ):
        pass


def test_workers_and_a_scheduler_together_are_refused() -> None:
    with (
        pytest.raises(UsageError, match="Antalet arbetare bestäms av klustret"),
        open_executor("dask", "tcp://127.0.0.1:8786", 4),
    ):
        pass


def test_dask_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with (
        pytest.raises(UsageError, match=r"kräver Dask .*pip install 'dask\[distributed\]'"),
        open_executor("dask"),
    ):
        pass


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_named_with_what_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 2)
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(UsageError) as raised, open_executor(None, address):
        pass
    message = str(raised.value)
    assert f"Dask-schedulern på {address} svarar inte" in message
    assert "Kontrollera att adressen och porten stämmer" in message and "brandvägg" in message


@contextmanager
def _impostor(answer: bytes | None) -> Iterator[str]:
    """A server on 127.0.0.1 that accepts TCP and then stays silent (`answer` None), or reads and
    answers with `answer` (a web server) and closes; its address as tcp://127.0.0.1:<port>."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            if answer is not None:
                connection.settimeout(5)
                with suppress(OSError):
                    connection.recv(65536)
                    connection.sendall(answer)
                connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


HTTP_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>"


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (None, "svarar inte på Dasks handslag inom 1 s"),
        (HTTP_ANSWER, "där finns ingen Dask-scheduler"),
        (b"", "stängde förbindelsen under Dasks handslag"),  # accepts, reads, closes
    ],
    ids=["tyst", "webbserver", "stänger"],
)
def test_an_address_that_accepts_tcp_but_does_not_speak_dask_is_named_within_seconds(
    monkeypatch: pytest.MonkeyPatch, answer: bytes | None, said: str
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 1)
    monkeypatch.setattr(distributed, "HANDSHAKE_SECONDS", 1)
    with _impostor(answer) as address:
        finished = threading.Event()
        outcome: list[BaseException] = []

        def attempt() -> None:
            try:
                with open_executor(None, address):
                    pass
            except BaseException as error:
                outcome.append(error)
            finished.set()

        threading.Thread(target=attempt, daemon=True).start()
        assert finished.wait(60), "the handshake is not bounded"
    assert len(outcome) == 1 and isinstance(outcome[0], UsageError), outcome
    message = str(outcome[0])
    assert address in message and said in message, message
    assert "8786" in message
    assert "Timed out" not in message and "Traceback" not in message


def test_a_scheduler_address_of_an_unknown_kind_is_refused() -> None:
    pytest.importorskip("distributed")
    with (
        pytest.raises(UsageError, match="'foo://värd' är ingen adress till en Dask-scheduler"),
        open_executor("dask", "foo://värd"),
    ):
        pass


class FakeClient:
    """What check_workers asks a Dask client: its workers, and each worker's environment."""

    def __init__(self, found: dict[str, dict[str, Any]] | Exception) -> None:
        self.found = found

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {} if isinstance(self.found, dict) and not self.found else {"w": {}}}

    def run(self, function: Any, *args: Any) -> dict[str, dict[str, Any]]:
        if isinstance(self.found, Exception):
            raise self.found
        return self.found


def test_workers_like_this_process_pass(tmp_path: Path) -> None:
    same = worker_environment(str(tmp_path))
    check_workers(FakeClient({"tcp://10.0.0.2:40000": same}), tmp_path, "tcp://10.0.0.1:8786")


def test_a_worker_with_another_python_or_without_the_project_is_named(tmp_path: Path) -> None:
    theirs = {**worker_environment(str(tmp_path)), "python": "/opt/annan-miljo", "project": False}
    with pytest.raises(UsageError) as raised:
        check_workers(FakeClient({"tcp://10.0.0.2:40000": theirs}), tmp_path, "tcp://10.0.0.1:8786")
    message = str(raised.value)
    assert "Arbetaren tcp://10.0.0.2:40000 i klustret på tcp://10.0.0.1:8786 kan inte bygga" in message
    assert "Python-miljön /opt/annan-miljo i stället för" in message
    assert f"projektmappen {tmp_path.resolve()} finns inte där" in message
    assert "samma sökväg (en delad filyta)" in message


def test_workers_that_cannot_import_rapportbok_are_told_to_share_the_project(tmp_path: Path) -> None:
    client = FakeClient(Exception("ModuleNotFoundError(\"No module named 'rapportbok'\")"))
    with pytest.raises(UsageError, match=r"kan inte läsa in rapportbok .*No module named 'rapportbok'"):
        check_workers(client, tmp_path, "tcp://10.0.0.1:8786")


def test_a_cluster_without_workers_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"har inga arbetare .*dask worker tcp://10\.0\.0\.1:8786"):
        check_workers(FakeClient({}), tmp_path, "tcp://10.0.0.1:8786")


def test_the_cli_offers_the_executor_on_build_and_site(capsys: pytest.CaptureFixture) -> None:
    for command in ("build", "site"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        shown = capsys.readouterr().out
        assert "--executor {lokal,dask}" in shown and "--scheduler ADRESS" in shown


def test_the_cli_refuses_an_unknown_executor(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["build", "--year", "2024", "--executor", "ray"])
    assert raised.value.code == 2
    assert "ray" in capsys.readouterr().err
