"""Writing the PDF loads nothing from the network or from outside the project."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from rapportbok.pdf.fetcher import ProjectFetcher, project_file
from rapportbok.pdf.writer import write_pdf

PNG_DATA = "data:image/png;base64," + (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                seen.append(connection.recv(1024))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(5)
    server.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "bilder").mkdir(parents=True)
    (root / "bilder/ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (tmp_path / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (root / "bilder/link.svg").symlink_to(tmp_path / "secret.svg")
    return root


def test_only_data_urls_and_files_inside_the_project_are_loaded(project: Path) -> None:
    """Inside the project: yes; through a link leaving it, outside it, or any other scheme: no."""
    fetcher = ProjectFetcher(project)
    assert fetcher.fetch((project / "bilder/ok.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch(PNG_DATA).read().startswith(b"\x89PNG")
    refused = [
        (project / "bilder/link.svg").as_uri(),
        (project.parent / "secret.svg").as_uri(),
        (project / "bilder/../../secret.svg").as_uri(),
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
    ]
    for url in refused:
        with pytest.raises(ValueError, match=r"rapportbok läser inget utanför projektet|symbolisk länk"):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert project_file((project / "x").as_uri(), project) == project / "x"


def test_writing_a_pdf_never_connects_to_the_network(
    project: Path, tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    """Images, stylesheets and SVG references to a local server are not fetched: no connection is made."""
    port, seen = listener
    html = f"""<!DOCTYPE html><html lang="sv"><head><title>t</title>
<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">
<style>@import url(http://127.0.0.1:{port}/b.css);
p {{ background: url(http://127.0.0.1:{port}/c.png) }}</style>
</head><body><p>Text</p>
<img alt="x" src="http://127.0.0.1:{port}/x.png"><img alt="y" src="/etc/passwd">
<img alt="z" src="bilder/ok.svg">
<svg xmlns="http://www.w3.org/2000/svg">
<image href="http://127.0.0.1:{port}/d.png" width="5" height="5"/></svg>
</body></html>"""
    target = write_pdf(html, tmp_path / "ut.pdf", base_url=project)
    assert target.read_bytes().startswith(b"%PDF")
    assert seen == []
