"""Reading one YAML file: a text that was parsed once is not parsed again in the same process; the file
itself is read (and refused) every time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapportbok.core.content_cache import ContentCache
from rapportbok.data import yamlfile as module
from rapportbok.data.yamlfile import read_mapping
from tests.conftest import ROOT

SOURCE = ROOT / "data/kommunstyrelsekontoret/2024/kanda_avvikelser.yml"
SHOWN = "data/kommunstyrelsekontoret/2024/kanda_avvikelser.yml"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the 2024 known deviations (a list of mappings under one key), with an empty cache."""
    monkeypatch.setattr(module, "_PARSED", ContentCache(module.MAX_PARSED))
    target = tmp_path / "kanda_avvikelser.yml"
    target.write_bytes(SOURCE.read_bytes())
    return target


def test_the_same_text_is_parsed_once_and_each_caller_gets_its_own_values(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second read of an unchanged file does not parse it; changing the values it gave changes
    nothing for the next reader."""
    first, problems = read_mapping(path, SHOWN)
    assert first is not None and problems == [] and first.entries
    fresh = module._parsed(path.read_text(encoding="utf-8"), SHOWN)[0]  # parsed apart, never cached
    calls = []
    monkeypatch.setattr(module, "_parsed", lambda *args: calls.append(args))
    second, again = read_mapping(path, SHOWN)
    assert calls == []
    assert second == fresh and again == problems
    deviations = second.entries[0].value
    assert isinstance(deviations, dict)  # warning → reason, for the first file
    deviations["ny varning"] = "ändrad av den som läste"
    second.lines.append("en rad till")
    third, _ = read_mapping(path, SHOWN)
    assert third == fresh


def test_a_changed_text_or_another_name_is_parsed_again(path: Path) -> None:
    """A new text gives its own result (here a problem on its line), and a problem names the file as the
    caller shows it."""
    assert read_mapping(path, SHOWN)[1] == []
    lines = path.read_text(encoding="utf-8").splitlines()
    first_key = next(line for line in lines if line and not line[0].isspace() and not line.startswith("#"))
    path.write_text("\n".join([*lines, first_key]) + "\n", encoding="utf-8")  # the key again, at the end
    _, problems = read_mapping(path, SHOWN)
    assert [(problem.code, problem.row) for problem in problems] == [("yaml.key.duplicate", len(lines) + 1)]
    _, elsewhere = read_mapping(path, "data/annan/2024/kanda_avvikelser.yml")
    assert [problem.file for problem in elsewhere] == ["data/annan/2024/kanda_avvikelser.yml"]


def test_a_file_that_became_a_link_is_refused_though_its_text_was_parsed(path: Path) -> None:
    """The cache holds parsed texts, not files: the file is read and checked every time."""
    assert read_mapping(path, SHOWN, within=path.parent)[0] is not None
    target = path.with_name("elsewhere.yml")
    path.rename(target)
    os.symlink(target, path)
    mapping, problems = read_mapping(path, SHOWN, within=path.parent)
    assert mapping is None and len(problems) == 1


def test_the_cache_keeps_the_newest_texts_up_to_its_size(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long preview over many edits holds at most the cache's size of texts: the oldest goes first."""
    monkeypatch.setattr(module, "_PARSED", ContentCache(2))
    texts = [f"nyckel: {number}\n" for number in range(3)]
    for text in texts:
        path.write_text(text, encoding="utf-8")
        assert read_mapping(path, SHOWN)[0].get("nyckel") == int(text.split()[1])
    assert [text for (text, _), _ in module._PARSED.items()] == texts[1:]
