"""A chapter whose kernel never came up (a port taken by another process first) is started once more;
a chapter whose cell fails is not: its error is the notebook's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from rapportbok.pipeline.processes import execute
from rapportbok.pipeline.processes.execute import KERNEL_START_ATTEMPTS, ChapterJob, execute_chapter


def _job(tmp_path: Path) -> ChapterJob:
    return ChapterJob("ekonomi", tmp_path / "in.ipynb", tmp_path / "out.ipynb", {}, tmp_path)


def _papermill_raising(monkeypatch: pytest.MonkeyPatch, errors: list[BaseException | None]) -> list[int]:
    calls: list[int] = []

    def fake(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        error = errors[min(len(calls), len(errors)) - 1]
        if error is not None:
            raise error

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    monkeypatch.setattr(execute, "kernel_uses_this_python", lambda: None)
    return calls


def test_a_kernel_that_died_before_replying_is_started_once_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    died = RuntimeError("Kernel died before replying to kernel_info")
    calls = _papermill_raising(monkeypatch, [died, None])
    result = execute_chapter(_job(tmp_path))
    assert result.ok
    assert len(calls) == 2


def test_a_kernel_that_never_starts_is_reported_after_the_last_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    died = RuntimeError("Kernel died before replying to kernel_info")
    calls = _papermill_raising(monkeypatch, [died])
    result = execute_chapter(_job(tmp_path))
    assert not result.ok
    assert "dog innan den hann svara" in (result.error or "") and "kernel_info" not in (result.error or "")
    assert len(calls) == KERNEL_START_ATTEMPTS


def test_a_failing_cell_is_not_run_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failed = PapermillExecutionError(3, 3, "1 / 0", "ZeroDivisionError", "division by zero", [])
    calls = _papermill_raising(monkeypatch, [failed, None])
    result = execute_chapter(_job(tmp_path))
    assert result.error == "cell 3: ZeroDivisionError: division by zero"
    assert result.cell == 3
    assert len(calls) == 1
