"""The first sheet, "Instruktioner": how to fill in the workbook, what each sheet holds, and what `check`
still asks for (errors, values to fill in, values to verify, texts to rewrite), each linked to its cell.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from rapportbok.authoring.excel.locate import SheetMap, locate
from rapportbok.checks.check import CheckResult
from rapportbok.data.report import Report
from rapportbok.data.schema import TableSchema
from rapportbok.exceptions import Problem

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"A": 28, "B": 28, "C": 90, "D": 8}
LINE_HEIGHT = 15  # points per line of 11-point text


def steps(report: Report) -> list[str]:
    """How to work with the workbook, in order."""
    year, folder, organisation = report.year, report.shown_folder, report.org_dir.name
    return [
        "Fyll i eller ändra värdena på bladen, en rad per rad i tabellen. Varje kolumnrubrik har en "
        "kommentar som förklarar kolumnen.",
        "Välj värden ur listrutan där kolumnen har en (bedömning, trend, status …). Gula celler saknar "
        "ett värde som krävs; ljusblå celler är tomma och ska kontrolleras (se Att göra nedan).",
        "Skriv tal som vanligt i svensk Excel (7,3). Belopp anges i tusental kronor (tkr), kostnader "
        "negativa. Procent anges i procent: 7,3 betyder 7,3 % (en cell formaterad som procent, 7,3 %, "
        "läses också rätt).",
        "Skriv datum som ÅÅÅÅ-MM-DD.",
        "Ändra inte bladens namn eller kolumnrubrikerna, och lägg inte till blad eller kolumner; "
        "egna beräkningar hör hemma i en annan arbetsbok. Sammanfoga inga celler. Rubrikerna och "
        "radernas id är skyddade mot ändringar av misstag (bladskydd utan lösenord: Granska → Ta bort "
        "bladskydd om ett id verkligen ska ändras); nya rader skriver du under tabellen.",
        "Spara som Excel-arbetsbok (.xlsx) och läs in den med: "
        f"rapportbok import <arbetsbok.xlsx> --org {organisation} --year {year}",
        "Hela arbetsboken kontrolleras som med rapportbok check. Är något fel skrivs ingenting, och "
        "varje fel anges med blad och cell, t.ex. Uppdrag och initiativ!H4. Annars skrivs tabellerna till "
        f"{folder}/ (CSV-filerna i versionshanteringen är det som gäller).",
        f"Arbetsboken hör till {organisation} {year} (det dolda bladet rapportbok säger det) och kan "
        f"bara läsas in där. En tabell som har ändrats i {folder}/ sedan exporten skrivs aldrig över: "
        "har du inte ändrat bladet behålls filen; har du ändrat det också avvisas importen, och du för in "
        "dina ändringar i en ny export.",
        f"Texterna redigeras inte här utan i {folder}/text/ (Markdown med platshållare).",
    ]


def write_instructions(
    sheet: Worksheet,
    report: Report,
    result: CheckResult,
    maps: dict[str, SheetMap],
    rows: dict[str, int],
    schemas: dict[str, TableSchema],
) -> None:
    """Fill the "Instruktioner" sheet; `rows` is the number of rows of each table, `schemas` their schemas."""
    meta = report.meta
    sheet["A1"] = f"Underlag till {meta.report_type.lower()} {report.year}"
    sheet["A1"].font = TITLE
    sheet["A2"] = f"{meta.organisation}, {meta.kommun}. Tabellerna i {report.shown_folder}/ vid exporten."
    line = 4
    line = _heading(sheet, line, "Så här gör du")
    for number, step in enumerate(steps(report), start=1):
        _wrapped(sheet, line, 1, f"{number}. {step}")
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=3)
        _fit_height(sheet, line, {1: sum(WIDTHS[column] for column in "ABC")})
        line += 1
    line = _heading(sheet, line + 1, "Bladen")
    line = _row(sheet, line, ["Blad", "Tabell", "Innehåll", "Rader"], bold=True)
    for name, schema in schemas.items():
        title = maps[name].sheet
        line = _row(sheet, line, [title, schema.file_name, schema.description or schema.title, rows[name]])
        _link(sheet.cell(line - 1, 1), f"{title}!A1")
    line = _todo(sheet, line + 1, report.shown_folder, result, maps)
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width


def _todo(sheet: Worksheet, line: int, folder: str, result: CheckResult, maps: dict[str, SheetMap]) -> int:
    texts = [problem for problem in result.todo if "/text/" in problem.file]
    values = [problem for problem in result.todo if problem not in texts]
    sections = [
        ("Fel som måste rättas", result.problems),
        ("Uppgifter som saknas (krävs)", values),
        ("Att kontrollera", result.to_verify),
        (f"Texter att skriva om (i {folder}/text/, inte i arbetsboken)", texts),
    ]
    line = _heading(sheet, line, "Att göra enligt rapportbok check vid exporten")
    if not any(items for _, items in sections):
        return _row(
            sheet, line, ["Inget: alla obligatoriska uppgifter är ifyllda och alla texter omskrivna."]
        )
    for title, items in sections:
        if not items:
            continue
        sheet.cell(line, 1, f"{title} ({len(items)})").font = BOLD
        line += 1
        line = _row(sheet, line, ["Plats", "Kolumn", "Vad"], bold=True)
        for problem in items:
            line = _problem_row(sheet, line, locate(problem, folder, maps))
        line += 1
    return line


def _problem_row(sheet: Worksheet, line: int, problem: Problem) -> int:
    what = problem.message + (f" ({problem.allowed})" if problem.allowed else "")
    where = problem.file + (f", rad {problem.row}" if problem.row else "")
    _row(sheet, line, [where, problem.column or "", what])
    if "!" in problem.file and ":" not in problem.file:
        _link(sheet.cell(line, 1), problem.file)
    return line + 1


def _heading(sheet: Worksheet, line: int, text: str) -> int:
    sheet.cell(line, 1, text).font = Font(bold=True, size=12)
    return line + 1


def _row(sheet: Worksheet, line: int, values: list[object], bold: bool = False) -> int:
    for column, value in enumerate(values, start=1):
        cell = _wrapped(sheet, line, column, value)
        if bold:
            cell.font = BOLD
    _fit_height(sheet, line, {i: WIDTHS[get_column_letter(i)] for i in range(1, len(values) + 1)})
    return line + 1


def _fit_height(sheet: Worksheet, line: int, widths: dict[int, int]) -> None:
    """Make a row high enough for its wrapped text (neither Excel nor LibreOffice does it for merged
    cells, and not at all for a file they did not write)."""
    lines = 1
    for column, width in widths.items():
        text = sheet.cell(line, column).value
        if isinstance(text, str):
            per_line = max(1, width - 2)
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in text.split("\n")))
    if lines > 1:
        sheet.row_dimensions[line].height = LINE_HEIGHT * lines


def _wrapped(sheet: Worksheet, line: int, column: int, value: object) -> Cell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("?", value)  # a message may quote a control character from data
    cell = sheet.cell(line, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text from data is never a formula
    cell.alignment = WRAP
    return cell


def _link(cell: Cell, location: str) -> None:
    """Make `cell` jump to `location` (uppdrag!H4) inside the workbook."""
    sheet, _, coordinate = location.partition("!")
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!{coordinate}")
    cell.font = Font(color="0563C1", underline="single")
