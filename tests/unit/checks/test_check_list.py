"""`check` is one list of checks with one signature: `CHECKS`, each a
`Callable[[CheckContext], Iterable[Found]]`, run in order by check_year; what a check yields lands in the
list of its kind, as soon as it is yielded."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

import rapportbok.checks.check as check_module
from rapportbok.checks.check import CHECKS, check_year
from rapportbok.checks.context import CheckContext, Found, Kind
from rapportbok.core.book import BookId
from rapportbok.exceptions import Finding, Problem

ORG = "kommunstyrelsekontoret"


def test_every_check_takes_the_context_and_nothing_else() -> None:
    for check in CHECKS:
        hints = typing.get_type_hints(check)
        parameters = list(inspect.signature(check).parameters)
        assert len(parameters) == 1 and hints[parameters[0]] is CheckContext, check.__name__
    assert len({check.__name__ for check in CHECKS}) == len(CHECKS)  # each check once


def test_check_year_runs_the_list_in_order_and_files_each_item_by_kind(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, BookId, int]] = []

    def first(context: CheckContext) -> Iterator[Found]:
        seen.append(("first", context.book, context.report.year))
        yield Found(Kind.ERROR, Problem("a.csv", "fel", code="test.error"))
        yield Found(Kind.WARNING, Finding("a.csv", "varning", code="test.warning"))

    def second(context: CheckContext) -> Iterator[Found]:
        seen.append(("second", context.book, context.report.year))
        yield Found(Kind.TODO, Problem("b.csv", "saknas", missing=True, code="test.todo"))
        yield Found(Kind.VERIFY, Problem("c.csv", "kontrollera", code="test.verify"))

    monkeypatch.setattr(check_module, "CHECKS", (first, second))
    book = BookId(ORG, 2024, project_root)
    result = check_year(book)
    assert [name for name, _, _ in seen] == ["first", "second"]
    assert {(found_book, year) for _, found_book, year in seen} == {(book, 2024)}
    assert [p.code for p in result.problems] == ["test.error"]
    assert [p.code for p in result.todo] == ["test.todo"]
    assert [p.code for p in result.to_verify] == ["test.verify"]
    assert [w.code for w in result.warnings if isinstance(w, Finding)] == ["test.warning"]


def test_what_a_check_found_before_the_limit_is_kept(
    project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def finds_then_hangs(context: CheckContext) -> Iterator[Found]:
        yield Found(Kind.ERROR, Problem("a.csv", "fel", code="test.error"))
        while True:
            context.at("a.csv")

    monkeypatch.setattr(check_module, "CHECKS", (finds_then_hangs,))
    result = check_year(BookId(ORG, 2024, project_root), timeout=1)
    assert [(p.code, p.file) for p in result.problems] == [
        ("test.error", "a.csv"),
        ("check.timeout", "a.csv"),
    ]
