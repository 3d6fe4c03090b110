"""The `rapportbok` command: a thin layer over the book pipeline (build_book) and check_year."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rapportbok.core.arguments import SwedishArgumentParser
from rapportbok.core.book import BookId, FolderBook, book_of_folder, data_root_of
from rapportbok.core.deadline import DEFAULT_TIMEOUT
from rapportbok.core.formatting import count_text
from rapportbok.core.paths import display_path, find_project_root, parse_positive, parse_year
from rapportbok.data.datalock import WRITE_WAIT, organisation_lock, settle
from rapportbok.data.organisations import organisation_dir, organisations, resolve_organisation
from rapportbok.data.years import latest_year
from rapportbok.exceptions import BuildInterrupted, DataError, RapportbokError, UsageError
from rapportbok.pipeline.books.executors import EXECUTORS
from rapportbok.pipeline.processes.interrupt import raise_on_sigterm, run_as_process
from rapportbok.pipeline.progress import Progress

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rapportbok.checks.check import CheckResult
    from rapportbok.pipeline.book import BuildResult

# Each command imports the modules it runs when it runs (pandas, Frictionless, Jinja, Sphinx's helpers):
# `rapportbok --help`, a mistyped option and a build with nothing to do answer without loading them.

MAX_PORT = 65535
YEAR_HELP = "räkenskapsåret, fyra siffror (standard: organisationens senaste år)"
ORG_HELP = "organisationens id, mappen i data/ (standard: den enda organisationen)"


def argument_parser() -> SwedishArgumentParser:
    """The command line: every command, its help and its options (docs/kommandon.md is written from it)."""
    parser = SwedishArgumentParser(
        prog="rapportbok", description="Bygg verksamhetsberättelsen från data/<organisation>/<år>/."
    )
    commands = parser.add_subparsers(dest="command", required=True, title="kommandon", metavar="KOMMANDO")
    build = commands.add_parser("build", help="kontrollera data, kör kapitlen och bygg webbplatsen")
    build.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    build.add_argument("--year", default=None, metavar="ÅÅÅÅ", help=YEAR_HELP)
    build.add_argument(
        "--jobs",
        default=None,
        metavar="ANTAL",
        help="antal kapitel som körs samtidigt (standard: antal kärnor)",
    )
    build.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="MAPP",
        help="mapp att bygga i (standard: _build i projektet)",
    )
    build.add_argument("--no-pdf", action="store_true", help="bygg bara webbplatsen, inte PDF-versionen")
    build.add_argument("--force", action="store_true", help="kör alla kapitel på nytt, även oförändrade")
    build.add_argument(
        "--timeout",
        default=DEFAULT_TIMEOUT,
        metavar="SEKUNDER",
        help=f"sekunder en cell eller en text får ta innan bygget stoppas (standard {DEFAULT_TIMEOUT})",
    )
    build.add_argument("--quiet", action="store_true", help="skriv bara ut fel och resultatet")
    build.add_argument(
        "--draft",
        action="store_true",
        help="bygg ett utkast även om uppgifter saknas (varje sida märks UTKAST)",
    )
    _executor_options(build)
    check = commands.add_parser("check", help="kontrollera årets data och lista alla fel")
    check.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    check.add_argument("--year", default=None, metavar="ÅÅÅÅ", help=YEAR_HELP)
    check.add_argument(
        "--timeout",
        default=DEFAULT_TIMEOUT,
        metavar="SEKUNDER",
        help=f"sekunder hela kontrollen får ta (standard {DEFAULT_TIMEOUT})",
    )
    check.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="att göra-listan som text (standard) eller som en checklista i Markdown",
    )
    check.add_argument(
        "--alla",
        action="store_true",
        help="visa också de kända avvikelserna (kanda_avvikelser.yml), var och en med sitt skäl",
    )
    site = commands.add_parser("site", help="publicera alla organisationers år sida vid sida i _build/site/")
    site.add_argument("--jobs", default=None, metavar="ANTAL", help="antal kapitel som körs samtidigt")
    _executor_options(site)
    commands.add_parser("contract", help="skriv data/README.md (datakontraktet) från tabellschemana")
    migrate = commands.add_parser(
        "migrate", help="flytta data/<år>/ till data/<organisation>/<år>/ (ett projekt med en organisation)"
    )
    migrate.add_argument(
        "--org", default=None, metavar="ID", help="organisationens id (standard: namnet i rapport.yml)"
    )
    new_year = commands.add_parser("new-year", help="starta ett nytt räkenskapsår från det senaste året")
    new_year.add_argument("year", metavar="ÅR", help="det nya året (ÅÅÅÅ)")
    new_year.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    new_year.add_argument(
        "--from", dest="source", default=None, metavar="ÅR", help="året att utgå från (standard: senaste)"
    )
    new_organisation = commands.add_parser(
        "ny-organisation",
        help="starta en ny organisation: data/<id>/<år>/ med tomma tabeller och texter att skriva",
    )
    new_organisation.add_argument(
        "organisation", metavar="ID", help="organisationens id: mappens namn i data/, t.ex. kultur-och-fritid"
    )
    new_organisation.add_argument(
        "--year", default=None, metavar="ÅÅÅÅ", help="första året (standard: projektets senaste år)"
    )
    new_organisation.add_argument(
        "--namn", default=None, metavar="NAMN", help="organisationens namn (standard: gjort av id:t)"
    )
    new_organisation.add_argument(
        "--kommun", default=None, metavar="KOMMUN", help="kommunen (standard: de andra organisationernas)"
    )
    new_table = commands.add_parser(
        "ny-tabell",
        help="skriv ett första schema för en egen tabell från en CSV-fil (i data/<organisation>/tabeller/)",
    )
    new_table.add_argument(
        "csv", type=Path, metavar="CSV", help="årets fil med tabellen, data/<organisation>/<år>/<namn>.csv"
    )
    excel = commands.add_parser(
        "excel",
        help="skriv årets tabeller till en Excel-arbetsbok att fylla i (_build/<organisation>/<år>/excel/)",
    )
    excel.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    excel.add_argument("--year", default=None, metavar="ÅÅÅÅ", help=YEAR_HELP)
    preview = commands.add_parser(
        "preview", help="visa webbplatsen i webbläsaren och bygg om den vid varje ändring (ingen PDF)"
    )
    preview.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    preview.add_argument("--year", default=None, metavar="ÅÅÅÅ", help=YEAR_HELP)
    preview.add_argument("--port", default="8000", metavar="PORT", help="porten på 127.0.0.1 (standard 8000)")
    preview.add_argument("--draft", action="store_true", help="visa ett utkast även om uppgifter saknas")
    preview.add_argument(
        "--timeout",
        default=DEFAULT_TIMEOUT,
        metavar="SEKUNDER",
        help=f"sekunder en cell eller en text får ta (standard {DEFAULT_TIMEOUT})",
    )
    excel_import = commands.add_parser(
        "import",
        help="läs in en ifylld Excel-arbetsbok till data/<organisation>/<år>/ (bara om allt är giltigt)",
    )
    excel_import.add_argument("workbook", type=Path, metavar="ARBETSBOK", help="arbetsboken (.xlsx)")
    excel_import.add_argument("--org", default=None, metavar="ID", help=ORG_HELP)
    excel_import.add_argument("--year", default=None, metavar="ÅÅÅÅ", help=YEAR_HELP)
    excel_import.add_argument(
        "--timeout",
        default=DEFAULT_TIMEOUT,
        metavar="SEKUNDER",
        help=f"sekunder importen får ta innan den avbryts utan att skriva något (standard {DEFAULT_TIMEOUT})",
    )
    return parser


def _executor_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--executor",
        choices=EXECUTORS,
        default=None,
        help="var kapitlen körs: lokal (standard) eller dask (ett Dask-kluster; se docs/bygget.md)",
    )
    command.add_argument(
        "--scheduler",
        default=None,
        metavar="ADRESS",
        help="ett Dask-kluster som redan körs, t.ex. tcp://värd:8786 (standard: ett lokalt kluster)",
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 1 problems found, 130 stopped by SIGTERM or Ctrl-C).

    Without `argv` (the `rapportbok` command itself) the command owns the process: a signal at any
    instant until the process has ended gives 130 (`run_as_process`)."""
    if argv is None:
        return run_as_process(lambda: _main(sys.argv[1:]))
    return _main(argv)


