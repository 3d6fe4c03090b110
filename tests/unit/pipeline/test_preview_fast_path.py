"""The preview's fast path: a changed text is re-rendered into a chapter's executed notebook without a
kernel only where the chapter shows it with a plain `show_text(report, "…")` cell; anything else sends
the chapter back to papermill. The cache knows which files an entry read have changed since."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from rapportbok.data.tracking import ReadRecorder
from rapportbok.pipeline.inputs.cache import EXECUTED, ChapterCache, ChapterInputs
from rapportbok.pipeline.preview.narrative_outputs import refresh_texts, shown_text_key, text_key_of
from rapportbok.pipeline.processes.warm_kernels import imported_modules, preload_code


def _cell(source: str, html: str | None = None) -> dict[str, Any]:
    outputs = []
    if html is not None:
        outputs = [
            {
                "data": {"text/html": [html], "text/plain": ["HtmlBlock(…)"]},
                "execution_count": 4,
                "metadata": {},
                "output_type": "execute_result",
            }
        ]
    return {"cell_type": "code", "execution_count": 4, "metadata": {}, "outputs": outputs, "source": source}


def _notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Rubrik"}, *cells]}


def _render(key: str) -> str:
    return f'<div class="rb-text"><p>ny {key}</p>\n<p>rad två</p></div>'


def test_it_recognises_only_a_plain_show_text_cell() -> None:
    assert shown_text_key('show_text(report, "ekonomi/driftredovisning")') == "ekonomi/driftredovisning"
    assert shown_text_key("show_text(report, 'a/b')\n") == "a/b"
    for code in [
        'x = show_text(report, "a/b")',
        'show_text(report, "a/b"); chart(report)',
        'show_text(report, f"a/{key}")',
        'show_text(other, "a/b")',
        'views.show_text(report, "a/b")',
        'show_text(report, "a/b", extra=1)',
        "%%time\nshow_text(report, 'a/b')",
    ]:
        assert shown_text_key(code) is None, code


FOLDER = "data/kommunstyrelsekontoret/2024"


def test_it_names_the_text_key_of_a_narrative_file() -> None:
    assert (
        text_key_of("data/kommunstyrelsekontoret/2024/text/ekonomi/driftredovisning.md", FOLDER)
        == "ekonomi/driftredovisning"
    )
    assert text_key_of("data/kommunstyrelsekontoret/2024/drift.csv", FOLDER) is None
    assert text_key_of("data/kommunstyrelsekontoret/2023/text/ekonomi/driftredovisning.md", FOLDER) is None
    assert text_key_of("data/kommunstyrelsekontoret/2024/text/ekonomi/bild.png", FOLDER) is None


def test_it_replaces_the_output_of_the_changed_text_only() -> None:
    notebook = _notebook(
        _cell('show_text(report, "kap/a")', "<p>gammal a</p>"),
        _cell("table(report)", "<table></table>"),
        _cell('show_text(report, "kap/b")', "<p>gammal b</p>"),
    )
    before = copy.deepcopy(notebook)
    refreshed = refresh_texts(notebook, ["kap/a"], _render)
    assert refreshed is not None
    outputs = [cell.get("outputs") for cell in refreshed["cells"]]
    assert outputs[1][0]["data"]["text/html"] == [
        '<div class="rb-text"><p>ny kap/a</p>\n',
        "<p>rad två</p></div>",
    ]
    assert outputs[1][0]["data"]["text/plain"] == ["HtmlBlock(…)"]
    assert refreshed["cells"][2:] == before["cells"][2:]


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        ([_cell("goals_table(report)", "<table></table>")], "read inside a view, not by a plain cell"),
        (
            [
                _cell('show_text(report, "kap/a")', "<p>a</p>"),
                _cell("for k in keys:\n    show_text(report, k)"),
            ],
            "another cell shows texts named by a variable",
        ),
        (
            [
                _cell('show_text(report, "kap/a")', "<p>a</p>"),
                _cell('display(show_text(report, "kap/a"))', "<p>a</p>"),
            ],
            "the same text is shown a second way",
        ),
        ([_cell('show_text(report, "kap/a")')], "the cell had no output (it failed)"),
    ],
)
def test_anything_but_plain_cells_sends_the_chapter_back_to_papermill(
    cells: list[dict[str, Any]], why: str
) -> None:
    assert refresh_texts(_notebook(*cells), ["kap/a"], _render) is None, why


@pytest.fixture
def cached(tmp_path: Path) -> tuple[ChapterCache, ChapterInputs, Path]:
    root = tmp_path / "project"
    text = root / "data/kommunstyrelsekontoret/2024/text/kap/a.md"
    text.parent.mkdir(parents=True)
    text.write_text("Gammal text.\n", encoding="utf-8")
    (root / "data/kommunstyrelsekontoret/2024/drift.csv").write_text("post_id\nsumma\n", encoding="utf-8")
    notebook = root / "kap.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    cache = ChapterCache(root / "_build/kommunstyrelsekontoret/2024/.preview/.cache", root, code="kod-1")
    inputs = ChapterInputs("kap", notebook, {"year": 2024})
    run = cache.run_folder("kap")
    reads = ReadRecorder(cache.reads_log("kap"))  # what the chapter's kernel does with reads_log
    reads.record(text)
    reads.record(root / "data/kommunstyrelsekontoret/2024/drift.csv")
    executed = run / "executed.ipynb"
    executed.write_text(
        json.dumps(_notebook(_cell('show_text(report, "kap/a")', "<p>a</p>"))), encoding="utf-8"
    )
    cache.store(inputs, executed)
    return cache, inputs, root


def test_the_cache_names_the_files_that_changed_since_a_chapter_ran(
    cached: tuple[ChapterCache, ChapterInputs, Path],
) -> None:
    cache, inputs, root = cached
    assert cache.changed_reads(inputs) == []
    (root / "data/kommunstyrelsekontoret/2024/text/kap/a.md").write_text("Ny text.\n", encoding="utf-8")
    assert cache.changed_reads(inputs) == ["data/kommunstyrelsekontoret/2024/text/kap/a.md"]
    assert cache.lookup(inputs) is None
    other_code = ChapterCache(cache.folder, root, code="kod-2")
    assert other_code.changed_reads(inputs) is None, "other code: only running the chapter will do"


def test_a_replaced_output_makes_the_entry_up_to_date_again(
    cached: tuple[ChapterCache, ChapterInputs, Path],
) -> None:
    cache, inputs, root = cached
    (root / "data/kommunstyrelsekontoret/2024/text/kap/a.md").write_text("Ny text.\n", encoding="utf-8")
    notebook = json.loads((cache.entry("kap") / EXECUTED).read_text(encoding="utf-8"))
    refreshed = refresh_texts(notebook, ["kap/a"], _render)
    assert refreshed is not None
    stored = cache.replace_output(inputs, json.dumps(refreshed))
    assert cache.changed_reads(inputs) == [] and cache.lookup(inputs) == stored
    assert "ny kap/a" in stored.read_text(encoding="utf-8")
    stored.write_text(stored.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert cache.changed_reads(inputs) is None, "a damaged entry is never patched"


def test_kernels_started_ahead_import_the_notebooks_modules_without_binding_a_name(tmp_path: Path) -> None:
    notebook = tmp_path / "kap.ipynb"
    notebook.write_text(
        json.dumps(
            _notebook(
                _cell("from rapportbok.views.text import show_text\nimport json as j, os.path"),
                _cell("from .relative import x\n%matplotlib inline"),
                _cell('show_text(report, "kap/a")'),
            )
        ),
        encoding="utf-8",
    )
    modules = imported_modules(notebook)
    assert modules == ["rapportbok.views.text", "json", "os.path"]
    namespace: dict[str, Any] = {}
    exec(preload_code([*modules, "no_such_module_here"]), namespace)
    assert set(namespace) == {"__builtins__"}, "nothing is bound in the notebook's namespace"
