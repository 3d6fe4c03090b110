"""A number right after a word that names what it identifies ("målområde 7", "projekt 24007") is an id,
not a typed figure; the cheap test before the search gives what the search alone gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rapportbok.narrative.typed import ID_BEFORE, ID_WINDOW, _after_id_word, typed_figures

PIECES = ["mål", "Målet", "MÅLOMRÅDE", "projekt", "nr", "avsnitt", "x", "ab", "1", "24"]
PIECES += [" ", "  ", "\n", "\t"]
PIECES += ["\u00a0", "\u2003", "-", ".", "é", "ſ", "K", "\u212a", "_", "å"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.integers(0, 60))
def test_the_id_word_test_agrees_with_the_search(text: str, cut: int) -> None:
    start = min(cut, len(text))
    expected = ID_BEFORE.search(text, max(0, start - ID_WINDOW), start) is not None
    assert _after_id_word(text, start) is expected


def test_a_number_after_an_id_word_is_no_typed_figure() -> None:
    text = "Målområde 7 och projekt\n24007 kostade 12 mnkr; nr  3, sida 4.\n" + "1 \n" * 50
    assert [figure.written for figure in typed_figures(text)] == ["12 mnkr", "4"] + ["1"] * 50
