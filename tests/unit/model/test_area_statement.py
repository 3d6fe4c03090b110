"""What a goal area's assessments say about it (model.goals.area_statement), as the summary shows it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rapportbok.data.load import load_year
from rapportbok.model.figures import key_figures
from rapportbok.model.goals import area_statement
from rapportbok.narrative.templates import render_text


@pytest.mark.parametrize(
    ("assessments", "statement"),
    [
        (["Uppfyllt", "Uppfyllt"], "samtliga inriktningsmål bedöms som uppfyllda"),
        (["Ej uppfyllt", "Delvis uppfyllt"], "inga av inriktningsmålen når måluppfyllelse"),
        (
            ["Uppfyllt", "Uppfyllt", "Uppfyllt", "Ej uppfyllt"],
            "tre av fyra inriktningsmål bedöms som uppfyllda",
        ),
        (["Uppfyllt"], "inriktningsmålet bedöms som uppfyllt"),
        (["Delvis uppfyllt"], "inriktningsmålet når inte måluppfyllelse"),
        (["Uppfyllt", None], None),
    ],
)
def test_an_area_statement_follows_its_goals_assessments(assessments: list, statement: str | None) -> None:
    assert area_statement(pd.Series(assessments, dtype=object)) == statement


def test_the_2024_summary_states_what_the_assessments_give(project_root: Path) -> None:
    report = load_year(2024, project_root / "data" / "kommunstyrelsekontoret")
    text = " ".join(render_text(report, "sammanfattning/mal").markdown.split())
    assert 'egenförsörjning", där samtliga inriktningsmål bedöms som uppfyllda.' in text
    assert "där inga av inriktningsmålen når måluppfyllelse, främst kring områdets indikatorer." in text
    assert key_figures(report)["malomrade"][7]["antal"] == 4


def test_the_summary_follows_a_changed_assessment(project_copy: Path) -> None:
    goals = project_copy / "data/kommunstyrelsekontoret/2024/inriktningsmal.csv"
    lines = goals.read_text(encoding="utf-8").splitlines(keepends=True)
    goals.write_text(
        "".join(
            line.replace(",Uppfyllt,", ",Ej uppfyllt,") if line.startswith("7.3,") else line for line in lines
        ),
        encoding="utf-8",
    )
    report = load_year(2024, project_copy / "data" / "kommunstyrelsekontoret")
    text = " ".join(render_text(report, "sammanfattning/mal").markdown.split())
    assert "där tre av fyra inriktningsmål bedöms som uppfyllda." in text
