"""Goals (inriktningsmål) and what counts towards them: indicators and assignments per goal.

What counts as fulfilled or not fulfilled is the organisation's vocabulary's (data/<org>/vokabular.yml;
Norrtälje's Uppfyllt / Ej uppfyllt by default): a scale may have more than one level of each."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rapportbok.core.formatting import number_in_words
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, OrgVocabulary
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import AssignmentKind, AssignmentStatus
from rapportbok.data.vocabulary_file import report_vocabulary


def goal_counts(report: Report) -> dict[str, int]:
    """How many goals there are and how many are assessed fulfilled / not fulfilled."""
    assessed = report.inriktningsmal["bedomning"]
    vocabulary = report_vocabulary(report)
    return {
        "antal": len(assessed),
        "uppfyllt": _count(assessed, *vocabulary.fulfilled),
        "ej_uppfyllt": _count(assessed, *vocabulary.not_fulfilled),
    }


def goal_figures(report: Report) -> dict[str, dict[str, Any]]:
    """Per goal id: title, assessment and counts of its indicators and assignments."""
    outcomes = report.indikator_utfall
    measured = set(outcomes.loc[(outcomes["ar"] == report.year) & outcomes["utfall"].notna(), "indikator_id"])
    vocabulary = report_vocabulary(report)
    indicators = report.indikatorer
    assessed = indicators["bedomning"]
    per_indicator = _per_goal(
        indicators,
        indikatorer=pd.Series(True, index=indicators.index),
        indikatorer_uppfyllda=assessed.isin(vocabulary.fulfilled),
        indikatorer_ej_uppfyllda=assessed.isin(vocabulary.not_fulfilled),
        indikatorer_utan_varde=assessed.isin([vocabulary.no_value.value]),
        indikatorer_matta=indicators["indikator_id"].isin(measured),
    )
    tasks = report.uppdrag
    completed = tasks["status"].isin([AssignmentStatus.COMPLETED])
    assignments = tasks["typ"].isin([AssignmentKind.UPPDRAG])
    initiatives = tasks["typ"].isin([AssignmentKind.NAMNDINITIATIV])
    per_task = _per_goal(
        tasks,
        uppdrag=assignments,
        uppdrag_slutforda=assignments & completed,
        namndinitiativ=initiatives,
        namndinitiativ_slutforda=initiatives & completed,
    )
    figures = {}
    for goal in report.inriktningsmal.itertuples():
        figures[str(goal.mal_id)] = {
            "titel": goal.titel,
            "bedomning": goal.bedomning,
            "trend": goal.trend,
            **_counts_of(per_indicator, goal.mal_id),
            **_counts_of(per_task, goal.mal_id),
        }
    return figures


def _per_goal(table: pd.DataFrame, **counted: pd.Series) -> pd.DataFrame:
    """How many rows of `table` each flag in `counted` holds for, per goal (`mal_id`; one pass, not one
    filtering of the table per goal). Every flag is a column, also for a goal without rows."""
    flags = pd.DataFrame(counted, index=table.index).astype(bool)
    return flags.groupby(table["mal_id"], dropna=True).sum()


def _counts_of(per_goal: pd.DataFrame, goal_id: Any) -> dict[str, int]:
    """The goal's row of `_per_goal` as whole numbers; zeros for a goal with no rows."""
    if goal_id in per_goal.index:
        row = per_goal.loc[goal_id]
        return {name: int(row[name]) for name in per_goal.columns}
    return dict.fromkeys(per_goal.columns, 0)


def _count(values: pd.Series, *wanted: str) -> int:
    return int(values.isin(wanted).sum())


ALL_FULFILLED = "samtliga inriktningsmål bedöms som uppfyllda"
NONE_FULFILLED = "inga av inriktningsmålen når måluppfyllelse"
ONE_FULFILLED = "inriktningsmålet bedöms som uppfyllt"
ONE_NOT_FULFILLED = "inriktningsmålet når inte måluppfyllelse"


def area_statement(assessments: pd.Series, vocabulary: OrgVocabulary = DEFAULT_VOCABULARY) -> str | None:
    """What the goals' assessments say about their area, e.g. 'samtliga inriktningsmål bedöms som
    uppfyllda'; None while an assessment is missing (the statement cannot be made yet)."""
    if assessments.empty or assessments.isna().any():
        return None
    total = len(assessments)
    fulfilled = _count(assessments, *vocabulary.fulfilled)
    if vocabulary.names != DEFAULT_VOCABULARY.names:
        return _named_statement(fulfilled, total, vocabulary.name("mal").plural)
    if total == 1:
        return ONE_FULFILLED if fulfilled else ONE_NOT_FULFILLED
    if fulfilled == total:
        return ALL_FULFILLED
    if fulfilled == 0:
        return NONE_FULFILLED
    return f"{number_in_words(fulfilled)} av {number_in_words(total)} inriktningsmål bedöms som uppfyllda"


def _named_statement(fulfilled: int, total: int, goals: str) -> str:
    """The statement for goals named otherwise than inriktningsmål (`goals`: the plural, e.g. 'nämndmål')."""
    if total == 1:
        return "målet bedöms som uppfyllt" if fulfilled else "målet når inte måluppfyllelse"
    if fulfilled == total:
        return f"samtliga {goals} bedöms som uppfyllda"
    if fulfilled == 0:
        return f"inga {goals} bedöms som uppfyllda"
    return f"{number_in_words(fulfilled)} av {number_in_words(total)} {goals} bedöms som uppfyllda"


def area_figures(report: Report, area: object) -> dict[str, Any]:
    """Per goal area: how many goals, how many fulfilled / not fulfilled, and the area's statement."""
    goals = report.inriktningsmal[report.inriktningsmal["malomrade"] == area]
    assessed = goals["bedomning"]
    vocabulary = report_vocabulary(report)
    return {
        "antal": len(goals),
        "uppfyllt": _count(assessed, *vocabulary.fulfilled),
        "ej_uppfyllt": _count(assessed, *vocabulary.not_fulfilled),
        "bedomning": area_statement(assessed, vocabulary),
    }
