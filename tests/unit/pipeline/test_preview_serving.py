"""What the preview serves: the last good pages (a mirror written file by file), a Swedish error page
naming file, row and column instead of pages while a rebuild has failed, with every value escaped;
and only to this computer's names (`Host`), its reload endpoints only to its own pages (`Origin`)."""

from __future__ import annotations

import asyncio
import base64
import http.client
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.ioloop import IOLoop

from rapportbok.exceptions import ChapterError, ChapterFailure, DataError, Problem
from rapportbok.pipeline.preview.builder import mirror
from rapportbok.pipeline.preview.pages import LAST_GOOD, error_page
from rapportbok.pipeline.preview.server import HOST, PreviewServer, PreviewState, RebuildSignal


def _error() -> DataError:
    return DataError(
        [
            Problem(
                "data/kommunstyrelsekontoret/2024/sjukfranvaro.csv",
                '"<script>alert(1)</script>" är inte giltigt',
                3,
                "procent",
            )
        ]
    )


def test_the_error_page_names_file_row_and_column_and_escapes_the_value() -> None:
    page = error_page(_error(), last_good=True)
    assert '<html lang="sv">' in page
    assert "<td>data/kommunstyrelsekontoret/2024/sjukfranvaro.csv</td><td>3</td><td>procent</td>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'href="?{LAST_GOOD}"' in page
    assert "Boken kan inte byggas" in page and "</head>" in page  # livereload's script goes before </head>


def test_an_error_without_a_place_is_shown_as_its_message() -> None:
    page = error_page(ChapterError([ChapterFailure("ekonomi", "cell 3: <b>")]), last_good=False)
    assert "<pre>Kapitlet ekonomi misslyckades: cell 3: &lt;b&gt;</pre>" in page
    assert f"?{LAST_GOOD}" not in page and "Ingen version av boken har byggts ännu." in page


def test_pages_are_replaced_by_the_error_page_but_assets_are_not(tmp_path: Path) -> None:
    state = PreviewState(tmp_path)
    assert "Förhandsvisningen byggs" in (state.page_instead("", last_good=False) or "")
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    assert state.page_instead("chapters/ekonomi.html", last_good=False) is None
    state.set_error(_error())
    assert "Boken kan inte byggas" in (state.page_instead("chapters/ekonomi.html", last_good=False) or "")
    assert "Boken kan inte byggas" in (state.page_instead("", last_good=False) or "")
    assert state.page_instead("chapters/ekonomi.html", last_good=True) is None
    assert state.page_instead("_static/rapportbok.css", last_good=False) is None
    state.set_error(None)
    assert state.page_instead("chapters/ekonomi.html", last_good=False) is None


def test_the_mirror_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    source, target = tmp_path / "html", tmp_path / "served"
    (source / "chapters").mkdir(parents=True)
    (source / "index.html").write_text("start", encoding="utf-8")
    (source / "chapters/ekonomi.html").write_text("ekonomi", encoding="utf-8")
    mirror(source, target)
    kept = (target / "index.html").stat().st_mtime_ns
    (source / "chapters/ekonomi.html").unlink()
    (source / "chapters/arbetsgivare.html").write_text("arbetsgivare", encoding="utf-8")
    mirror(source, target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "chapters/arbetsgivare.html",
        "index.html",
    ]
    assert (target / "index.html").stat().st_mtime_ns == kept
    assert not list(target.rglob(".*.tmp"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """A preview server on 127.0.0.1 (a free port) serving one built page, in its own thread and loop."""
    (tmp_path / "index.html").write_text("<html><head></head><body>utkast</body></html>", encoding="utf-8")
    started: dict[str, Any] = {}
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = PreviewServer(PreviewState(tmp_path), RebuildSignal())
        server.listen(0)
        started.update(port=server.port, loop=IOLoop.current())
        ready.set()
        IOLoop.current().start()
        IOLoop.current().close(all_fds=True)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield started["port"]
    started["loop"].add_callback(started["loop"].stop)
    thread.join(10)


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def _handshake(port: int, headers: dict[str, str]) -> str:
    """The status line the server answers a websocket handshake on /livereload with (written by hand)."""
    lines = [
        "GET /livereload HTTP/1.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(b'rapportbok-test!').decode()}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(1024)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def test_the_draft_is_served_to_this_computers_names_with_the_port(served: int) -> None:
    for host in (f"127.0.0.1:{served}", f"localhost:{served}", f"LOCALHOST:{served}"):
        status, body = _get(served, "/", {"Host": host})
        assert (status, "utkast" in body) == (200, True)
        assert "livereload.js?port=" in body  # livereload's script is still injected


@pytest.mark.parametrize(
    "host",
    [
        "angripare.example:{port}",  # a DNS-rebinding page sends its own name
        "angripare.example",
        "127.0.0.1",
        "127.0.0.1:1",
        "localhost:{port}.angripare.example",
        "",
    ],
)
def test_a_request_for_another_host_gets_421_and_no_draft(served: int, host: str) -> None:
    for path in ("/", "/index.html", "/livereload.js", "/forcereload", "/saknas.html"):
        status, body = _get(served, path, {"Host": host.format(port=served)})
        assert status == 421
        assert "utkast" not in body
        assert f"Förhandsvisningen svarar bara på http://127.0.0.1:{served}/" in body


def test_a_host_header_naming_two_hosts_is_refused_by_tornado(served: int) -> None:
    status, body = _get(served, "/", {"Host": f"127.0.0.1:{served}, angripare.example"})
    assert status == 400 and "utkast" not in body


def test_the_reload_socket_refuses_a_foreign_origin(served: int) -> None:
    host = {"Host": f"127.0.0.1:{served}"}
    assert " 101 " in _handshake(served, host)  # no Origin: not a browser
    for origin in (f"http://127.0.0.1:{served}", f"http://localhost:{served}"):
        assert " 101 " in _handshake(served, {**host, "Origin": origin})
        assert " 101 " in _handshake(served, {**host, "Origin": origin, "Sec-Fetch-Site": "same-site"})
    for origin in ("http://angripare.example", f"http://127.0.0.1:{served + 1}", "null", "https://localhost"):
        assert " 403 " in _handshake(served, {**host, "Origin": origin})
        assert " 403 " in _handshake(served, {**host, "Origin": origin, "Sec-Fetch-Site": "cross-site"})
    assert " 421 " in _handshake(served, {"Host": f"angripare.example:{served}"})


def test_forcereload_refuses_a_foreign_origin(served: int) -> None:
    host = {"Host": f"localhost:{served}"}
    assert _get(served, "/forcereload", host) == (200, "ok")
    assert _get(served, "/forcereload", {**host, "Origin": f"http://localhost:{served}"}) == (200, "ok")
    for headers in (
        {"Origin": "http://angripare.example"},
        {"Origin": f"http://localhost:{served + 1}"},
        {"Sec-Fetch-Site": "cross-site"},  # an <img src> on another site sends no Origin
        {"Origin": "http://angripare.example", "Sec-Fetch-Site": "cross-site"},
    ):
        status, body = _get(served, "/forcereload", {**host, **headers})
        assert status == 403 and "egna sidor" in body