def _main(argv: list[str]) -> int:
    args = argument_parser().parse_args(argv)
    raise_on_sigterm()
    try:
        return _run(args)
    except RapportbokError as error:
        print(error, file=sys.stderr)
        for note in getattr(error, "__notes__", []):  # e.g. what is published after a failed build
            print(note, file=sys.stderr)
        return 1
    except BuildInterrupted as error:  # the build says what is published now
        print(error, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    root = find_project_root()
    if args.command in BEFORE_DATA:  # before data/ is settled and read
        return BEFORE_DATA[args.command](args, root)
    data_root = data_root_of(root)
    settle(data_root, wait=WRITE_WAIT)  # an interrupted migrate is finished before data/ is read
    if args.command == "ny-tabell":
        return _new_table(args.csv, root)
    if args.command == "ny-organisation":
        return _new_organisation(args, root)
    jobs = _optional_positive(getattr(args, "jobs", None), "--jobs")
    if args.command == "site":
        return _site(args, jobs, root)
    here = _folder_book(root, args.org)
    organisation = resolve_organisation(data_root, here.organisation if args.org is None else args.org)
    org_dir = organisation_dir(data_root, organisation)
    if args.command == "new-year":
        new = BookId(organisation, parse_year(args.year), root)
        return _new_year(new, None if args.source is None else parse_year(args.source))
    args.year_by_default = args.year is None and here.year is None
    year = parse_year(args.year) if args.year is not None else here.year or latest_year(org_dir)
    book = BookId(organisation, year, root)
    timeout = parse_positive(getattr(args, "timeout", DEFAULT_TIMEOUT), "--timeout")
    if args.command == "check":
        return _check(book, timeout, markdown=args.format == "markdown", known=args.alla)
    if args.command == "excel":
        return _excel(book)
    if args.command == "import":
        return _import(args.workbook, book, timeout)
    if args.command == "preview":
        return _preview(args, book, timeout)
    return _build(args, book, jobs, timeout)


def _folder_book(root: Path, organisation: str | None) -> FolderBook:
    """The organisation and year of the current folder (inside data/<org>/<år>/), when that folder is an
    organisation's and --org does not name another one."""
    here = book_of_folder(root)
    if here.organisation is None or here.organisation not in organisations(data_root_of(root)):
        return FolderBook()
    if organisation is not None and organisation != here.organisation:
        return FolderBook()
    return here


def _site(args: argparse.Namespace, jobs: int | None, root: Path) -> int:
    """`rapportbok site`: every organisation's years side by side, and the overview."""
    from rapportbok.pipeline.books.site import build_site

    with _executor(args, jobs, root) as executor:
        index = build_site(root, jobs=jobs, executor=executor)
    print(f"Klart: {display_path(index, root)}")
    return 0


def _preview(args: argparse.Namespace, book: BookId, timeout: int) -> int:
    """`rapportbok preview`: serve the book, rebuilt on every save, until Ctrl-C."""
    port = parse_positive(args.port, "--port")
    if port > MAX_PORT:
        raise UsageError(f"--port ska vara ett heltal från 1 till {MAX_PORT}, inte {port}.")
    from rapportbok.pipeline.preview.server import preview
    from rapportbok.pipeline.run import BuildOptions

    preview(book, BuildOptions(draft=args.draft, timeout=timeout), port)
    return 0


def _build(args: argparse.Namespace, book: BookId, jobs: int | None, timeout: int) -> int:
    """`rapportbok build`: the book, or (a year not filled in yet) one screen that says what to do; the
    year chosen by default gives way to the latest complete year, said in one line. (The readiness
    check is imported only after a failed build: a build with nothing to do loads no data library.)"""
    root = book.root
    try:
        result = _build_book(args, book, jobs, timeout)
    except DataError as error:
        if args.draft:
            raise
        from rapportbok.authoring.readiness import latest_complete_year, stop_text, unfilled
        from rapportbok.checks.check import CheckResult

        checked = error.checked if isinstance(error.checked, CheckResult) else None  # the build's check
        with organisation_lock(book.org_dir, write=False, wait=WRITE_WAIT):  # never a half-written year
            found = unfilled(book, checked)
            complete = None if found is None else latest_complete_year(book)
        if found is None:
            raise
        if complete is None or not args.year_by_default:
            raise UsageError(stop_text(found, complete, _org_option(book))) from None
        missing = count_text(len(found.result.todo), "uppgift saknas", "uppgifter saknas")
        print(
            f"{book.label} är inte ifyllt än ({missing}): bygger {complete}, det senaste året som är "
            f"ifyllt. Ett utkast av {book.year}: rapportbok build {_org_option(book)}--year {book.year} "
            "--draft"
        )
        result = _build_book(args, replace(book, year=complete), jobs, timeout)
    if result.pdf is not None:
        print(f"PDF: {display_path(result.pdf, root)}")
    print(f"Klart: {display_path(result.index, root)}")
    return 0


def _build_book(args: argparse.Namespace, book: BookId, jobs: int | None, timeout: int) -> BuildResult:
    from rapportbok.pipeline.book import build_book
    from rapportbok.pipeline.run import BuildOptions

    with _executor(args, jobs, book.root) as executor:
        options = BuildOptions(
            jobs=jobs,
            executor=executor,
            pdf=not args.no_pdf,
            draft=args.draft,
            force=args.force,
            timeout=timeout,
            build_root=args.output,
        )
        return build_book(book, options, Progress(quiet=args.quiet))


def _org_option(book: BookId) -> str:
    """'--org <id> ' when the project has more than one organisation, else nothing."""
    return f"--org {book.organisation} " if len(organisations(book.data_root)) > 1 else ""


def _executor(
    args: argparse.Namespace, jobs: int | None, root: Path
) -> AbstractContextManager[Executor | None]:
    """The executor of --executor/--scheduler; with a local Dask cluster --jobs is its number of workers."""
    from rapportbok.pipeline.books.executors import open_executor

    workers = jobs if args.scheduler is None else None
    return open_executor(args.executor, args.scheduler, workers, project=root)


def _new_year(book: BookId, source: int | None) -> int:
    from rapportbok.authoring.new_year import start_new_year

    created = start_new_year(book, source)
    print(f"Skapade {display_path(created.folder, book.root)} med {len(created.files)} filer.")
    print(
        f"Fyll i årets värden och skriv om texterna; `rapportbok check {_book_options(book)}` "
        "visar vad som återstår."
    )
    return 0


def _new_organisation(args: argparse.Namespace, root: Path) -> int:
    """`rapportbok ny-organisation`: the organisation's first year from the defaults, then its to-do."""
    from rapportbok.authoring.new_organisation import OrganisationNames, start_organisation
    from rapportbok.checks.check import check_year
    from rapportbok.checks.todo import todo_text

    year = parse_year(args.year) if args.year is not None else _project_year(root)
    book = BookId(args.organisation, year, root)
    created = start_organisation(book, OrganisationNames(args.namn, args.kommun))
    print(
        f"Skapade {display_path(created.folder, root)} med {len(created.files)} filer för "
        f"{created.name}, {created.municipality}."
    )
    result = check_year(book)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.todo or result.to_verify:
        print("\n" + todo_text(result, book.label))
    print(
        f"\nKontrollera namnet och kommunen i {book.label}/rapport.yml, fyll i tabellerna och skriv "
        f"texterna; `rapportbok check --org {book.organisation}` visar vad som återstår."
    )
    return 0


def _project_year(root: Path) -> int:
    """The latest year of any organisation in the project; this calendar year when there is none."""
    data_root = data_root_of(root)
    years = [latest_year(data_root / organisation) for organisation in organisations(data_root)]
    return max(years, default=date.today().year)


def _contract(root: Path) -> int:
    from rapportbok.checks.contract import write_contract

    print(f"Skrev {display_path(write_contract(root), root)}")
    return 0


BEFORE_DATA: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "contract": lambda args, root: _contract(root),
    "migrate": lambda args, root: _migrate(root, args.org),
}


