"""Fill a year started by `rapportbok new-year` with generated values (for tests only: these are not
anyone's real figures)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from rapportbok.narrative.templates import REWRITE_MARKER


def _rewrite(path: Path, change) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for number, row in enumerate(rows):
        change(number, row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def generated_outcome(number: int) -> float:
    """A recognisable generated value for the n-th indicator row: 1001.5, 1014.0, …"""
    return 1001.5 + 12.5 * number


def fill_year(data: Path, year: int, source_year: int) -> None:
    """Fill every value new-year left empty, and rewrite every text (remove its marker)."""
    folder = data / str(year)

    def goal(_: int, row: dict) -> None:
        row.update(bedomning="Uppfyllt", trend="Oförändrad")

    def indicator(_: int, row: dict) -> None:
        row.update(
            bedomning="Uppfyllt",
            trend="Positiv",
            kommentar="Genererad kommentar.",
            kommentar_datum=f"{year}-12-31",
        )

    def outcome(number: int, row: dict) -> None:
        if row["ar"] == str(year):
            row.update(utfall=str(generated_outcome(number)), mal=str(generated_outcome(number) - 1))

    def assignment(_: int, row: dict) -> None:
        row.update(prognos="Enligt plan", kommentar="Genererad kommentar.", kommentar_datum=f"{year}-12-31")

    def sick(number: int, row: dict) -> None:
        row["procent"] = f"{2 + number * 0.25:.2f}"

    def operating(number: int, row: dict) -> None:
        row.update(
            budget=str(-1000 * (number + 1)),
            utfall=str(-900 * (number + 1)),
            avvikelse=str(100 * (number + 1)),
        )

    for name, change in [
        ("inriktningsmal", goal),
        ("indikatorer", indicator),
        ("indikator_utfall", outcome),
        ("uppdrag", assignment),
        ("sjukfranvaro", sick),
        ("sjukfranvaro_ar", sick),
        ("personalomsattning", sick),
        ("drift", operating),
        ("drift_verksamhet", operating),
    ]:
        _rewrite(folder / f"{name}.csv", change)
    shutil.copy(data / str(source_year) / "investeringar.csv", folder / "investeringar.csv")
    for text in (folder / "text").rglob("*.md"):
        lines = text.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = "".join(line for line in lines if not line.startswith(f"> {REWRITE_MARKER}"))
        text.write_text(kept.replace(f" {REWRITE_MARKER}", "").lstrip("\n"), encoding="utf-8")
    for text in (folder / "text/maluppfyllelse").glob("mal-*.md"):  # every goal is now Uppfyllt
        text.write_text("Inriktningsmålet bedöms uppfyllt. Genererad analys.\n", encoding="utf-8")
