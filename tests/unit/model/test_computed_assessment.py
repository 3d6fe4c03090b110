"""The assessment and trend computed from an indicator's outcomes and target, by its direction."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rapportbok.data.load import load_year
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import Assessment, IndicatorDirection, Trend
from rapportbok.model.computed_assessment import (
    Outcome,
    computed_assessment,
    computed_trend,
    differing_assessments,
    indicator_assessments,
)

HIGHER, LOWER = IndicatorDirection.HIGHER_IS_BETTER, IndicatorDirection.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("direction", "outcome", "target", "expected"),
    [
        (HIGHER, 114.0, 110.0, Assessment.FULFILLED),
        (HIGHER, 82.1, 83.0, Assessment.NOT_FULFILLED),
        (HIGHER, 75.0, 75.0, Assessment.FULFILLED),
        (LOWER, 3.0, 2.0, Assessment.NOT_FULFILLED),
        (LOWER, 6914.0, 8800.0, Assessment.FULFILLED),
        (LOWER, 10.0, 10.0, Assessment.FULFILLED),
    ],
)
def test_it_meets_the_target_by_the_direction(
    direction: IndicatorDirection, outcome: float, target: float, expected: Assessment
) -> None:
    """Higher is better: at least the target; lower is better: at most the target; equal meets both."""
    assert computed_assessment(direction, outcome, target, 1).value == expected


def test_it_compares_values_as_shown_rounded_to_the_decimals() -> None:
    """7.04 shown with one decimal is 7,0, which meets a target of 7.0 whichever way is better."""
    assert computed_assessment(HIGHER, 6.96, 7.0, 1).value == Assessment.FULFILLED
    assert computed_assessment(LOWER, 7.04, 7.0, 1).value == Assessment.FULFILLED
    assert computed_assessment(LOWER, 7.06, 7.0, 1).value == Assessment.NOT_FULFILLED


def test_a_missing_outcome_or_target_gives_no_assessment() -> None:
    """Without the year's outcome or a target there is nothing to compute, and the rule says which."""
    missing_outcome = computed_assessment(HIGHER, None, 91.0, 1)
    missing_target = computed_assessment(HIGHER, 518.0, None, 0)
    assert missing_outcome.value == missing_target.value == Assessment.NO_VALUE
    assert missing_outcome.rule == "årets utfall saknas"
    assert missing_target.rule == "målvärde saknas"


def test_the_rule_names_the_direction_and_both_values() -> None:
    rule = computed_assessment(LOWER, 11.23, 10.0, 2).rule
    assert rule == "lägre är bättre: uppfyllt när utfallet är högst målvärdet; utfall 11,23, mål 10,00"


@pytest.mark.parametrize(
    ("direction", "before", "now", "expected"),
    [
        (HIGHER, 81.4, 82.1, Trend.POSITIVE),
        (HIGHER, 49.0, 36.0, Trend.NEGATIVE),
        (LOWER, 596.0, 0.0, Trend.POSITIVE),
        (LOWER, 11.19, 11.23, Trend.NEGATIVE),
        (HIGHER, 71.0, 71.0, Trend.UNCHANGED),
        (LOWER, 3.0, 3.0, Trend.UNCHANGED),
    ],
)
def test_the_trend_follows_the_direction(
    direction: IndicatorDirection, before: float, now: float, expected: Trend
) -> None:
    result = computed_trend(direction, Outcome(2024, now), [Outcome(2023, before), Outcome(2024, now)], 2)
    assert result.value == expected


def test_the_trend_compares_with_the_latest_earlier_outcome() -> None:
    """A gap (no outcome 2023) is skipped: 2024 is compared with 2022, and the rule says so."""
    result = computed_trend(HIGHER, Outcome(2024, 20.0), [Outcome(2021, 30.0), Outcome(2022, 10.0)], 0)
    assert result.value == Trend.POSITIVE
    assert "2022 10, 2024 20" in result.rule


def test_the_trend_is_not_evaluated_without_an_outcome_or_an_earlier_one() -> None:
    assert computed_trend(HIGHER, None, [Outcome(2023, 1.0)], 0).value == Trend.NOT_EVALUATED
    assert computed_trend(HIGHER, Outcome(2024, 2083.0), [], 0).value == Trend.NOT_EVALUATED


def test_equal_after_rounding_is_unchanged() -> None:
    assert computed_trend(HIGHER, Outcome(2024, 3.04), [Outcome(2023, 2.96)], 1).value == Trend.UNCHANGED


@pytest.fixture(scope="module")
def report_2024() -> Report:
    return load_year(2024, Path(__file__).resolve().parents[3] / "data" / "kommunstyrelsekontoret")


def test_every_2024_indicator_has_a_direction(report_2024: Report) -> None:
    assert len(indicator_assessments(report_2024)) == len(report_2024.indikatorer)


def test_the_2024_differences(report_2024: Report) -> None:
    """Where the 2024 report's assessment or trend differs from the one computed from its own data."""
    found = {
        item.indicator_id: (
            (item.stated_assessment, item.assessment.value) if item.assessment_differs else None,
            (item.stated_trend, item.trend.value) if item.trend_differs else None,
        )
        for item in differing_assessments(report_2024)
    }
    assert found == {
        "1.1-03": (("Uppfyllt", "Inget värde angivet"), ("Oförändrad", "Ej utvärderad")),
        "6.1-04": (("Ej uppfyllt", "Inget värde angivet"), None),
        "6.2-01": (("Uppfyllt", "Inget värde angivet"), ("Positiv", "Ej utvärderad")),
        "6.3-02": (None, ("Positiv", "Negativ")),
        "7.3-01": (None, ("Oförändrad", "Negativ")),
    }


def test_an_indicator_without_a_direction_is_not_computed(report_2024: Report) -> None:
    indicators = report_2024.indikatorer.copy()
    indicators.loc[indicators["indikator_id"] == "7.3-01", "riktning"] = None
    changed = replace(report_2024, tables={**report_2024.tables, "indikatorer": indicators})
    assert "7.3-01" not in {item.indicator_id for item in indicator_assessments(changed)}
