"""Property: every regular expression and scanner that reads analyst input (narrative, a cell, a logo, a
command-line value) returns on a 200 kB line built from its own special characters.

Before issue 24, one line of 150 000 "<" kept `check` busy for more than 400 s, "{{" × 250 000 for 240 s
and "](" × 200 000 for 184 s: each `<`, `{{` or `](` made a search rescan the rest of the line, so the work
grew with the square of the line. A linear function does a 200 kB line in well under a second; a
quadratic one needs minutes. Each call runs under a signal-based guard (core.deadline.time_limit) far
above the first and far below the second, so that a regression fails the test, naming the function and
the line, instead of hanging the suite; the guard is not a measurement of speed.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from rapportbok.checks.claims import stated_assessments
from rapportbok.checks.hostile import link_problems, script_problems
from rapportbok.checks.texts import _names_on_line
from rapportbok.checks.todo import markdown_text
from rapportbok.core.arguments import swedish_message
from rapportbok.core.deadline import time_limit
from rapportbok.core.markup import markdown_literal
from rapportbok.data.csvfile import SWEDISH_NUMBER, UNLIKELY_IN_CP1252
from rapportbok.data.images import CSS_URL, EMBEDDED, svg_problem
from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.exceptions import TimeLimitExceeded
from rapportbok.narrative.markdown_bounds import MAX_BRACKET_LINES, MAX_EMPHASIS_MARKS, markdown_bound_problem
from rapportbok.narrative.placeholders import PLACEHOLDER
from rapportbok.narrative.templates import placeholder_problems, swedish_syntax_message, without_refused
from rapportbok.narrative.typed import address_spans, typed_figures
from rapportbok.views.text import HEADING

ROOT = Path(__file__).resolve().parents[2]
SIZE = 200_000  # characters of one adversarial line
GUARD_SECONDS = 60  # a linear function: < 1 s even on a loaded machine; a quadratic one: minutes
KEY = "ekonomi/driftredovisning"

# The pieces each pattern is made of: its literal characters and words, blanks, digits and what starts or
# ends a construct (<, {{, ](, https://, "bedöms", "on…="), so that every pattern's worst case can be built.
PIECES = [
    "<",
    ">",
    "/",
    " ",
    "\n",
    "\t",
    "{{",
    "}}",
    "{%",
    "{#",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "*",
    "_",
    "`",
    "|",
    "~",
    "#",
    ":",
    "=",
    ".",
    ",",
    "-",
    "+",
    "%",
    "'",
    '"',
    "\\",
    "1",
    "11",
    "2024",
    "1 000",
    "on",
    "onclick",
    "script",
    "javascript",
    "style",
    "https://",
    "mailto:",
    "href",
    "url(",
    "<!--",
    "&#",
    "är",
    "bedöms",
    "ej",
    "inte",
    "delvis",
    "som",
    "vara",
    "uppfyllt",
    "nå",
    "måluppfyllelse",
    "tio",
    "maj",
    "mål",
    "projekt",
    "mnkr",
    "procent",
    "argument ",
    ": invalid choice: ",
    "\u00a0",
    "Ã",
]


def _report() -> Report:
    return load_year(2024, ROOT / "data" / "kommunstyrelsekontoret", lazy=True)


REPORT = _report()

FUNCTIONS: dict[str, Callable[[str], object]] = {
    "hostile.script_problems": lambda text: script_problems(text, "t.md"),
    "typed.typed_figures": typed_figures,
    "typed.address_spans": lambda text: list(address_spans(text)),
    "claims.stated_assessments": stated_assessments,
    "check._names_on_line": lambda text: _names_on_line([text], 1),
    "placeholders.PLACEHOLDER": lambda text: list(PLACEHOLDER.finditer(text)),
    "templates.placeholder_problems": lambda text: placeholder_problems(REPORT, KEY, text),
    "templates.without_refused": lambda text: without_refused(REPORT, text),
    "templates.swedish_syntax_message": swedish_syntax_message,
    "markdown_bounds.markdown_bound_problem": lambda text: markdown_bound_problem(text, "t.md"),
    "todo.markdown_text": markdown_text,
    "markup.markdown_literal": markdown_literal,
    "arguments.swedish_message": swedish_message,
    "text.HEADING": HEADING.fullmatch,
    "csvfile.SWEDISH_NUMBER": SWEDISH_NUMBER.search,
    "csvfile.UNLIKELY_IN_CP1252": UNLIKELY_IN_CP1252.search,
    "images.CSS_URL": CSS_URL.search,
    "images.EMBEDDED": EMBEDDED.match,
    "images.svg_problem": lambda text: svg_problem(text.encode()),
}


def _returns(name: str, function: Callable[[str], object], text: str) -> None:
    """Call `function(text)`; fail (never hang) if it has not returned after GUARD_SECONDS."""
    try:
        with time_limit(GUARD_SECONDS):
            function(text)
    except TimeLimitExceeded:
        pytest.fail(
            f"{name} did not return within {GUARD_SECONDS} s on {len(text)} characters: {text[:40]!r}…"
        )


def _long(unit: str, prefix: str = "") -> str:
    return prefix + unit * (SIZE // len(unit) + 1)


@given(
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map("".join),
    prefix=st.sampled_from(["", "<", "{{", "](", "<a", "{{ ", "är", "1"]),
)
@example(unit="<", prefix="")  # the repros
@example(unit="{{", prefix="")
@example(unit="](", prefix="")
@example(unit="*a _b ", prefix="")
@example(unit=" ", prefix="<")  # one opening and then a long run that could be split many ways
@example(unit=" ", prefix="{{")
@example(unit=" ", prefix="javascript")
@example(unit="a", prefix=" on")
@example(unit="1:", prefix="")
@example(unit="1 \n", prefix="")
@example(unit="är uppfyllt ", prefix="")
@example(unit="argument ", prefix="unrecognized arguments: ")
@example(unit="2024", prefix="<")  # one run of 200 000 digits: a day is one or two digits, not int() of all
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a slow example is named as it is
    suppress_health_check=[HealthCheck.too_slow],
)
def test_every_pattern_on_analyst_input_returns_on_a_200_kB_line(unit: str, prefix: str) -> None:
    text = _long(unit, prefix)
    for name, function in FUNCTIONS.items():
        _returns(name, function, text)


def test_placeholders_are_found_as_the_regular_expression_finds_them() -> None:
    text = "a {{ x }} b {{}} {{{ y }}} }} {{ z }}} {{ open"
    assert [match.group(0) for match in PLACEHOLDER.finditer(text)] == [
        "{{ x }}",
        "{{}}",
        "{{{ y }}",
        "{{ z }}",
    ]
    assert PLACEHOLDER.sub(lambda match: "#", text) == "a # b # #} }} #} {{ open"


def test_addresses_are_the_spans_the_old_expression_blanked() -> None:
    text = "se [x](https://a.se/1) och <https://b.se/2> eller https://c.se/3, [y](utan slut 4"
    spans = [text[start:end] for start, end in address_spans(text)]
    assert spans == ["](https://a.se/1)", "<https://b.se/2>", "https://c.se/3,"]
    assert [figure.written for figure in typed_figures(text)] == ["4"]  # the digits in addresses are not


def test_a_paragraph_of_emphasis_marks_is_refused_before_markdown_it_sees_it() -> None:
    # 480 kB of "*a _b " made markdown-it run out of memory (MemoryError); now the text is one located
    # problem, found by counting, and the parser never allocates for it.
    text = "Inledning.\n\n" + "*a _b " * 80_000
    tracemalloc.start()
    try:
        problems = link_problems(text, "data/x/2024/text/t.md", REPORT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(problem.row, problem.message) for problem in problems] == [
        (3, "stycket har för många tecken * och _ (högst 2\u00a0000 per stycke)")
    ]
    assert peak < 16 * 2**20  # bytes: a copy of the text or two, not markdown-it's quadratic lists


def test_emphasis_marks_up_to_the_limit_in_each_paragraph_are_parsed() -> None:
    paragraph = "*" * MAX_EMPHASIS_MARKS
    assert markdown_bound_problem(f"{paragraph}\n\n{paragraph}\n", "t.md") is None
    found = markdown_bound_problem(f"x\n\n{paragraph}\n_\n", "t.md")
    assert found is not None and found.row == 3


def test_a_paragraph_of_reference_definitions_is_refused_before_markdown_it_sees_it() -> None:
    # markdown-it tries each line that begins with [ as a link reference definition against the rest of
    # its paragraph: 1 400 lines of "[a]: b" took 30 s, 73 000 (512 kB) would take hours.
    problems = link_problems("Inledning.\n\n" + "[a]: https://a.se\n" * 1400, "t.md", REPORT)
    assert [(problem.row, problem.message) for problem in problems] == [
        (3, f"stycket har för många rader som börjar med [ (högst {MAX_BRACKET_LINES} per stycke)")
    ]


def test_lists_of_links_and_separate_paragraphs_of_definitions_are_parsed() -> None:
    links = "".join(f"- [Rapport {number}](https://a.se/{number})\n" for number in range(50))
    definitions = "".join(f"> [a{number}]: https://a.se\n" for number in range(MAX_BRACKET_LINES))
    assert markdown_bound_problem(links + "\n" + definitions, "t.md") is None
    assert markdown_bound_problem(definitions + "> [b]: https://b.se\n", "t.md") is not None
    assert len(link_problems(links, "t.md", REPORT)) == 0
