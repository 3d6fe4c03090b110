"""What WeasyPrint may load while it writes the PDF: files inside the project, and data: URLs.

Everything else (http:, https:, ftp:, file: outside the project or through a link leaving it) is
refused, so writing the PDF never touches the network or a file outside the project, whatever a text
or a value manages to put into the print document. A refusal makes WeasyPrint leave the resource out
and log a warning; `check` has already rejected such links and images in the narrative.

`project_fetcher(root)` is a plain module-level function, so that a child process writing the PDF can
make its own fetcher.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from rapportbok.data.files import RefusedFile, read_bytes

MAX_RESOURCE_BYTES = 20 * 2**20


def project_file(url: str, root: Path) -> Path | None:
    """The file a file: URL names, if it lies inside `root` once every link is resolved; else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
    inside = Path(os.path.realpath(root))
    return path if path.is_relative_to(inside) and path != inside else None


class ProjectFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that loads only data: URLs and regular files inside the project."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = Path(os.path.realpath(root))
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = project_file(url, self.root) if scheme == "file" else None
        if path is None:
            self.refused.append(url)
            raise ValueError(f"rapportbok läser inget utanför projektet: {url[:200]}")
        try:
            content = read_bytes(path, path.name, MAX_RESOURCE_BYTES, within=self.root)
        except RefusedFile as refused:
            self.refused.append(url)
            raise ValueError(str(refused.problem)) from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, content, {"Content-Type": kind})


def project_fetcher(root: Path) -> ProjectFetcher:
    """The URL fetcher for a PDF of the project at `root`."""
    return ProjectFetcher(root)
