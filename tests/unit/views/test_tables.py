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
