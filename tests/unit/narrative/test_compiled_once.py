"""A text is compiled once per process and filled in by each environment with its own formats."""

from __future__ import annotations

import time

import pytest

from rapportbok.core.deadline import Deadline
from rapportbok.narrative import sandbox
from rapportbok.narrative.sandbox import NarrativeEnvironment, render

HOUR = Deadline(3600, time.monotonic() + 3600)
TEXT = 'Avvikelsen är {{ avvikelse | tkr | tryckt("22,3 mnkr") }} och {{ ar }}.'
CONSTANT = 'Avvikelsen är {{ 22355 | tkr | tryckt("22,3 mnkr") }}.'  # Jinja may fold constants when compiling


@pytest.mark.parametrize(
    ("text", "expected"),
    [(TEXT, "Avvikelsen är 22,3 mnkr och 2024."), (CONSTANT, "Avvikelsen är 22,3 mnkr.")],
)
def test_a_text_compiled_once_reports_each_disagreement_to_the_environment_that_fills_it_in(
    text: str, expected: str
) -> None:
    first: list[tuple[str, str]] = []
    second: list[tuple[str, str]] = []
    values = {"avvikelse": 22355, "ar": 2024}
    sandbox._COMPILED.values.pop(text, None)

    filled = render(NarrativeEnvironment(lambda *pair: first.append(pair)), text, values, HOUR)
    code = sandbox._COMPILED.values[text]
    again = render(NarrativeEnvironment(lambda *pair: second.append(pair)), text, values, HOUR)

    assert sandbox._COMPILED.values[text] is code, "the second environment reuses the compiled code"
    assert filled == again == expected
    assert first == second == [("22,3 mnkr", "22 355 tkr")]


def test_a_process_keeps_a_bounded_amount_of_text_parsed_and_compiled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sandbox, "MAX_REMEMBERED", 200)
    environment = NarrativeEnvironment(lambda *pair: None)
    for number in range(40):
        render(environment, f"Text {number}: {{{{ ar }}}}", {"ar": 2024}, HOUR)
    too_long = "x" * 300 + "{{ ar }}"
    assert render(environment, too_long, {"ar": 2024}, HOUR) == "x" * 300 + "2024"
    for cache in (sandbox._TREES, sandbox._COMPILED):
        assert 0 < cache.characters == sum(map(len, cache.values)) <= 200
        assert too_long not in cache.values
