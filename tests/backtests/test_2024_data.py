"""Back-tests: data/kommunstyrelsekontoret/2024 against values read from the published 2024 report
(the seed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rapportbok.checks.check import check_year
from rapportbok.data.load import book_of, load_year
from rapportbok.data.report import Report
from rapportbok.model.assignments import summary


@pytest.fixture(scope="module")
def report() -> Report:
    return load_year(2024, Path(__file__).resolve().parents[2] / "data" / "kommunstyrelsekontoret")


def test_metadata(report: Report) -> None:
    """Organisation, municipality and period end as printed ("Period: 2024-12-31")."""
    assert (report.meta.organisation, report.meta.kommun) == ("Kommunstyrelsekontoret", "Norrtälje kommun")
    assert report.meta.period_end.isoformat() == "2024-12-31"
    names = report.malomraden.set_index("malomrade")["namn"]
    assert names[3] == "Norrtälje ska vara en trygg kommun - både i vardag och kris"
    assert names[7].startswith("Norrtälje ska vara en inkluderande kommun")
    assert names.isna().sum() == 5


def test_eighteen_goals_thirteen_fulfilled(report: Report) -> None:
    """18 inriktningsmål; 13 bedöms nå måluppfyllelse, fem ej (2.1, 3.1, 3.2, 3.3, 6.3)."""
    goals = report.inriktningsmal
    assert len(goals) == 18
    assert (goals["bedomning"] == "Uppfyllt").sum() == 13
    assert list(goals.loc[goals["bedomning"] == "Ej uppfyllt", "mal_id"]) == [
        "2.1",
        "3.1",
        "3.2",
        "3.3",
        "6.3",
    ]
    assert set(goals["malomrade"]) == {1, 2, 3, 4, 5, 6, 7}
    assert goals.set_index("mal_id").loc["1.1", "trend"] == "Negativ"


def test_thirty_two_indicators(report: Report) -> None:
    """32 indicators: 31 KF and one Nämnd (sommarjobb), four years of outcomes each."""
    indicators = report.indikatorer
    assert len(indicators) == 32
    assert indicators["niva"].value_counts().to_dict() == {"KF": 31, "Nämnd": 1}
    assert len(report.indikator_utfall) == 32 * 4
    assert set(report.indikator_utfall["ar"]) == {2021, 2022, 2023, 2024}


@pytest.mark.parametrize(
    ("indicator", "year", "outcome", "target"),
    [
        ("1.1-01", 2024, 7.3, 0.0),  # Budgetföljsamhet 7,3% mot 0,0%
        ("1.1-02", 2022, 296.0, None),
        ("1.1-05", 2024, 0.0, 13000.0),  # Låneskuld (i kommun) 0 mot 13 000
        ("1.1-06", 2021, 55226.0, None),
        ("2.1-01", 2024, 82.1, 83.0),
        ("3.3-01", 2024, 11.23, 10.0),  # Tid från larm till framkomst
        ("3.3-02", 2024, 2083.0, 2100.0),
        ("5.1-01", 2022, 22171.0, None),
        ("6.3-02", 2024, 361133.0, 405000.0),  # gästnätter
        ("7.3-01", 2024, 36.0, 30.0),
    ],
)
def test_a_sample_of_indicator_values(
    report: Report, indicator: str, year: int, outcome: float, target: float | None
) -> None:
    """Outcomes and targets as printed in the indicator tables."""
    row = report.indikator_utfall.set_index(["indikator_id", "ar"]).loc[(indicator, year)]
    assert row["utfall"] == pytest.approx(outcome)
    assert (pd.isna(row["mal"]) and target is None) or row["mal"] == pytest.approx(target)


def test_missing_outcomes_and_notes_are_kept(report: Report) -> None:
    """Empty where the report has none; the "*" of Nettokostnadsavvikelse 2024 is kept as a note."""
    outcomes = report.indikator_utfall.set_index(["indikator_id", "ar"])
    assert outcomes.loc[("1.1-03", 2024), "utfall_notering"] == "*"
    assert pd.isna(outcomes.loc[("1.1-03", 2024), "utfall"])
    assert outcomes.loc[("3.2-01", 2021), "utfall"] is pd.NA
    assert outcomes.loc[("6.2-01", 2024), "utfall"] is pd.NA
    assert pd.isna(outcomes.loc[("6.1-04", 2024), "mal"])
    assessed = report.indikatorer.set_index("indikator_id")
    assert assessed.loc["3.1-01", "bedomning"] == "Inget värde angivet"
    assert assessed.loc["3.1-01", "trend"] == "Ej utvärderad"


def test_assignments_per_status_match_the_published_summary(report: Report) -> None:
    """18 uppdrag + 18 nämndinitiativ; the computed summary equals the table printed in the report."""
    assert report.uppdrag["typ"].value_counts().to_dict() == {"Uppdrag": 18, "Nämndinitiativ": 18}
    computed = summary(report)
    published = report.uppdrag_sammanstallning.fillna({"status": "", "enligt_plan": 0})
    assert computed[["typ", "status", "enligt_plan", "avvikelse", "total"]].astype(str).values.tolist() == (
        published[["typ", "status", "enligt_plan", "avvikelse", "total"]].astype(str).values.tolist()
    )
    assert computed.iloc[-1].tolist() == ["Total Summa", "", 21, 15, 36]


def test_what_carries_over_and_what_is_struck(report: Report) -> None:
    """Five items go over to 2025, one initiative (the new vision) is struck, each with its reason."""
    decisions = report.uppdrag_nasta_ar.set_index("uppdrag_id")
    assert sorted(decisions.index[decisions["beslut"] == "Går över till nästa år"]) == [
        "N03",
        "N08",
        "N13",
        "N14",
        "U11",
    ]
    assert list(decisions.index[decisions["beslut"] == "Stryks"]) == ["N04"]
    assert decisions.loc["U11", "orsak"].startswith("Uppdraget har försenats")
    assert report.uppdrag.set_index("uppdrag_id").loc["N04", "status"] == "Struken"


def test_sick_leave_and_turnover(report: Report) -> None:
    """Monthly sick leave for nämnd and kommun, yearly 3,8 % / 5,6 %, turnover 7,19 % / 4,94 %."""
    monthly = report.sjukfranvaro.set_index(["grupp", "manad"])["procent"]
    assert len(monthly) == 24
    assert [monthly[("Kommunen", m)] for m in (1, 2, 12)] == [8.0, 9.2, 5.1]
    assert [monthly[("Nämnden", m)] for m in (1, 7, 12)] == [5.7, 1.4, 2.7]
    yearly = report.sjukfranvaro_ar.set_index("grupp")["procent"]
    assert (yearly["Nämnden"], yearly["Kommunen"]) == (3.8, 5.6)
    turnover = report.personalomsattning.set_index("typ")["procent"]
    assert (turnover["Extern"], turnover["Intern"]) == (7.19, 4.94)


def test_operating_totals(report: Report) -> None:
    """Summa Driftbudget -305 285 / -282 930 / 22 355 / -258 055 and IT's +13 450 tkr."""
    total = report.drift.set_index("post_id").loc["summa"]
    assert [total[c] for c in ("budget", "utfall", "avvikelse", "utfall_foregaende_ar")] == [
        -305285,
        -282930,
        22355,
        -258055,
    ]
    assert report.drift_verksamhet.set_index("verksamhet_id").loc["it", "avvikelse"] == 13450
    investments = report.investeringar.set_index("projekt")
    assert investments.loc["Totalt investeringar Räddningstjänst", "total_budget"] == -31050


def test_the_published_disagreements_are_warnings_not_fixes(project_root: Path) -> None:
    """The known inconsistencies of the 2024 report are reported; the data keeps the printed values."""
    result = check_year(book_of(2024, project_root / "data" / "kommunstyrelsekontoret"))
    assert result.ok
    warnings = [" ".join(str(w).split()) for w in result.all_warnings]
    expected = [
        'texten säger "22,3 mnkr" men data ger "22,4 mnkr"',
        'texten säger "75 tkr" men data ger "76 tkr"',
        "avvikelse för kapitalkostnader (utfall − budget): publicerat 14 811 tkr, beräknat 14 812 tkr",
        'summan av verksamheterna, kolumn "utfall": publicerat -282 930 tkr, beräknat -282 931 tkr',
        'summa för IT, kolumn "budget_ar": publicerat -32 030 tkr, beräknat -32 031 tkr',
    ]
    for text in expected:
        assert any(text in warning for warning in warnings), text
    # + row-level cross-checks, computed assessments and empty comments (own tests)
    assert len(warnings) == 7 + 14 + 6
