"""Property: rapport.yml with any YAML structure ends in located messages or in typed metadata."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportbok.core.markup import markdown_literal
from rapportbok.data.load import book_of
from rapportbok.data.metadata import TEXT_PUNCTUATION, metadata_schema, read_metadata
from tests.conftest import examples

ROOT = Path(__file__).resolve().parents[2]
FILE = "data/kommunstyrelsekontoret/2024/rapport.yml"
KEYS = [spec.name for spec in metadata_schema().fields]
VALID = {
    "organisation": "Kommunstyrelsekontoret",
    "kommun": "Norrtälje kommun",
    "ar": 2024,
    "period_slut": date(2024, 12, 31),
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.sampled_from([2024, 2023, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(date(1, 1, 1), date(9999, 12, 31)),
    st.sampled_from([date(2024, 12, 31), date(2024, 2, 29), datetime(2024, 12, 31, 10, 0)]),
    st.text(max_size=30),
    st.sampled_from(
        [
            "Barn- och utbildning",
            "```{raw} html",
            "{raw}`html`",
            "<script>",
            "#1A5F8C",
            "logo.svg",
            "../../x.png",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """Mostly the valid file with some values replaced, keys dropped or added; sometimes anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(VALUES)
    document: dict[Any, Any] = dict(VALID)
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        document[key] = draw(VALUES)
    for key in draw(st.lists(st.sampled_from(list(VALID)), max_size=1)):
        document.pop(key, None)
    for key in draw(st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=1)):
        document[key] = draw(VALUES)
    return document


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("metadata") / "data" / "kommunstyrelsekontoret"
    shutil.copytree(ROOT / "data" / "kommunstyrelsekontoret", target)
    yield target


@settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=documents(), mangle=st.sampled_from(["", "", "alias", "anchor", "tab", "bom"]))
def test_any_yaml_structure_ends_in_located_messages_or_typed_metadata(
    data: Path, content: object, mangle: str
) -> None:
    """Never a traceback: every message names rapport.yml; a valid file gives values of the schema's types,
    texts that are their own Markdown text, and never "None"."""
    text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    if mangle == "alias":
        text = "a: &x [1, 2]\nb: *x\n" + text
    elif mangle == "anchor":
        text = text.replace(": ", ": &ankare ", 1)
    elif mangle == "tab":
        text = text.replace(" ", "\t", 1)
    elif mangle == "bom":
        text = "\ufeff" + text
    path = data / "2024/rapport.yml"
    path.write_text(text, encoding="utf-8")
    meta, problems = read_metadata(book_of(2024, path.parent.parent))
    assert all(str(problem).startswith(FILE) for problem in problems), problems
    if meta is None:
        assert problems
        return
    assert not problems
    assert type(meta.year) is int and meta.year == 2024
    assert type(meta.period_end) is date and meta.period_end.year == 2024
    for value in (meta.organisation, meta.kommun, meta.report_type):
        assert isinstance(value, str) and value == value.strip() and value not in ("", "None")
        assert all(
            unicodedata.category(c)[0] in "LM" or unicodedata.category(c) == "Nd" or c in TEXT_PUNCTUATION
            for c in value
        )
        assert markdown_literal(value).replace("\\", "") == value  # escaping changes no visible character
    assert meta.logo is None or meta.logo.is_file()
    assert meta.accent_colour is None or (len(meta.accent_colour) == 7 and meta.accent_colour[0] == "#")
