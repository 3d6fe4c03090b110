"""Property: random narrative templates from a grammar with hostile constructs end in a located message
or in plain text, quickly, and never run anything."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.exceptions import NarrativeError
from rapportbok.narrative.markdown import markdown_to_html
from rapportbok.narrative.templates import PLACEHOLDER_REFUSED, render_text
from tests.conftest import copy_project, examples

KEY = "tjanstegarantier/inforande"
FILE = f"data/kommunstyrelsekontoret/2024/text/{KEY}.md"
SENTINEL = "rapportbok-sandbox-sentinel"
# Tags markdown-it makes of Markdown (html disabled): anything else would be markup let through.
MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a", "img"}
MARKDOWN_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
PYTHON_REPR = re.compile(r"<(built-in|function|bound method|class|module|generator)|object at 0x|Undefined")

NAMES = st.sampled_from(
    [
        "ar",
        "organisation",
        "kommun",
        "drift",
        "mal",
        "investering",
        "malomrade",
        "uppdrag",
        "sjukfranvaro",
        "self",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
        "range",
        "config",
        "loop",
        "caller",
        "dict",
        "ｓelf",
    ]
)
KEYS = st.sampled_from(
    [
        ".summa",
        ".avvikelse",
        ".antal",
        ".namnden",
        '["24007"]',
        '["1.1"]',
        "[3]",
        ".titel",
        ".under_budget",
        ".__class__",
        ".__globals__",
        ".__init__",
        ".items",
        "._TemplateReference__context",
        '["__class__"]',
        ".__mro__[1]",
        ".__subclasses__",
        ".format",
        ".popen",
        ".os",
        "[ar]",
        "[0:1]",
    ]
)
LITERALS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        ["1e400", "-1e400", "0.5", "'abc'", '"x"', "true", "none", "'<b>'", "'[x](file:///etc/passwd)'"]
    ),
    st.text("ab<>[]()!`{}%#\\'", max_size=8).map(repr),
)
FILTERS = st.sampled_from(
    [
        "mnkr",
        "tkr",
        "tal",
        "procent",
        "ord",
        "abs",
        "capitalize",
        "tryckt",
        "attr",
        "format",
        "map",
        "join",
        "list",
        "safe",
        "e",
        "replace",
        "tojson",
        "batch",
        "xmlattr",
    ]
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 9 if depth < 3 else 1))
    if kind == 0:
        return draw(NAMES) + "".join(draw(st.lists(KEYS, max_size=4)))
    if kind == 1:
        return draw(LITERALS)
    inner = draw(expressions(depth + 1))
    other = draw(expressions(depth + 1))
    if kind == 2:
        return f"{inner} {draw(st.sampled_from(['+', '-', '*', '**', '/', '//', '%', '~']))} {other}"
    if kind == 3:
        args = draw(st.lists(st.one_of(LITERALS, st.just(inner)), max_size=2))
        named = draw(
            st.sampled_from(["", "signed=True", "decimals=1", "genus='en'", "foo=1", "*[1]", "**{}"])
        )
        call = ", ".join([*args, named] if named else args)
        return f"{inner} | {draw(FILTERS)}" + (f"({call})" if args or named else "")
    if kind == 4:
        return f"{inner}({other})"
    if kind == 5:
        return f"-{inner}"
    if kind == 6:
        return f"[{inner}, {other}]"
    if kind == 7:
        return f"{inner} if {other} else {inner}"
    if kind == 8:
        return f"{inner} is defined"
    return f"({inner})"


@st.composite
def templates(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        choice = draw(st.integers(0, 4))
        if choice == 0:
            parts.append(draw(st.text("abc åäö.,-*#[]()!<>`\n", max_size=20)))
        elif choice in (1, 2):
            parts.append("{{ " + draw(expressions()) + " }}")
        elif choice == 3:
            statement = draw(
                st.sampled_from(
                    [
                        "{% for i in range(1000000000) %}x{% endfor %}",
                        "{% set x = cycler %}",
                        f"{{% include '/tmp/{SENTINEL}' %}}",
                        "{% raw %}{{ ar }}{% endraw %}",
                        "{# kommentar #}",
                        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
                        "{% if ar %}x{% endif %}",
                        "{%",
                        "{{",
                        "}}",
                    ]
                )
            )
            parts.append(statement)
        else:
            parts.append("{{ cycler.__init__.__globals__.os.popen('touch /tmp/" + SENTINEL + "').read() }}")
    return "".join(parts)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Report]]:
    project = copy_project(tmp_path_factory.mktemp("templates") / "project")
    yield project, load_year(2024, project / "data" / "kommunstyrelsekontoret")


@settings(
    max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=templates())
def test_any_template_ends_in_a_located_message_or_plain_text(year: tuple[Path, Report], source: str) -> None:
    """A message naming the file (and the line, for anything outside the grammar), or text whose HTML
    holds only Markdown's own tags and no Python object; never another exception, never a command."""
    project, report = year
    (project / FILE).write_text(source, encoding="utf-8")
    started = time.monotonic()
    try:
        rendered = render_text(report, KEY, timeout=60)
    except NarrativeError as error:
        assert error.problem.file == FILE
        if error.problem.code == PLACEHOLDER_REFUSED:
            assert error.problem.row is not None, error.problem
    else:
        html = markdown_to_html(rendered.markdown)
        assert set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html)) <= MARKDOWN_TAGS, html
        assert not PYTHON_REPR.search(rendered.markdown), rendered.markdown
    assert time.monotonic() - started < 60
    assert not Path("/tmp", SENTINEL).exists()
