"""Generated test organisations: N nämnder made from one real organisation's year with shifted values.

For tests and benchmarks of many books in one repository (no second real nämnd is available). Each
organisation `testnamnd-01`, `testnamnd-02`, … is a copy of data/<template>/<year> in which, from a seed:

- the operating statement (drift, drift_verksamhet) is scaled: budgets by one factor, deviations by
  another, outcomes recomputed as budget + deviation and the totals as sums (so every cross-check
  holds, and every surplus or deficit keeps its sign, as the texts describe it);
- the nämnd's monthly sick leave is shifted and its yearly value recomputed as the months' mean
  (kept below the municipality's, which the text compares it with); staff turnover is shifted;
- each indicator's outcome for the year moves, but never across its target or last year's outcome, so
  its stated and computed assessment and trend stay what they were;
- a few uppdrag that were completed now go over to next year (status, forecast, end date, comment and
  a row in uppdrag_nasta_ar.csv), and the published summary table is counted again;
- a few goals outside målområde 3 and 7 (which the summary text names) change between Uppfyllt and
  Ej uppfyllt.

Every goal whose assessment or uppdrag changed gets a generated analysis text (and a text for a goal not
fulfilled where it needs one) that states its new assessment; `tryckt(…)` pins and `tryckta_varden`
are removed (the data are not a printed report), and the organisation's name in the texts becomes
"testnämnden". Every generated folder says what it is: GENERERAD-TESTDATA.md in data/<id>/ and in
data/<id>/<year>/, a comment in rapport.yml and "(genererad testdata)" in the organisation's name.
The same seed gives the same bytes. Nothing is ever written into this repository's own data/.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from rapportbok.authoring.new_year import PIN
from rapportbok.data.vocabulary import (
    Assessment,
    AssignmentKind,
    AssignmentStatus,
    Decision,
    Forecast,
    IndicatorUnit,
    OperatingPost,
    StaffGroup,
    SummaryRow,
)
from rapportbok.model.assignments import STATUS_ORDER

REPOSITORY = Path(__file__).resolve().parents[1]
TEMPLATE = "kommunstyrelsekontoret"
YEAR = 2024
SEED = 2024
MARKER_FILE = "GENERERAD-TESTDATA.md"
ID_PREFIX = "testnamnd-"
# Goals of the målområden that the summary text names ("sticker ut positivt/negativt") keep their
# assessment, so that the sentence stays true.
AREAS_NAMED_IN_SUMMARY = ("3", "7")
TEMPLATE_NAME = re.compile(r"\b([Kk])ommunstyrelsekontor(ets|et)\b")
GOAL_TEXT = "maluppfyllelse/mal-{goal}.md"
NOT_FULFILLED_TEXT = "mal-indikatorer-uppdrag/ej-uppfyllt-{goal}.md"
CLAIM_WORDS = {Assessment.FULFILLED: "uppfyllt", Assessment.NOT_FULFILLED: "ej uppfyllt"}


class GenerationRefused(Exception):
    """The target is not a throwaway project copy (or a folder there is not generated)."""


@dataclass
class Organisation:
    """One generated organisation and what was changed from the template, in words (for its marker)."""

    id: str
    name: str
    number: int
    changes: list[str] = field(default_factory=list)


def organisation_ids(count: int) -> list[str]:
    """testnamnd-01 … testnamnd-<count> (at least two digits, so that they sort as numbers)."""
    width = max(2, len(str(count)))
    return [f"{ID_PREFIX}{number:0{width}d}" for number in range(1, count + 1)]


def generate_organisations(
    project: Path, count: int, *, seed: int = SEED, template: str = TEMPLATE, year: int = YEAR
) -> list[str]:
    """Write `count` organisations data/testnamnd-NN/<year>/ into `project` (a copy, never this
    repository) from data/<template>/<year>; return their ids. A folder from an earlier run is replaced."""
    project = project.resolve()
    _refuse_repository(project)
    source = project / "data" / template / str(year)
    if not (source / "rapport.yml").is_file():
        raise GenerationRefused(f"{source} saknar rapport.yml: ingen mall att generera från")
    ids = organisation_ids(count)
    for number, organisation_id in enumerate(ids, start=1):
        target = project / "data" / organisation_id
        if target.exists():
            if not (target / MARKER_FILE).is_file():
                raise GenerationRefused(
                    f"{target} finns redan och är inte genererad testdata; den ändras inte"
                )
            shutil.rmtree(target)
        name = f"Testnämnd {organisation_id.removeprefix(ID_PREFIX)} (genererad testdata)"
        organisation = Organisation(organisation_id, name, number)
        _generate_year(source, target / str(year), organisation, random.Random(f"{seed}:{organisation_id}"))
        marker = _marker(organisation, template, year, seed)
        (target / MARKER_FILE).write_text(marker, encoding="utf-8")
        (target / str(year) / MARKER_FILE).write_text(marker, encoding="utf-8")
    return ids


def _refuse_repository(project: Path) -> None:
    if project == REPOSITORY or (project / ".git").exists():
        raise GenerationRefused(
            f"{project} är ett git-arkiv: genererad testdata skrivs bara i en kopia av projektet"
        )


def _generate_year(source: Path, folder: Path, organisation: Organisation, rng: random.Random) -> None:
    shutil.copytree(source, folder, copy_function=shutil.copyfile)
    (folder / "kvalitetslogg.md").unlink(missing_ok=True)  # it documents the real data's decisions
    (folder / "kanda_avvikelser.yml").unlink(missing_ok=True)  # the printed report's disagreements
    changes = organisation.changes
    changes += _shift_operating(folder, rng)
    changes += _shift_sick_leave(folder, rng)
    changes += _shift_turnover(folder, rng)
    changes += _shift_indicators(folder, rng)
    moved = _carry_over_assignments(folder, rng)
    flipped = _flip_goals(folder, rng)
    changes += [
        f"uppdrag {uppdrag_id} går över till nästa år i stället för att vara slutfört" for uppdrag_id in moved
    ]
    changes += [f"mål {goal} bedöms nu {assessment}" for goal, assessment in flipped.items()]
    _count_assignments(folder)
    touched = set(flipped) | set(moved.values())
    _rewrite_goal_texts(folder, sorted(touched, key=_goal_order))
    _rewrite_texts(folder)
    _rewrite_metadata(folder, organisation)


# --- CSV files, read and written as text (untouched cells keep their exact form) ----------------------


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _edit(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]] | None]) -> None:
    header, rows = _read(path)
    _write(path, header, change(rows) or rows)


def _round(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _factor(rng: random.Random, low: float, high: float) -> Decimal:
    """A factor with three decimals in [low, high]."""
    return Decimal(rng.randint(round(low * 1000), round(high * 1000))) / 1000


def _places(written: str) -> int:
    return len(written.split(".")[1]) if "." in written else 0


# --- operating statement ---------------------------------------------------------------------------


def _shift_operating(folder: Path, rng: random.Random) -> list[str]:
    """Budgets × size, deviations × size × spread; outcome = budget + deviation; totals are sums."""
    size, spread = _factor(rng, 0.6, 1.6), _factor(rng, 0.4, 1.6)

    def scaled(row: dict[str, str]) -> dict[str, int]:
        budget = int(_round(Decimal(row["budget"]) * size))
        deviation = int(_round(Decimal(row["avvikelse"]) * size * spread))
        previous = int(_round(Decimal(row["utfall_foregaende_ar"]) * size))
        return {
            "budget": budget,
            "avvikelse": deviation,
            "utfall": budget + deviation,
            "utfall_foregaende_ar": previous,
        }

    totals = dict.fromkeys(("budget", "avvikelse", "utfall", "utfall_foregaende_ar"), 0)

    def activities(rows: list[dict[str, str]]) -> None:
        for row in rows:
            values = scaled(row)
            for column, value in values.items():
                totals[column] += value
                row[column] = str(value)

    _edit(folder / "drift_verksamhet.csv", activities)

    def posts(rows: list[dict[str, str]]) -> None:
        by_post = {row["post_id"]: row for row in rows}
        income = scaled(by_post[OperatingPost.INCOME])
        computed = {
            OperatingPost.INCOME: income,
            OperatingPost.CAPITAL_COSTS: scaled(by_post[OperatingPost.CAPITAL_COSTS]),
            OperatingPost.TOTAL: totals,
            OperatingPost.COSTS: {column: totals[column] - income[column] for column in totals},
        }
        for post, values in computed.items():
            by_post[post].update({column: str(value) for column, value in values.items()})

    _edit(folder / "drift.csv", posts)
    return [
        f"driftredovisningen: budgetar × {size}, avvikelser × {_round(size * spread, 3)}; nettoavvikelse "
        f"{totals['avvikelse']} tkr"
    ]


# --- staff -----------------------------------------------------------------------------------------


def _shift_sick_leave(folder: Path, rng: random.Random) -> list[str]:
    """The nämnd's months shifted (level and month by month); its yearly value is their mean, kept below
    the municipality's yearly value (the text says the nämnd's sick leave is lower)."""
    yearly_header, yearly = _read(folder / "sjukfranvaro_ar.csv")
    ceiling = min(Decimal(row["procent"]) for row in yearly if row["grupp"] != StaffGroup.NAMNDEN)
    header, rows = _read(folder / "sjukfranvaro.csv")
    months = [row for row in rows if row["grupp"] == StaffGroup.NAMNDEN]
    level = Decimal(rng.randint(-12, 12)) / 10
    for row in months:
        value = Decimal(row["procent"]) + level + Decimal(rng.randint(-3, 3)) / 10
        row["procent"] = str(max(Decimal("0.1"), value))
    while True:
        total = sum(Decimal(row["procent"]) for row in months)
        # a mean exactly halfway between two tenths rounds differently as float and as decimal: avoid it
        if (total * 10) % len(months) == len(months) // 2:
            months[0]["procent"] = str(Decimal(months[0]["procent"]) + Decimal("0.1"))
            continue
        mean = _round(total / len(months), 1)
        if mean < ceiling:
            break
        for row in months:
            row["procent"] = str(max(Decimal("0.1"), Decimal(row["procent"]) - Decimal("0.3")))
    _write(folder / "sjukfranvaro.csv", header, rows)
    for row in yearly:
        if row["grupp"] == StaffGroup.NAMNDEN:
            row["procent"] = str(mean)
    _write(folder / "sjukfranvaro_ar.csv", yearly_header, yearly)
    return [f"sjukfrånvaron i nämnden: {mean} %"]


def _shift_turnover(folder: Path, rng: random.Random) -> list[str]:
    def shift(rows: list[dict[str, str]]) -> None:
        for row in rows:
            value = Decimal(row["procent"]) + Decimal(rng.randint(-150, 150)) / 100
            row["procent"] = str(max(Decimal("0.10"), _round(value, 2)))

    _edit(folder / "personalomsattning.csv", shift)
    return ["personalomsättningen förskjuten"]


# --- indicators ------------------------------------------------------------------------------------


def _shift_indicators(folder: Path, rng: random.Random) -> list[str]:
    """Each outcome of the year moved by up to 15 %, never across its target or the latest earlier
    outcome (compared as the report shows them, rounded to the indicator's decimals)."""
    _, indicators = _read(folder / "indikatorer.csv")
    year = int(folder.name)
    decimals = {row["indikator_id"]: int(row["decimaler"] or 0) for row in indicators}
    units = {row["indikator_id"]: row["enhet"] for row in indicators}
    moved = 0

    def shift(rows: list[dict[str, str]]) -> None:
        nonlocal moved
        for indicator in dict.fromkeys(row["indikator_id"] for row in rows):
            series = [row for row in rows if row["indikator_id"] == indicator and row["utfall"]]
            now = next((row for row in series if int(row["ar"]) == year), None)
            if now is None:
                continue
            places = decimals.get(indicator, 0)
            earlier = [row for row in series if int(row["ar"]) < year]
            references = [Decimal(now["mal"])] if now["mal"] else []
            if earlier:
                references.append(Decimal(max(earlier, key=lambda row: int(row["ar"]))["utfall"]))
            value = _shifted(Decimal(now["utfall"]), references, places, units.get(indicator, ""), rng)
            if value is not None:
                now["utfall"] = f"{value:.{max(places, _places(now['utfall']))}f}"
                moved += 1

    _edit(folder / "indikator_utfall.csv", shift)
    return [f"{moved} indikatorers utfall förskjutna (inte förbi mål eller förra årets utfall)"]


def _shifted(
    value: Decimal, references: list[Decimal], places: int, unit: str, rng: random.Random
) -> Decimal | None:
    step = Decimal(1).scaleb(-places)
    shown = _round(value, places)
    low, high = Decimal("-Infinity"), Decimal("Infinity")
    for reference in (_round(item, places) for item in references):
        if shown == reference:
            return None  # equal stays equal: no room to move
        if shown > reference:
            low = max(low, reference + step)
        else:
            high = min(high, reference - step)
    if shown >= 0:
        low = max(low, step if unit == IndicatorUnit.RANK else Decimal(0))
    if unit == IndicatorUnit.PERCENT and shown <= 100:
        high = min(high, Decimal(100))
    change = abs(shown) * Decimal(rng.randint(-150, 150)) / 1000 if shown else step * rng.randint(-3, 3)
    moved = min(max(_round(shown + change, places), low), high)
    return None if moved == shown else moved


# --- assignments and goals -------------------------------------------------------------------------


def _carry_over_assignments(folder: Path, rng: random.Random) -> dict[str, str]:
    """Up to three completed uppdrag go over to next year instead; {uppdrag id: its goal}."""
    year = int(folder.name)
    header, rows = _read(folder / "uppdrag.csv")
    completed = [
        row
        for row in rows
        if row["typ"] == AssignmentKind.UPPDRAG and row["status"] == AssignmentStatus.COMPLETED
    ]
    chosen = rng.sample(completed, k=min(len(completed), rng.randint(0, 3)))
    chosen.sort(key=rows.index)
    reason = f"Genererad testdata: uppdraget pågår och slutförs {year + 1}."
    for row in chosen:
        row.update(
            status=AssignmentStatus.REMAINING,
            prognos=Forecast.OFF_PLAN,
            slutdatum=f"{year + 1}-06-30",
            kommentar=reason,
            kommentar_datum=f"{year}-12-31",
        )
    _write(folder / "uppdrag.csv", header, rows)
    plan_header, plans = _read(folder / "uppdrag_nasta_ar.csv")
    plans += [
        dict.fromkeys(plan_header, "")
        | {
            "uppdrag_id": row["uppdrag_id"],
            "beslut": Decision.CARRIES_OVER,
            "titel_i_tabellen": row["titel"],
            "orsak": reason,
        }
        for row in chosen
    ]
    _write(folder / "uppdrag_nasta_ar.csv", plan_header, plans)
    return {row["uppdrag_id"]: row["mal_id"] for row in chosen if row["mal_id"]}


def _count_assignments(folder: Path) -> None:
    """uppdrag_sammanstallning.csv counted from uppdrag.csv, in the published table's order and form
    (a zero count is an empty cell, as in the printed table)."""
    _, rows = _read(folder / "uppdrag.csv")
    header, _ = _read(folder / "uppdrag_sammanstallning.csv")

    def counted(kind: str, status: str, subset: list[dict[str, str]]) -> dict[str, str]:
        on_plan = sum(row["prognos"] == Forecast.ON_PLAN for row in subset)
        off_plan = sum(row["prognos"] == Forecast.OFF_PLAN for row in subset)
        return {
            "typ": kind,
            "status": status,
            "enligt_plan": str(on_plan or ""),
            "avvikelse": str(off_plan or ""),
            "total": str(len(subset)),
        }

    table = []
    for kind in AssignmentKind:
        for status in STATUS_ORDER:
            subset = [row for row in rows if row["typ"] == kind and row["status"] == status]
            if subset:
                table.append(counted(kind, status, subset))
    table.append(counted(SummaryRow.TOTAL, "", rows))
    _write(folder / "uppdrag_sammanstallning.csv", header, table)


def _flip_goals(folder: Path, rng: random.Random) -> dict[str, str]:
    """Up to two goals outside the målområden the summary names change between Uppfyllt and Ej uppfyllt."""
    header, rows = _read(folder / "inriktningsmal.csv")
    flippable = [
        row
        for row in rows
        if row["malomrade"] not in AREAS_NAMED_IN_SUMMARY
        and row["bedomning"] in (Assessment.FULFILLED, Assessment.NOT_FULFILLED)
    ]
    chosen = rng.sample(flippable, k=min(len(flippable), rng.choice((0, 1, 1, 2))))
    for row in chosen:
        fulfilled = row["bedomning"] == Assessment.FULFILLED
        row["bedomning"] = Assessment.NOT_FULFILLED if fulfilled else Assessment.FULFILLED
    _write(folder / "inriktningsmal.csv", header, rows)
    return {row["mal_id"]: row["bedomning"] for row in sorted(chosen, key=rows.index)}


def _goal_order(goal: str) -> tuple[int, ...]:
    return tuple(int(part) for part in goal.split("."))


def _rewrite_goal_texts(folder: Path, goals: list[str]) -> None:
    """A generated analysis for each goal whose data changed, stating its assessment; the text for a goal
    not fulfilled where the goal now is (and none where it no longer is)."""
    _, rows = _read(folder / "inriktningsmal.csv")
    assessments = {row["mal_id"]: row["bedomning"] for row in rows}
    text = folder / "text"
    for goal in goals:
        assessment = assessments[goal]
        (text / GOAL_TEXT.format(goal=goal)).write_text(
            f"Inriktningsmålet bedöms {CLAIM_WORDS[assessment]}. Texten är genererad testdata: målets "
            "bedömning eller\nuppdrag ändrades när testnämnden genererades, och texten beskriver ingen "
            "verklig verksamhet.\n",
            encoding="utf-8",
        )
        not_fulfilled = text / NOT_FULFILLED_TEXT.format(goal=goal)
        if assessment == Assessment.NOT_FULFILLED:
            not_fulfilled.write_text(
                "Målet når inte måluppfyllelse i den genererade testnämnden. Texten är genererad testdata "
                "och\nbeskriver ingen verklig verksamhet.\n",
                encoding="utf-8",
            )
        else:
            not_fulfilled.unlink(missing_ok=True)


# --- texts and metadata ----------------------------------------------------------------------------


def _generic_name(match: re.Match[str]) -> str:
    first = "T" if match.group(1) == "K" else "t"
    return f"{first}estnämnden" + ("s" if match.group(2) == "ets" else "")


def _rewrite_texts(folder: Path) -> None:
    """Every text: the template's name becomes "testnämnden", and printed values (tryckt) show the data."""
    for path in sorted((folder / "text").rglob("*.md")):
        source = path.read_text(encoding="utf-8")
        changed = PIN.sub("", TEMPLATE_NAME.sub(_generic_name, source))
        if changed != source:
            path.write_text(changed, encoding="utf-8")


def _rewrite_metadata(folder: Path, organisation: Organisation) -> None:
    """rapport.yml with the generated name and without `tryckta_varden` (not a printed report)."""
    path = folder / "rapport.yml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content.pop("tryckta_varden", None)
    content["organisation"] = organisation.name
    lines = [
        "# GENERERAD TESTDATA (tests/generated_organisations.py): ingen verklig organisation, publiceras",
        "# aldrig. Se GENERERAD-TESTDATA.md.",
        *(
            yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False).rstrip()
            for key, value in content.items()
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _marker(organisation: Organisation, template: str, year: int, seed: int) -> str:
    changes = "\n".join(f"- {change}" for change in organisation.changes)
    return (
        f"# GENERERAD TESTDATA: {organisation.name}\n\n"
        f"Den här mappen är genererad av `tests/generated_organisations.py` (frö {seed}, organisation "
        f"nummer {organisation.number}) ur `data/{template}/{year}` med förskjutna värden. Den beskriver "
        "ingen verklig organisation och får aldrig publiceras; den finns för tester och mätningar av "
        "många böcker.\n\nÄndrat från mallen:\n\n"
        f"{changes}\n"
    )
