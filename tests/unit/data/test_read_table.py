"""Reading one table: a content that was checked once is not checked again in the same process."""

from __future__ import annotations

from pathlib import Path

from rapportbok.core.content_cache import ContentCache
from rapportbok.data import read_table as module
from rapportbok.data.read_table import read_table
from rapportbok.data.schema import table_schema
from tests.conftest import ROOT

SOURCE = ROOT / "data/kommunstyrelsekontoret/2024/personalomsattning.csv"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "personalomsattning.csv"
    target.write_bytes(SOURCE.read_bytes())
    return target


def test_the_same_content_is_checked_once_and_each_caller_gets_its_own_frame(
    tmp_path: Path, monkeypatch
) -> None:
    """The second read of an unchanged file does not run the checks; changing its frame changes nothing
    for the next reader."""
    path = _copy(tmp_path)
    schema = table_schema("personalomsattning")
    monkeypatch.setattr(module, "_CHECKED", ContentCache(module.MAX_CHECKED))
    first = read_table(path, schema, "data/kommunstyrelsekontoret/2024/personalomsattning.csv")
    calls = []
    monkeypatch.setattr(module, "_checked_content", lambda *args: calls.append(args))
    second = read_table(path, schema, "data/kommunstyrelsekontoret/2024/personalomsattning.csv")
    assert calls == []
    assert second.frame.equals(first.frame) and second.problems == first.problems
    second.frame.iloc[0, 0] = None
    assert read_table(path, schema, "data/kommunstyrelsekontoret/2024/personalomsattning.csv").frame.equals(
        first.frame
    )


def test_a_changed_cell_or_another_name_is_checked_again(tmp_path: Path, monkeypatch) -> None:
    """A new value gives its own result (here a problem located in its row and column)."""
    path = _copy(tmp_path)
    schema = table_schema("personalomsattning")
    monkeypatch.setattr(module, "_CHECKED", ContentCache(module.MAX_CHECKED))
    assert read_table(path, schema, "data/kommunstyrelsekontoret/2024/personalomsattning.csv").problems == []
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    column = next(i for i, name in enumerate(header) if name not in ("ar", "typ"))
    cells[column] = "inte ett tal"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    problems = read_table(path, schema, "data/kommunstyrelsekontoret/2024/personalomsattning.csv").problems
    assert [(p.row, p.column) for p in problems] == [(2, header[column])]
    other = read_table(path, schema, "data/kommunstyrelsekontoret/2025/personalomsattning.csv").problems
    assert [p.file for p in other] == ["data/kommunstyrelsekontoret/2025/personalomsattning.csv"]