def _new_table(csv_path: Path, root: Path) -> int:
    from rapportbok.authoring.new_table import write_first_schema

    created = write_first_schema(csv_path, root)
    print(f"Skrev {display_path(created.path, root)}")
    print(
        "Typer och enheter är gissade: granska schemat, skriv titlar och beskrivningar, och kör sedan "
        "`rapportbok check`."
    )
    return 0


def _migrate(root: Path, organisation: str | None) -> int:
    from rapportbok.authoring.migrate import migrate_project

    migration = migrate_project(root, organisation)
    for moved in migration.moved:
        how = "git mv" if moved.with_git else "flyttad"
        print(f"{moved.source} → {moved.target} ({how})")
    for note in migration.notes:
        print(f"Obs: {note}")
    count = len(migration.moved)
    print(
        f"Klart: {count_text(count, 'år', 'år')} i data/{migration.organisation}/. Bygg med "
        f"rapportbok build --org {migration.organisation}"
        + (" och checka in flytten med git commit." if any(m.with_git for m in migration.moved) else ".")
    )
    return 0


def _optional_positive(value: str | None, option: str) -> int | None:
    return None if value is None else parse_positive(value, option)


def _book_options(book: BookId) -> str:
    """'--org kommunstyrelsekontoret --year 2024': the options that name one book in a command line."""
    return f"--org {book.organisation} --year {book.year}"


