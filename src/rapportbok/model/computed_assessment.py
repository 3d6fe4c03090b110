"""An indicator's assessment and trend computed from its outcomes and target, beside the stated ones.

The rule, per direction (indikatorer.csv, column `riktning`):

- *hogre_battre* (higher is better): the target is met when the year's outcome is at least the target;
  the trend is positive when the outcome is higher than the latest earlier outcome.
- *lagre_battre* (lower is better): the target is met when the outcome is at most the target; the trend
  is positive when the outcome is lower than the latest earlier outcome.

Values are compared as the report shows them: rounded to the indicator's decimals. Equal values meet the
target and give an unchanged trend. Without the year's outcome nothing is computed ("Inget värde
angivet", "Ej utvärderad"); without a target no assessment, without an earlier outcome no trend.
An indicator without a direction gets no computed assessment at all. The computation never replaces
the stated values: it is shown beside them.

In an organisation's own vocabulary (data/<org>/vokabular.yml) the same rule gives its words: a met
target the best level of the scale, a missed one the lowest measurable level, no outcome or no target
the level outside the scale (e.g. "Kan inte mätas"); the trends are its four trend words. The rule in
words names those levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rapportbok.core.formatting import format_number, is_missing
from rapportbok.data.org_vocabulary import DEFAULT_VOCABULARY, OrgVocabulary, lower_first
from rapportbok.data.report import Report
from rapportbok.data.vocabulary import IndicatorDirection
from rapportbok.data.vocabulary_file import report_vocabulary

DIRECTION_WORDS = {
    IndicatorDirection.HIGHER_IS_BETTER: ("högre är bättre", "minst", "ökat"),
    IndicatorDirection.LOWER_IS_BETTER: ("lägre är bättre", "högst", "minskat"),
}


@dataclass(frozen=True)
class Outcome:
    """One year's outcome of an indicator."""

    year: int
    value: float


@dataclass(frozen=True)
class Computed:
    """A computed assessment or trend and the rule, in words, that gave it for this indicator."""

    value: str
    rule: str


def _rounded(value: float, decimals: int) -> Decimal:
    """`value` as the report shows it (half up, like format_number)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _met_words(vocabulary: OrgVocabulary, bound: str) -> str:
    """The assessment rule in the vocabulary's words: 'uppfyllt när utfallet är minst målvärdet'."""
    if vocabulary.is_default:
        return f"uppfyllt när utfallet är {bound} målvärdet"
    best, lowest = lower_first(vocabulary.best.value), lower_first(vocabulary.lowest.value)
    return f"{best} när utfallet är {bound} målvärdet, annars {lowest}"


def computed_assessment(
    direction: IndicatorDirection,
    outcome: float | None,
    target: float | None,
    decimals: int,
    vocabulary: OrgVocabulary = DEFAULT_VOCABULARY,
) -> Computed:
    """Whether the target was met, by the direction's rule (values rounded to `decimals`), as a level of
    `vocabulary`: the best when met, the lowest when not, the no-value level without outcome or target."""
    label, bound, _ = DIRECTION_WORDS[direction]
    if outcome is None:
        return Computed(vocabulary.no_value.value, "årets utfall saknas")
    if target is None:
        return Computed(vocabulary.no_value.value, "målvärde saknas")
    shown_outcome, shown_target = format_number(outcome, decimals), format_number(target, decimals)
    now, goal = _rounded(outcome, decimals), _rounded(target, decimals)
    met = now >= goal if direction is IndicatorDirection.HIGHER_IS_BETTER else now <= goal
    rule = f"{label}: {_met_words(vocabulary, bound)}; utfall {shown_outcome}, mål {shown_target}"
    return Computed(vocabulary.best.value if met else vocabulary.lowest.value, rule)


