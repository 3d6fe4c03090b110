"""The house-style table."""

from __future__ import annotations

import pandas as pd

from rapportbok.views.tables import html_table, text_column, tkr_column


def test_a_table_is_escaped_captioned_and_right_aligned() -> None:
    """Text from data is escaped; numbers get the right-aligned class; headers carry the unit."""
    frame = pd.DataFrame(
        {
            "namn": ["<img src=x onerror=alert(1)>", "Summa"],
            "belopp": pd.array([-305285, None], dtype="Int64"),
        }
    )
    html = html_table(
        frame,
        [text_column("namn", "Namn"), tkr_column("belopp", "Belopp")],
        caption="Test & prov",
        emphasis=[False, True],
    ).html
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<caption id="test-prov-caption">Test &amp; prov</caption>' in html
    assert '<th scope="col" class="rb-num">Belopp (tkr)</th>' in html
    assert '<td class="rb-num">-305\u00a0285</td>' in html
    assert '<tr class="rb-total"><th scope="row" class="rb-text">Summa</th><td class="rb-num"></td>' in html
    assert 'role="region" tabindex="0" aria-labelledby="test-prov-caption"' in html


def test_a_long_text_gets_its_own_full_width_row_tied_to_its_row() -> None:
    """A comment goes on a row of its own under its row, labelled and tied to the row's header cell;
    rows without one get no empty row. The comment is escaped like every other cell."""
    frame = pd.DataFrame({"namn": ["Ett", "Två"], "kommentar": ["<b>Viktigt</b>", None]})
    html = html_table(
        frame,
        [text_column("namn", "Namn")],
        caption="Med kommentar",
        detail=text_column("kommentar", "Senaste kommentar"),
    ).html
    assert (
        '<tr class="rb-has-detail"><th scope="row" class="rb-text" id="med-kommentar-rad-1">Ett</th></tr>'
        '<tr class="rb-detail"><td colspan="1" headers="med-kommentar-rad-1" class="rb-text rb-detail-cell">'
        '<span class="rb-detail-label">Senaste kommentar:</span> &lt;b&gt;Viktigt&lt;/b&gt;</td></tr>'
    ) in html
    assert '<tr><th scope="row" class="rb-text">Två</th></tr></tbody>' in html
    assert html.count('rb-detail"') == 1
