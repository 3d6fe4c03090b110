"""The domain's allowed values, named once: assessments, trends, statuses, kinds, posts and units.

The table schemas (schemas/*.yaml) are the source: their `enum` lists say what a cell may hold, and
`check` validates the data against them. Code that compares a cell with one of these values uses the
names below, never the string itself (tests/project/test_vocabulary.py greps the package). On import
every class is compared with the schemas: a value renamed, added or removed in a schema without the
same change here stops rapportbok at once, instead of silently matching nothing.
"""

from __future__ import annotations

from enum import StrEnum

from rapportbok.data.schema import TABLE_NAMES, table_schema
from rapportbok.exceptions import VocabularyMismatch


class Assessment(StrEnum):
    """Bedömning of a goal or an indicator: Norrtälje's scale, the default vocabulary. An organisation
    may name its own in data/<org>/vokabular.yml (data/org_vocabulary.py); code that counts or compares
    assessments asks the organisation's vocabulary, not this class."""

    FULFILLED = "Uppfyllt"
    PARTLY_FULFILLED = "Delvis uppfyllt"
    NOT_FULFILLED = "Ej uppfyllt"
    NO_VALUE = "Inget värde angivet"  # indicators only


class Trend(StrEnum):
    """Trend of a goal or an indicator: Norrtälje's words, the default (see Assessment)."""

    POSITIVE = "Positiv"
    UNCHANGED = "Oförändrad"
    NEGATIVE = "Negativ"
    NOT_EVALUATED = "Ej utvärderad"


class IndicatorLevel(StrEnum):
    """Who decided an indicator: kommunfullmäktige or the nämnd itself."""

    KF = "KF"
    NAMND = "Nämnd"


class IndicatorUnit(StrEnum):
    """The unit of an indicator's outcomes."""

    PERCENT = "procent"
    COUNT = "antal"
    KR_PER_INHABITANT = "kr per invånare"
    MINUTES = "minuter"
    RANK = "placering"
    INDEX = "index"


class IndicatorDirection(StrEnum):
    """Which way an indicator's outcome is better: what its target means and which trend is positive."""

    HIGHER_IS_BETTER = "hogre_battre"
    LOWER_IS_BETTER = "lagre_battre"


class AssignmentKind(StrEnum):
    """An uppdrag (given to the nämnd) or a nämndinitiativ (the nämnd's own)."""

    UPPDRAG = "Uppdrag"
    NAMNDINITIATIV = "Nämndinitiativ"


class AssignmentStatus(StrEnum):
    """Where an uppdrag or nämndinitiativ stands at the end of the period."""

    COMPLETED = "Slutförd"
    REMAINING = "Kvarstående"
    CLOSED_INTO_NEW = "Stängs och övergår i nytt uppdrag"
    STRUCK = "Struken"


class Forecast(StrEnum):
    """Prognos för slutförande."""

    ON_PLAN = "Enligt plan"
    OFF_PLAN = "Avvikelse från plan"


class Decision(StrEnum):
    """What happens to an unfinished uppdrag or initiative next year."""

    CARRIES_OVER = "Går över till nästa år"
    STRUCK = "Stryks"


class SummaryRow(StrEnum):
    """The rows of the published assignment summary: one kind each, then the total."""

    UPPDRAG = AssignmentKind.UPPDRAG.value
    NAMNDINITIATIV = AssignmentKind.NAMNDINITIATIV.value
    TOTAL = "Total Summa"


class OperatingPost(StrEnum):
    """The rows of the operating statement (driftredovisning)."""

    INCOME = "intakter"
    COSTS = "kostnader"
    CAPITAL_COSTS = "kapitalkostnader"
    TOTAL = "summa"


class InvestmentRow(StrEnum):
    """The kinds of row in the investment table: projects and the published totals."""

    PROJECT = "projekt"
    FINISHED = "avslutade"
    NOT_DECIDED = "ej_beslutade"
    TOTAL = "summa"


class StaffGroup(StrEnum):
    """Whose sick leave a row gives."""

    NAMNDEN = "Nämnden"
    KOMMUNEN = "Kommunen"


class TurnoverKind(StrEnum):
    """External or internal staff turnover."""

    EXTERNAL = "Extern"
    INTERNAL = "Intern"


# Every column with allowed values, and the class that names them.
VOCABULARY: dict[tuple[str, str], type[StrEnum]] = {
    ("inriktningsmal", "bedomning"): Assessment,
    ("indikatorer", "bedomning"): Assessment,
    ("inriktningsmal", "trend"): Trend,
    ("indikatorer", "trend"): Trend,
    ("indikatorer", "niva"): IndicatorLevel,
    ("indikatorer", "enhet"): IndicatorUnit,
    ("indikatorer", "riktning"): IndicatorDirection,
    ("uppdrag", "typ"): AssignmentKind,
    ("uppdrag", "status"): AssignmentStatus,
    ("uppdrag", "prognos"): Forecast,
    ("uppdrag_nasta_ar", "beslut"): Decision,
    ("uppdrag_sammanstallning", "typ"): SummaryRow,
    ("uppdrag_sammanstallning", "status"): AssignmentStatus,
    ("drift", "post_id"): OperatingPost,
    ("investeringar", "typ"): InvestmentRow,
    ("sjukfranvaro", "grupp"): StaffGroup,
    ("sjukfranvaro_ar", "grupp"): StaffGroup,
    ("personalomsattning", "typ"): TurnoverKind,
}


def vocabulary_mismatches() -> list[str]:
    """Where the classes above and the schemas' `enum` lists disagree (empty when they agree)."""
    found = []
    columns = {
        (name, spec.name): spec.enum
        for name in TABLE_NAMES
        for spec in table_schema(name).fields
        if spec.enum
    }
    for column in sorted(columns.keys() - VOCABULARY.keys()):
        found.append(f"{column[0]}.{column[1]} har tillåtna värden men ingen klass i vocabulary.py")
    covered: dict[type[StrEnum], set[str]] = {}
    for column, names in VOCABULARY.items():
        allowed = set(columns.get(column) or ())
        declared = {member.value for member in names}
        if not allowed:
            found.append(f"{column[0]}.{column[1]} har inga tillåtna värden i schemat")
        for value in sorted(allowed - declared):
            found.append(f'{column[0]}.{column[1]}: "{value}" saknas i {names.__name__}')
        covered.setdefault(names, set()).update(allowed)
    for names, allowed in covered.items():
        for member in names:
            if member.value not in allowed:
                found.append(f'{names.__name__}.{member.name} = "{member.value}" tillåts inte i något schema')
    return found


def _verify() -> None:
    mismatches = vocabulary_mismatches()
    if mismatches:
        raise VocabularyMismatch(mismatches)


_verify()
