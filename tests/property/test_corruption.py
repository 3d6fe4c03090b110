"""Property-based: random corruptions of valid files never pass silently and never crash."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of
from rapportbok.data.read_table import read_table
from rapportbok.data.schema import TABLE_NAMES, table_schema
from tests.conftest import examples

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_TABLES = [name for name in TABLE_NAMES if not table_schema(name).optional]


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("property") / "data" / "kommunstyrelsekontoret"
    shutil.copytree(ROOT / "data" / "kommunstyrelsekontoret", target)
    yield target


def _rows(table: str) -> list[list[str]]:
    text = (ROOT / "data" / "kommunstyrelsekontoret" / "2024" / f"{table}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _check_with(data: Path, table: str, content: bytes) -> list[str]:
    """What `check` says about data/kommunstyrelsekontoret/2024 with `table` replaced by `content`.

    `check` reads every table and stops after reading when one has errors; the other tables are the
    valid 2024 files, so for a corrupted table with errors its messages are exactly the table reader's.
    Only when the corrupted table still reads (at most with values to fill in) does the whole check run
    (rules, texts, cross-checks on the odd data). Same result, without reading twelve unchanged files
    for every example.
    """
    path = data / "2024" / f"{table}.csv"
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        read = read_table(
            path, table_schema(table), f"data/kommunstyrelsekontoret/2024/{table}.csv"
        )  # never a traceback
        if any(not problem.missing for problem in read.problems):
            problems = read.problems
        else:
            result = check_year(book_of(2024, data))  # must return, whatever the content: never a traceback
            problems = result.problems + result.todo
    finally:
        path.write_bytes(original)
    messages = [str(problem) for problem in problems]  # errors, and values to fill in
    assert all(message.startswith("data/kommunstyrelsekontoret/2024/") for message in messages), messages
    return messages


@st.composite
def invalid_files(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A table, a corruption of it that cannot be valid, and the file the error must name."""
    table = draw(st.sampled_from(REQUIRED_TABLES))
    schema = table_schema(table)
    rows = _rows(table)
    header, body = rows[0], rows[1:]
    row = draw(st.integers(0, len(body) - 1))
    kind = draw(
        st.sampled_from(
            [
                "empty-required",
                "letters-in-number",
                "unknown-enum",
                "drop-column",
                "extra-cell",
                "undecodable-bytes",
                "duplicate-key",
            ]
        )
    )
    fields = schema.fields
    if kind == "empty-required":
        field = draw(st.sampled_from([f for f in fields if f.required]))
        body[row][header.index(field.name)] = ""
    elif kind == "letters-in-number" and any(f.type in {"integer", "number", "date"} for f in fields):
        field = draw(st.sampled_from([f for f in fields if f.type in {"integer", "number", "date"}]))
        body[row][header.index(field.name)] = draw(st.text("abcxyzåäö", min_size=1, max_size=6))
    elif kind == "unknown-enum" and any(f.enum for f in fields):
        field = draw(st.sampled_from([f for f in fields if f.enum]))
        value = draw(st.text("qwxzQWXZ", min_size=1, max_size=8).filter(lambda v: v not in field.enum))
        body[row][header.index(field.name)] = value
    elif kind == "drop-column":
        position = draw(st.integers(0, len(header) - 1))
        for cells in rows:
            del cells[position]
    elif kind == "extra-cell":
        body[row].append(draw(st.text("0123456789abc", min_size=1, max_size=4)))
    elif kind == "duplicate-key" and schema.descriptor.get("primaryKey"):
        body.insert(row, list(body[row]))
    else:
        return table, _text(rows).encode("utf-8") + b"\x81\x8d\x00", table
    return table, _text([header, *body]).encode("utf-8"), table


@settings(
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(invalid_files())
def test_an_invalid_file_is_always_reported(data_copy: Path, case: tuple[str, bytes, str]) -> None:
    """Every guaranteed-invalid corruption gives at least one located problem in that file."""
    table, content, _ = case
    messages = _check_with(data_copy, table, content)
    assert any(message.startswith(f"data/kommunstyrelsekontoret/2024/{table}.csv") for message in messages), (
        messages
    )


@settings(
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.sampled_from(REQUIRED_TABLES),
    cut=st.floats(0, 1),
    noise=st.binary(max_size=12),
    position=st.floats(0, 1),
)
def test_random_bytes_end_in_a_message_or_a_valid_report(
    data_copy: Path, table: str, cut: float, noise: bytes, position: float
) -> None:
    """Truncation and random bytes anywhere: a clean result or located messages, never an exception."""
    original = (ROOT / "data" / "kommunstyrelsekontoret" / "2024" / f"{table}.csv").read_bytes()
    at = int(position * len(original))
    content = (original[:at] + noise + original[at:])[: max(1, int(cut * (len(original) + len(noise))))]
    _check_with(data_copy, table, content)
