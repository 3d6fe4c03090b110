"""The checks read a table's rows with the numbers the analyst sees and each column's own values."""

from __future__ import annotations

import pandas as pd

from rapportbok.checks.rows import numbered_rows
from rapportbok.core.formatting import is_missing


def test_rows_are_numbered_from_2_under_the_header_and_keep_their_columns_values() -> None:
    frame = pd.DataFrame(
        {
            "projekt_nr": pd.array([24007, None], dtype="Int64"),
            "utfall": pd.array([-1250, 30], dtype="Int64"),
            "projekt": pd.array(["Skolgården", "Bryggan"], dtype="string"),
        }
    )
    rows = list(numbered_rows(frame))
    assert [number for number, _ in rows] == [2, 3]
    first, second = rows[0][1], rows[1][1]
    assert f"projekt {first['projekt_nr']} ({first['projekt']}): {first['utfall']}" == (
        "projekt 24007 (Skolgården): -1250"
    )
    assert is_missing(second["projekt_nr"])


def test_a_row_of_numbers_only_keeps_its_whole_numbers() -> None:
    """iterrows made one Series of a row, and a row of an int and a float became two floats ("3.0")."""
    frame = pd.DataFrame({"antal": [3], "procent": [7.19]})
    [(number, row)] = list(numbered_rows(frame))
    assert (number, str(row["antal"]), str(row["procent"])) == (2, "3", "7.19")