def _excel(book: BookId) -> int:
    from rapportbok.authoring.excel.export import export_workbook

    with organisation_lock(book.org_dir, write=False, wait=WRITE_WAIT):  # never a half-written year
        path = export_workbook(book)
    print(f"Skrev {display_path(path, book.root)}")
    print(
        f"Fyll i den och läs in den med: rapportbok import {display_path(path, book.root)} "
        f"{_book_options(book)}"
    )
    return 0


def _import(workbook: Path, book: BookId, timeout: int) -> int:
    from rapportbok.authoring.excel.import_ import import_workbook

    result = import_workbook(workbook, book, timeout=timeout)
    for path in result.written:
        print(f"Skrev {display_path(path, book.root)}")
    for path in result.kept:
        print(f"Behöll {display_path(path, book.root)}: ändrad i data/ sedan exporten, inte i arbetsboken")
    changed = count_text(len(result.written), "fil ändrad", "filer ändrade")
    print(f"{changed}, {len(result.unchanged)} oförändrade.")
    check = result.check
    for warning in check.warnings:
        print(f"Varning: {warning}")
    if check.todo or check.to_verify:  # located by sheet and cell of the workbook
        print(f"\nAtt göra ({len(check.todo)} krävs, {len(check.to_verify)} att kontrollera):")
        for label, items in (("krävs", check.todo), ("kontrollera", check.to_verify)):
            for item in items:
                print(f"  [{label}] {item}")
    return 0


