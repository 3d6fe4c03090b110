"""The `rapportbok` command: a thin layer over build_year and check_year."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rapportbok.build import build_year
from rapportbok.check import check_year
from rapportbok.contract import write_contract
from rapportbok.errors import RapportbokError
from rapportbok.paths import display_path, find_project_root, parse_year


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapportbok", description="Bygg verksamhetsberättelsen från data/<år>/."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="kontrollera data, kör kapitlen och bygg webbplatsen")
    build.add_argument("--year", required=True, help="räkenskapsåret, t.ex. 2024")
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="antal kapitel som körs samtidigt (standard: antal kärnor)",
    )
    build.add_argument(
        "--output", type=Path, default=None, help="mapp att bygga i (standard: _build i projektet)"
    )
    build.add_argument("--no-pdf", action="store_true", help="bygg bara webbplatsen, inte PDF-versionen")
    check = commands.add_parser("check", help="kontrollera årets data och lista alla fel")
    check.add_argument("--year", required=True, help="räkenskapsåret, t.ex. 2024")
    commands.add_parser("contract", help="skriv data/README.md (datakontraktet) från tabellschemana")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 1 problems found)."""
    args = _parser().parse_args(argv)
    try:
        root = find_project_root()
        if args.command == "contract":
            print(f"Skrev {display_path(write_contract(root), root)}")
            return 0
        year = parse_year(args.year)
        if args.command == "check":
            return _check(year, root)
        result = build_year(root, year, jobs=args.jobs, build_root=args.output, pdf=not args.no_pdf)
        if result.pdf is not None:
            print(f"PDF: {display_path(result.pdf, root)}")
        print(f"Klart: {display_path(result.index, root)}")
        return 0
    except RapportbokError as error:
        print(error, file=sys.stderr)
        return 1


def _check(year: int, root: Path) -> int:
    result = check_year(year, root / "data")
    for warning in result.warnings:
        print(f"Varning: {warning}")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        print(
            f"{len(result.problems)} fel i data/{year}. Rätta dem och kör kommandot igen.",
            file=sys.stderr,
        )
        return 1
    print(f"data/{year} är giltig ({len(result.warnings)} varningar).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
