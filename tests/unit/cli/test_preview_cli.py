"""`rapportbok preview` refuses a port it cannot use with a Swedish message, before building anything."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from rapportbok.cli import main


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_port_that_is_not_a_port_is_refused(
    in_project: Path, port: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["preview", "--year", "2024", "--port", port]) == 1
    assert "--port" in capsys.readouterr().err
    assert not (in_project / "_build").exists()


def test_a_port_in_use_is_named_and_nothing_is_built(in_project: Path, capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["preview", "--year", "2024", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"Porten {port} kan inte användas" in err and "--port" in err
    preview = in_project / "_build/kommunstyrelsekontoret/2024/.preview"
    assert not (preview / ".running.json").exists() and not (preview / ".cache").exists()
    assert not (in_project / "_build/kommunstyrelsekontoret/2024/html").exists()