def _check(book: BookId, timeout: int, *, markdown: bool = False, known: bool = False) -> int:
    from rapportbok.checks.check import check_year
    from rapportbok.checks.todo import todo_text

    with organisation_lock(book.org_dir, write=False, wait=WRITE_WAIT):  # an interrupted write is finished
        result = check_year(book, timeout=timeout)
    folder = book.label
    if markdown:
        print(_check_markdown(result, folder, known), end="")
        return 0 if result.ok else 1
    for warning in result.warnings:
        print(f"Varning: {warning}")
    for acknowledged in result.acknowledged if known else ():
        print(f"Känd avvikelse: {acknowledged}")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.todo or result.to_verify:
        print("\n" + todo_text(result, folder))
    print(_summary(result, folder), file=sys.stderr if result.problems else sys.stdout)
    return 0 if result.ok else 1


def _summary(result: CheckResult, folder: str) -> str:
    """One total for the whole check: '3 fel, 1 uppgift saknas, 4 att kontrollera, 2 varningar'."""
    counts = [
        count_text(len(result.problems), "fel", "fel"),
        count_text(len(result.todo), "uppgift saknas", "uppgifter saknas"),
        f"{len(result.to_verify)} att kontrollera",
        count_text(len(result.all_warnings) - len(result.acknowledged), "varning", "varningar"),
    ]
    if result.acknowledged:
        counts.append(count_text(len(result.acknowledged), "känd avvikelse", "kända avvikelser"))
    total = ", ".join(counts)
    if result.problems:
        return f"{folder}: {total}. Rätta felen och kör kommandot igen."
    if result.todo:
        return f"{folder}: {total}. Fyll i det som saknas (eller bygg ett utkast med --draft)."
    valid = [count for count in counts[2:] if not count.startswith("0 ")] or ["0 varningar"]
    return f"{folder} är giltig ({', '.join(valid)})."


def _check_markdown(result: CheckResult, folder: str, known: bool = False) -> str:
    """The whole check as Markdown: errors and warnings as lists, the to-do list as a checklist."""
    from rapportbok.checks.todo import markdown_text, todo_markdown

    parts = [f"# Kontroll av {folder}\n\n{markdown_text(_summary(result, folder))}\n"]
    if result.problems:
        parts.append("## Fel\n\n" + "".join(f"- [ ] {markdown_text(p)}\n" for p in result.problems))
    if result.todo or result.to_verify:
        parts.append(todo_markdown(result, folder))
    if result.warnings:
        parts.append("## Varningar\n\n" + "".join(f"- {markdown_text(w)}\n" for w in result.warnings))
    if known and result.acknowledged:
        items = "".join(f"- {markdown_text(item)}\n" for item in result.acknowledged)
        parts.append("## Kända avvikelser\n\n" + items)
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
