"""Publishing swaps a finished build in; the previous output stays until then."""

from __future__ import annotations

from pathlib import Path

from rapportbok.build.publish import publish_tree, recover_interrupted


def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def test_a_new_build_replaces_the_old_one_completely(tmp_path: Path) -> None:
    """After publishing, only the new files are there and no temporary folder is left."""
    target = _site(tmp_path / "html", "gammal")
    (target / "stale.html").write_text("x", encoding="utf-8")
    publish_tree(_site(tmp_path / "new", "ny"), target)
    assert (target / "index.html").read_text(encoding="utf-8") == "ny"
    assert not (target / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "new"]


def test_an_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    """If a build stopped between the two renames, the previous site is put back."""
    _site(tmp_path / ".html.outgoing", "gammal")
    recover_interrupted(tmp_path / "html")
    assert (tmp_path / "html" / "index.html").read_text(encoding="utf-8") == "gammal"
