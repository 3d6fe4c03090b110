"""The chapter cache reuses a result only while it is intact and nothing it read has changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rapportbok.data.tracking import ReadRecorder
from rapportbok.exceptions import ChapterError
from rapportbok.pipeline.inputs.cache import EXECUTED, MANIFEST, ChapterCache, ChapterInputs


@pytest.fixture
def setup(tmp_path: Path) -> tuple[ChapterCache, ChapterInputs, Path]:
    root = tmp_path / "project"
    (root / "data/kommunstyrelsekontoret/2024").mkdir(parents=True)
    data = root / "data/kommunstyrelsekontoret/2024/drift.csv"
    data.write_text("post_id\nsumma\n", encoding="utf-8")
    notebook = root / "kapitel.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    cache = ChapterCache(root / "_build/kommunstyrelsekontoret/2024/.cache", root, code="kod-1")
    inputs = ChapterInputs("ekonomi", notebook, {"year": 2024, "draft": False})
    run = cache.run_folder("ekonomi")
    reads = ReadRecorder(cache.reads_log("ekonomi"))  # what the chapter's kernel does with reads_log
    reads.record(data)
    reads.record(root / "data/kommunstyrelsekontoret/2024/saknas.csv")
    executed = run / "executed.ipynb"
    executed.write_text('{"executed": true}', encoding="utf-8")
    cache.store(inputs, executed)
    return cache, inputs, root


def test_an_unchanged_chapter_is_reused(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """Same notebook, code, parameters and data: the cached notebook is returned."""
    cache, inputs, _ = setup
    assert cache.lookup(inputs) == cache.entry("ekonomi") / EXECUTED


def test_a_changed_data_file_invalidates(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """Any file the chapter read, changed, means it runs again."""
    cache, inputs, root = setup
    (root / "data/kommunstyrelsekontoret/2024/drift.csv").write_text("post_id\nintakter\n", encoding="utf-8")
    assert cache.lookup(inputs) is None


def test_a_file_that_appears_invalidates(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """A file the chapter looked for and did not find is a dependency too."""
    cache, inputs, root = setup
    (root / "data/kommunstyrelsekontoret/2024/saknas.csv").write_text("x\n", encoding="utf-8")
    assert cache.lookup(inputs) is None


def test_changed_parameters_or_notebook_invalidate(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """A draft is not the published book, and an edited notebook is a new chapter."""
    cache, inputs, _ = setup
    assert cache.lookup(ChapterInputs("ekonomi", inputs.notebook, {"year": 2024, "draft": True})) is None
    inputs.notebook.write_text('{"cells": []}', encoding="utf-8")
    assert cache.lookup(inputs) is None


def test_a_damaged_entry_is_never_used(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """A truncated manifest, or an executed notebook that no longer matches its hash, is redone."""
    cache, inputs, _ = setup
    entry = cache.entry("ekonomi")
    intact = (entry / EXECUTED).read_bytes()
    (entry / EXECUTED).write_text('{"executed": tru', encoding="utf-8")
    assert cache.lookup(inputs) is None
    (entry / EXECUTED).write_bytes(intact)
    assert cache.lookup(inputs) is not None
    (entry / MANIFEST).write_text(json.dumps({"key": "x"})[:5], encoding="utf-8")
    assert cache.lookup(inputs) is None


def test_changed_code_or_dependencies_invalidate(setup: tuple[ChapterCache, ChapterInputs, Path]) -> None:
    """Another build's code hash (the package or requirements.lock changed) means the chapter runs again."""
    cache, inputs, root = setup
    assert ChapterCache(cache.folder, root, code="kod-2").lookup(inputs) is None
    assert ChapterCache(cache.folder, root, code="kod-1").lookup(inputs) is not None


def test_a_chapter_that_recorded_nothing_is_an_error(tmp_path: Path) -> None:
    """A notebook that never opened its reads log (start_chapter without reads_log) is not cached."""
    root = tmp_path / "project"
    notebook = root / "notebooks/ekonomi.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}", encoding="utf-8")
    cache = ChapterCache(root / "_build/kommunstyrelsekontoret/2024/.cache", root, code="kod-1")
    executed = cache.run_folder("ekonomi") / "executed.ipynb"
    executed.write_text("{}", encoding="utf-8")
    with pytest.raises(ChapterError) as raised:
        cache.store(ChapterInputs("ekonomi", notebook, {"year": 2024}), executed)
    assert raised.value.chapter == "ekonomi" and raised.value.file == "notebooks/ekonomi.ipynb"
    assert "start_chapter(year, data_dir, draft, reads_log, lazy)" in str(raised.value)
    assert str(raised.value).endswith("\n  Rätta notebooken: notebooks/ekonomi.ipynb")
    assert not (cache.entry("ekonomi") / MANIFEST).exists()


