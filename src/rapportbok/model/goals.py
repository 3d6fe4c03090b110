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
    figures = {}
    for goal in report.inriktningsmal.itertuples():
        indicators = report.indikatorer[report.indikatorer["mal_id"] == goal.mal_id]
        tasks = report.uppdrag[report.uppdrag["mal_id"] == goal.mal_id]
        initiatives = tasks[tasks["typ"] == AssignmentKind.NAMNDINITIATIV]
        assignments = tasks[tasks["typ"] == AssignmentKind.UPPDRAG]
        figures[str(goal.mal_id)] = {
            "titel": goal.titel,
            "bedomning": goal.bedomning,
            "trend": goal.trend,
            "indikatorer": len(indicators),
            "indikatorer_uppfyllda": _count(indicators["bedomning"], *vocabulary.fulfilled),
            "indikatorer_ej_uppfyllda": _count(indicators["bedomning"], *vocabulary.not_fulfilled),
            "indikatorer_utan_varde": _count(indicators["bedomning"], vocabulary.no_value.value),
            "indikatorer_matta": int(indicators["indikator_id"].isin(measured).sum()),
            "uppdrag": len(assignments),
            "uppdrag_slutforda": _count(assignments["status"], AssignmentStatus.COMPLETED),
            "namndinitiativ": len(initiatives),
            "namndinitiativ_slutforda": _count(initiatives["status"], AssignmentStatus.COMPLETED),
        }
    return figures


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
