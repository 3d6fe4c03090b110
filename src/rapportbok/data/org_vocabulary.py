"""The words an organisation's book uses for its assessments, trends and goal hierarchy, and Norrtälje's,
the default (data/vocabulary.py): the scale best first, which levels count as fulfilled and not
fulfilled, the level outside the scale, the four trend words and the names of the hierarchy's levels.
data/vocabulary_file.py reads an organisation's own from data/<org>/vokabular.yml."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapportbok.core.slug import slug
from rapportbok.data.vocabulary import Assessment, Trend
from rapportbok.exceptions import Problem

FULFILLED, NOT_FULFILLED = "uppfyllt", "ej_uppfyllt"
TREND_KEYS = ("positiv", "oforandrad", "negativ", "ej_bedomd")


@dataclass(frozen=True)
class Level:
    """One level of the assessment scale: the value in the CSV, the label shown, its symbol and colours
    (None: the text colour), and whether it counts as fulfilled, not fulfilled or neither (None)."""

    value: str
    label: str
    symbol: str
    light: str | None = None
    dark: str | None = None
    counts_as: str | None = None

    @property
    def css_class(self) -> str:
        return f"rb-bedomning-{slug(self.value)}"


@dataclass(frozen=True)
class Word:
    """A trend word: the value in the CSV and its symbol."""

    value: str
    symbol: str


@dataclass(frozen=True)
class LevelName:
    """The name of one level of the goal hierarchy: as a title (singular) and in running text (plural)."""

    singular: str
    plural: str

    @property
    def in_text(self) -> str:
        """The singular in running text: 'Inriktningsmål' → 'inriktningsmål' ('KF-mål' stays)."""
        return lower_first(self.singular)

    @property
    def plural_title(self) -> str:
        """The plural as a heading: 'indikatorer' → 'Indikatorer'."""
        return self.plural[:1].upper() + self.plural[1:]


def lower_first(text: str) -> str:
    """`text` with its first letter small, unless it begins an abbreviation ('KF-mål')."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


DEFAULT_LEVELS = (
    Level(Assessment.FULFILLED.value, Assessment.FULFILLED.value, "✓", "#1b6b2f", "#74d68f", FULFILLED),
    Level(Assessment.PARTLY_FULFILLED.value, Assessment.PARTLY_FULFILLED.value, "◐", "#7a4d00", "#f2bb5c"),
    Level(
        Assessment.NOT_FULFILLED.value,
        Assessment.NOT_FULFILLED.value,
        "✗",
        "#a4161a",
        "#ff9a9a",
        NOT_FULFILLED,
    ),
)
DEFAULT_NO_VALUE = Level(Assessment.NO_VALUE.value, Assessment.NO_VALUE.value, "–")
DEFAULT_TRENDS = {
    "positiv": Word(Trend.POSITIVE.value, "↗"),
    "oforandrad": Word(Trend.UNCHANGED.value, "→"),
    "negativ": Word(Trend.NEGATIVE.value, "↘"),
    "ej_bedomd": Word(Trend.NOT_EVALUATED.value, "–"),
}
DEFAULT_NAMES = {
    "malomrade": LevelName("Målområde", "målområden"),
    "mal": LevelName("Inriktningsmål", "inriktningsmål"),
    "indikator": LevelName("Indikator", "indikatorer"),
}


@dataclass(frozen=True)
class OrgVocabulary:
    """The words an organisation's book uses for assessments, trends and its goal hierarchy."""

    levels: tuple[Level, ...] = DEFAULT_LEVELS  # best first
    no_value: Level = DEFAULT_NO_VALUE  # outside the ranking: "cannot be measured", indicators only
    trends: dict[str, Word] = field(default_factory=lambda: dict(DEFAULT_TRENDS))
    names: dict[str, LevelName] = field(default_factory=lambda: dict(DEFAULT_NAMES))
    problems: list[Problem] = field(default_factory=list, compare=False)

    @property
    def is_default(self) -> bool:
        """True for Norrtälje's words (no file, or a file that says the same)."""
        return self == OrgVocabulary()

    @property
    def best(self) -> Level:
        return self.levels[0]

    @property
    def lowest(self) -> Level:
        """The lowest measurable level (the last of the scale)."""
        return self.levels[-1]

    @property
    def fulfilled(self) -> tuple[str, ...]:
        """The values that count as fulfilled."""
        return tuple(level.value for level in self.levels if level.counts_as == FULFILLED)

    @property
    def not_fulfilled(self) -> tuple[str, ...]:
        """The values that count as not fulfilled."""
        return tuple(level.value for level in self.levels if level.counts_as == NOT_FULFILLED)

    @property
    def goal_values(self) -> tuple[str, ...]:
        """What inriktningsmal.csv's `bedomning` may hold: the scale."""
        return tuple(level.value for level in self.levels)

    @property
    def indicator_values(self) -> tuple[str, ...]:
        """What indikatorer.csv's `bedomning` may hold: the scale and the level without a value."""
        return (*self.goal_values, self.no_value.value)

    @property
    def trend_values(self) -> tuple[str, ...]:
        return tuple(self.trends[key].value for key in TREND_KEYS)

    def level(self, value: object) -> Level | None:
        """The level (or the no-value level) whose value is `value`."""
        return next((level for level in (*self.levels, self.no_value) if level.value == value), None)

    def name(self, key: str) -> LevelName:
        """The name of a level of the goal hierarchy: malomrade, mal or indikator."""
        return self.names[key]

    def trend_colours(self) -> dict[str, Level]:
        """Which trend word takes which level's colours: positive the best level's, negative the lowest's."""
        return {self.trends["positiv"].value: self.best, self.trends["negativ"].value: self.lowest}

    def print_colours(self) -> dict[str, str]:
        """The light colour of each badge class, for the print edition (empty for the default vocabulary:
        the print edition's own table has Norrtälje's classes)."""
        if self.is_default:
            return {}
        colours = {level.css_class: level.light for level in (*self.levels, self.no_value) if level.light}
        for word, level in self.trend_colours().items():
            if level.light:
                colours[f"rb-trend-{slug(word)}"] = level.light
        return colours

    def enums(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The allowed values of the columns the vocabulary governs, by (table, column)."""
        return {
            ("inriktningsmal", "bedomning"): self.goal_values,
            ("indikatorer", "bedomning"): self.indicator_values,
            ("inriktningsmal", "trend"): self.trend_values,
            ("indikatorer", "trend"): self.trend_values,
        }


DEFAULT_VOCABULARY = OrgVocabulary()
