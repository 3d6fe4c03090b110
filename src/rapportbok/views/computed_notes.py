"""Footnotes beside an indicator table where the computed assessment or trend differs from the stated one.

The stated value stays in its cell as published; a numbered mark after it links to a note under the
table that gives the computed value and the rule (model/computed_assessment.py).

Only a draft shows them (`build --draft`, `preview --draft`), like `check`'s warnings: they are the
analyst's findings. The published book shows the assessment the nämnd decided, without a second,
computed one beside it that a resident would read as the book contradicting the decision
(docs/bedomningar.md, "Beräknad och beslutad bedömning").
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rapportbok.data.report import Report
from rapportbok.model.computed_assessment import IndicatorAssessment, differing_assessments

NOTES_CLASS = "rb-computed-notes"


@dataclass(frozen=True)
class ComputedNotes:
    """The differing indicators of one table, numbered in table order."""

    table_id: str
    numbered: dict[str, tuple[int, IndicatorAssessment]]

    def note_id(self, number: int) -> str:
        return f"{self.table_id}-berakning-{number}"

    def mark(self, indicator_id: str, trend: bool) -> str:
        """The footnote mark after a stated assessment (or trend) that differs from the computed one."""
        entry = self.numbered.get(indicator_id)
        if entry is None:
            return ""
        number, item = entry
        if not (item.trend_differs if trend else item.assessment_differs):
            return ""
        return (
            f'<sup class="rb-note-ref"><a href="#{self.note_id(number)}" '
            f'aria-label="Not {number}: beräknat värde">{number}</a></sup>'
        )

    def html(self) -> str:
        """The notes under the table (empty when nothing differs)."""
        if not self.numbered:
            return ""
        items = []
        for number, item in self.numbered.values():
            parts = []
            if item.assessment_differs:
                parts.append(
                    f"bedömning {escape(item.stated_assessment)}, beräknad {escape(item.assessment.value)} "
                    f"({escape(item.assessment.rule)})"
                )
            if item.trend_differs:
                parts.append(
                    f"trend {escape(item.stated_trend)}, beräknad {escape(item.trend.value)} "
                    f"({escape(item.trend.rule)})"
                )
            items.append(
                f'<li id="{self.note_id(number)}">{escape(item.name)} Publicerad {"; ".join(parts)}.</li>'
            )
        return (
            f'<div class="{NOTES_CLASS}"><p>Beräknat ur utfall och mål där det skiljer sig från den '
            f"publicerade bedömningen eller trenden (de publicerade värdena står kvar):</p>"
            f"<ol>{''.join(items)}</ol></div>"
        )


def computed_notes(report: Report, goal_id: str, table_id: str) -> ComputedNotes:
    """The notes for goal `goal_id`'s indicator table, numbered in the table's order; none outside a
    draft (the published book leaves the finding to the analyst's channels)."""
    if not report.draft:
        return ComputedNotes(table_id, {})
    goal_indicators = set(report.indikatorer.loc[report.indikatorer["mal_id"] == goal_id, "indikator_id"])
    differing = [item for item in differing_assessments(report) if item.indicator_id in goal_indicators]
    return ComputedNotes(
        table_id, {item.indicator_id: (number, item) for number, item in enumerate(differing, start=1)}
    )