def test_a_stored_entry_lists_the_files_read_relative_to_the_project(
    setup: tuple[ChapterCache, ChapterInputs, Path],
) -> None:
    """The manifest names each read file once, relative to the project; the run folder is gone."""
    cache, _, _ = setup
    manifest = json.loads((cache.entry("ekonomi") / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["reads"]) == [
        "data/kommunstyrelsekontoret/2024/drift.csv",
        "data/kommunstyrelsekontoret/2024/saknas.csv",
    ]
    assert manifest["reads"]["data/kommunstyrelsekontoret/2024/saknas.csv"] == "saknas"
    assert not cache.reads_log("ekonomi").parent.exists()


def test_a_copied_project_keeps_its_cache(
    setup: tuple[ChapterCache, ChapterInputs, Path], tmp_path: Path
) -> None:
    """Paths inside the project count relative to it: the same project elsewhere reuses its chapters."""
    cache, inputs, root = setup
    with_path = ChapterInputs(
        inputs.name,
        inputs.notebook,
        {**inputs.parameters, "data_dir": str(root / "data" / "kommunstyrelsekontoret")},
    )
    executed = cache.run_folder("ekonomi") / "executed.ipynb"
    executed.write_text('{"executed": true}', encoding="utf-8")
    ReadRecorder(cache.reads_log("ekonomi")).record(root / "data/kommunstyrelsekontoret/2024/drift.csv")
    cache.store(with_path, executed)
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(root, moved)
    moved_inputs = ChapterInputs(
        inputs.name,
        moved / inputs.notebook.relative_to(root),
        {**inputs.parameters, "data_dir": str(moved / "data" / "kommunstyrelsekontoret")},
    )
    assert (
        ChapterCache(moved / "_build/kommunstyrelsekontoret/2024/.cache", moved, code="kod-1").lookup(
            moved_inputs
        )
        is not None
    )
    (moved / "data/kommunstyrelsekontoret/2024/drift.csv").write_text(
        "post_id\nkostnader\n", encoding="utf-8"
    )
    assert (
        ChapterCache(moved / "_build/kommunstyrelsekontoret/2024/.cache", moved, code="kod-1").lookup(
            moved_inputs
        )
        is None
    )


def _preview_cache(cache: ChapterCache, code: str = "kod-1") -> ChapterCache:
    return ChapterCache(cache.folder.parent / ".preview/.cache", cache.root, code)


def test_the_preview_takes_an_up_to_date_chapter_from_the_build(
    setup: tuple[ChapterCache, ChapterInputs, Path],
) -> None:
    """The first preview after a build does not run a chapter the build ran on the same inputs: the
    build's entry is copied byte for byte, and the preview's cache then finds it up to date."""
    built, inputs, _ = setup
    preview = _preview_cache(built)
    assert preview.lookup(inputs) is None
    assert preview.adopt(inputs, built)
    assert preview.lookup(inputs) == preview.entry("ekonomi") / EXECUTED
    assert preview.changed_reads(inputs) == []
    for name in (EXECUTED, MANIFEST):
        assert (preview.entry("ekonomi") / name).read_bytes() == (built.entry("ekonomi") / name).read_bytes()
    assert sorted(path.name for path in preview.entry("ekonomi").iterdir()) == [EXECUTED, MANIFEST]


def test_the_preview_does_not_take_an_out_of_date_or_foreign_chapter(
    setup: tuple[ChapterCache, ChapterInputs, Path],
) -> None:
    """Data changed since the build, other code, a draft, or a damaged entry: nothing is taken."""
    built, inputs, root = setup
    assert not _preview_cache(built, code="kod-2").adopt(inputs, built)
    draft = ChapterInputs("ekonomi", inputs.notebook, {"year": 2024, "draft": True})
    assert not _preview_cache(built).adopt(draft, built)
    data = root / "data/kommunstyrelsekontoret/2024/drift.csv"
    original = data.read_text(encoding="utf-8")
    data.write_text("post_id\nintakter\n", encoding="utf-8")
    assert not _preview_cache(built).adopt(inputs, built)
    assert _preview_cache(built).lookup(inputs) is None
    data.write_text(original, encoding="utf-8")
    (built.entry("ekonomi") / EXECUTED).write_text('{"executed": "ändrad"}', encoding="utf-8")
    assert not _preview_cache(built).adopt(inputs, built)
    assert _preview_cache(built).lookup(inputs) is None
