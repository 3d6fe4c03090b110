"""Cross-checks report disagreements in the published figures without changing them."""

from __future__ import annotations

from pathlib import Path

from rapportbok.checks.check import check_year
from rapportbok.checks.crosschecks import all_warnings
from rapportbok.data.load import book_of, load_year


def test_the_2024_rounding_differences_are_reported(project_root: Path) -> None:
    """The 2024 report has 1 tkr rounding differences; each is a warning, the data is unchanged."""
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    warnings = [str(w).replace("\u00a0", " ") for w in all_warnings(report)]
    assert (
        "data/kommunstyrelsekontoret/"
        "2024/drift.csv: avvikelse för kapitalkostnader (utfall − budget): publicerat "
        "14 811 tkr, beräknat 14 812 tkr (skillnad -1 tkr)"
    ) in warnings
    assert any(
        'summan av verksamheterna, kolumn "avvikelse": publicerat 22 355 tkr, beräknat 22 354 tkr' in w
        for w in warnings
    )
    assert any('summa för IT, kolumn "budget_ar": publicerat -32 030 tkr' in w for w in warnings)
    assert len(warnings) == 5
    assert report.drift.set_index("post_id").loc["kapitalkostnader", "avvikelse"] == 14811


def test_consistent_figures_give_no_warning(project_copy: Path) -> None:
    """When the published figures add up, the check is silent."""
    drift = project_copy / "data" / "kommunstyrelsekontoret" / "2024" / "drift.csv"
    drift.write_text(
        drift.read_text(encoding="utf-8").replace("-27966,-13154,14811,", "-27966,-13154,14812,"),
        encoding="utf-8",
    )
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    assert not [w for w in all_warnings(report) if "kapitalkostnader" in str(w)]


def test_check_passes_2024_with_warnings(project_root: Path) -> None:
    """The published 2024 data is valid; its disagreements are warnings, not errors."""
    result = check_year(book_of(2024, project_root / "data" / "kommunstyrelsekontoret"))
    assert result.ok, result.problems
    # + 14 from source_checks and assessments, + 6 empty comments ("."; own tests)
    assert len(result.all_warnings) == 7 + 14 + 6
    # all acknowledged in kanda_avvikelser.yml, with their reasons: one line summarises them
    assert [w.code for w in result.warnings] == ["known.summary"]
    assert len(result.acknowledged) == len(result.all_warnings)