def computed_trend(
    direction: IndicatorDirection,
    outcome: Outcome | None,
    earlier: list[Outcome],
    decimals: int,
    vocabulary: OrgVocabulary = DEFAULT_VOCABULARY,
) -> Computed:
    """The trend: the year's outcome against the latest earlier outcome (values rounded to `decimals`),
    as one of `vocabulary`'s trend words."""
    label, _, better = DIRECTION_WORDS[direction]
    words = vocabulary.trends
    if outcome is None:
        return Computed(words["ej_bedomd"].value, "årets utfall saknas")
    before = [item for item in earlier if item.year < outcome.year]
    if not before:
        return Computed(words["ej_bedomd"].value, "inget tidigare utfall att jämföra med")
    previous = max(before, key=lambda item: item.year)
    now, then = _rounded(outcome.value, decimals), _rounded(previous.value, decimals)
    positive = lower_first(words["positiv"].value)  # Norrtälje's: "positiv"
    rule = (
        f"{label}: {positive} när utfallet har {better}; {previous.year} "
        f"{format_number(previous.value, decimals)}, {outcome.year} {format_number(outcome.value, decimals)}"
    )
    if now == then:
        return Computed(words["oforandrad"].value, rule)
    improved = now > then if direction is IndicatorDirection.HIGHER_IS_BETTER else now < then
    return Computed(words["positiv" if improved else "negativ"].value, rule)


@dataclass(frozen=True)
class IndicatorAssessment:
    """One indicator's stated and computed assessment and trend (row: its line in indikatorer.csv)."""

    indicator_id: str
    name: str
    row: int
    stated_assessment: str
    stated_trend: str
    assessment: Computed
    trend: Computed

    @property
    def assessment_differs(self) -> bool:
        return self.stated_assessment != self.assessment.value

    @property
    def trend_differs(self) -> bool:
        return self.stated_trend != self.trend.value

    @property
    def differs(self) -> bool:
        return self.assessment_differs or self.trend_differs


def _outcomes(report: Report) -> dict[str, tuple[list[Outcome], float | None]]:
    """Per indicator: its outcomes up to the report year, and the report year's target."""
    found: dict[str, tuple[list[Outcome], float | None]] = {}
    for row in report.indikator_utfall.itertuples():
        outcomes, target = found.get(str(row.indikator_id), ([], None))
        year = int(row.ar)
        if year > report.year:
            continue
        if not is_missing(row.utfall):
            outcomes.append(Outcome(year, float(row.utfall)))
        if year == report.year and not is_missing(row.mal):
            target = float(row.mal)
        found[str(row.indikator_id)] = (outcomes, target)
    return found


def indicator_assessments(report: Report) -> list[IndicatorAssessment]:
    """Every indicator with a direction and a stated assessment, with its computed assessment and trend."""
    series = _outcomes(report)
    vocabulary = report_vocabulary(report)
    found = []
    for offset, indicator in enumerate(report.indikatorer.itertuples()):
        if is_missing(indicator.riktning) or is_missing(indicator.bedomning) or is_missing(indicator.trend):
            continue
        direction = IndicatorDirection(str(indicator.riktning))
        decimals = 0 if is_missing(indicator.decimaler) else int(indicator.decimaler)
        outcomes, target = series.get(str(indicator.indikator_id), ([], None))
        this_year = next((item for item in outcomes if item.year == report.year), None)
        found.append(
            IndicatorAssessment(
                indicator_id=str(indicator.indikator_id),
                name=str(indicator.namn),
                row=offset + 2,
                stated_assessment=str(indicator.bedomning),
                stated_trend=str(indicator.trend),
                assessment=computed_assessment(
                    direction, None if this_year is None else this_year.value, target, decimals, vocabulary
                ),
                trend=computed_trend(direction, this_year, outcomes, decimals, vocabulary),
            )
        )
    return found


def differing_assessments(report: Report) -> list[IndicatorAssessment]:
    """The indicators whose stated assessment or trend differs from the computed one."""
    return [item for item in indicator_assessments(report) if item.differs]
