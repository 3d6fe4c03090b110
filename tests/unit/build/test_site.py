"""`rapportbok site`: one at a time, and published as one release that a fault leaves as it was."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from rapportbok.build import publish
from rapportbok.build.lock import site_lock
from rapportbok.build.site import publish_site
from rapportbok.cli import main
from rapportbok.core.layout import book_layout, site_folder, site_lock_file, site_releases
from rapportbok.data.load import load_year
from rapportbok.exceptions import PublishError


def _hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def published_year(project_copy: Path) -> Path:
    """A build folder where 2024 has a published release (a few pages with the switcher placeholder)."""
    build_root = project_copy / "_build"
    html = project_copy / "byggd"
    (html / "chapters").mkdir(parents=True)
    for page in ("index.html", "chapters/ekonomi.html", "chapters/arbetsgivare.html"):
        (html / page).write_text("<nav><!--rb-year-switcher--></nav>" + page * 100, encoding="utf-8")
    layout = book_layout(build_root, "kommunstyrelsekontoret", 2024)
    publish.prepare(layout.releases)
    publish.publish_year(layout, "nyckel", html, None, lambda copy: None)
    return build_root


def test_a_second_site_command_is_refused(project_copy: Path, capsys: pytest.CaptureFixture) -> None:
    """While one `site` runs, another says so and stops, with no traceback."""
    previous = Path.cwd()
    os.chdir(project_copy)
    try:
        with site_lock(site_lock_file(project_copy / "_build")):
            assert main(["site"]) == 1
    finally:
        os.chdir(previous)
    assert "En annan rapportbok site pågår redan (process " in capsys.readouterr().err


def test_a_full_disk_while_publishing_the_site_keeps_the_previous_site(
    project_copy: Path, published_year: Path, monkeypatch
) -> None:
    """ENOSPC half-way through the copy: a Swedish message names the file and says the previous site
    is untouched, which it is, by hash; no unpublished release stays."""
    entries = [load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")]
    publish_site(project_copy, published_year, entries)
    site = site_folder(published_year)
    assert "Välj år" in (site / "kommunstyrelsekontoret/2024/chapters/ekonomi.html").read_text(
        encoding="utf-8"
    )
    before = _hashes(site)
    copied = []

    def copy_until_full(source: Path, target: Path) -> None:
        if len(copied) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        copied.append(target)
        target.write_bytes(source.read_bytes())

    monkeypatch.setattr(publish, "COPY_FILE", copy_until_full)
    with pytest.raises(PublishError) as raised:
        publish_site(project_copy, published_year, entries)
    message = str(raised.value)
    assert message.startswith("Webbplatsen kunde inte skrivas. Kunde inte skriva _build/.site-releases/")
    assert ": disken är full.\nDen tidigare webbplatsen i _build/site är orörd." in message
    assert _hashes(site) == before
    assert len(list(site_releases(published_year).folder.iterdir())) == 1
