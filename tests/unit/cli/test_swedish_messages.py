"""Every message an analyst can see is Swedish: command-line usage and errors, template errors,
table errors, counts with singular and plural."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import jinja2
import pytest

from rapportbok.cli import argument_parser, main
from rapportbok.core.arguments import swedish_message
from rapportbok.core.formatting import count_text
from rapportbok.data.read_table import _translate
from rapportbok.data.schema import table_schema
from rapportbok.narrative.templates import swedish_syntax_message

# Words of argparse's, Jinja's, Frictionless's and Python's English messages.
ENGLISH = re.compile(
    r"usage:|error:|No filter|invalid choice|the following arguments|unrecognized|expected|"
    r"required|Traceback|unexpected|constraint|is not|does not|choose from|arguments|"
    r"type-error|cell-error|row-constraint|template|optional|positional|show this help",
    re.I,
)

COMMAND_LINES = [
    [],
    ["bild"],
    ["check", "--year"],
    ["check", "--org"],
    ["check", "--year", "2024", "--format", "html"],
    ["check", "--year", "2024", "extra"],
    ["build", "--year", "2024", "--no-pdf=ja"],
    ["new-year"],
    ["import", "--year", "2024"],
    ["ny-organisation"],
    ["ny-organisation", "x", "--namn"],
]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: " ".join(argv) or "inget")
def test_a_wrong_command_line_is_answered_in_swedish(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    """argparse's usage and error are 'användning:' and 'fel:', with a Swedish sentence."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: rapportbok")
    assert re.search(r"^rapportbok[a-z -]*: fel: \S", err, re.M), err
    assert not ENGLISH.search(err), err


def _commands() -> list[str]:
    """Every command of the command line, from the parser itself."""
    parser = argument_parser()
    (commands,) = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return sorted(commands.choices)


@pytest.mark.parametrize("argv", [["--help"], ["build", "-h"], *([c, "--help"] for c in _commands())])
def test_the_help_is_swedish(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    """Help headings and the help option's own text are Swedish."""
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "visa den här hjälpen och avsluta" in out
    assert "flaggor:" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize(
    ("message", "swedish"),
    [
        ("argument KOMMANDO: invalid choice: 'bild' (choose from build, check)", 'okänt kommando "bild"'),
        ("the following arguments are required: --year", "det här saknas: --year"),
        ("unrecognized arguments: --yaer 2024", "okänt argument: --yaer 2024"),
        ("argument --year: expected one argument", "--year ska följas av ett värde"),
        ("ambiguous option: --f could match --format, --force", "--f kan betyda flera flaggor"),
        ("argument --x: expected at most one argument", "--x tar högst ett värde"),
        ("argument --x: expected at least one argument", "--x ska följas av minst ett värde"),
        ("one of the arguments --a --b is required", "ange en av: --a --b"),
        ("unexpected option string: --y", "oväntad flagga: --y"),
        ("something argparse says in a later version", "kommandot kan inte tolkas; se --help"),
    ],
)
def test_argparse_messages_are_translated(message: str, swedish: str) -> None:
    """Each argparse error has a Swedish sentence; an unknown one is said generally, not in English."""
    assert swedish in swedish_message(message)
    assert not ENGLISH.search(swedish_message(message))


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ drift.summa.avvikelse | }}",
        "{{ drift.summa.avvikelse ",
        "{{ drift.summa.avvikelse ! }}",
        "{{ drift.summa avvikelse }}",
        "{{ drift.summa.avvikelse | mnkr( }}",
        "{{ }}",
    ],
)
def test_template_syntax_errors_are_swedish(placeholder: str) -> None:
    """What Jinja says about a broken placeholder reaches the analyst in Swedish."""
    with pytest.raises(jinja2.TemplateSyntaxError) as error:
        jinja2.Environment().parse(placeholder)
    message = swedish_syntax_message(error.value.message or "")
    assert message.startswith("felaktig platshållare: ")
    assert not ENGLISH.search(message), message


def test_an_unknown_format_lists_the_formats_in_check(project_copy: Path, capsys, monkeypatch) -> None:
    """'| mkr' is named with the nearest format and the list of formats; no 'No filter named'."""
    text = project_copy / "data/kommunstyrelsekontoret/2024/text/arbetsgivare/sjukfranvaro-analys.md"
    text.write_text(text.read_text(encoding="utf-8").replace("| procent", "| mkr", 1), encoding="utf-8")
    monkeypatch.chdir(project_copy)
    assert main(["check", "--year", "2024"]) == 1
    err = capsys.readouterr().err
    assert 'formatet "mkr" finns inte; menade du `mnkr`' in err
    assert "tillåtna format: mnkr, tkr, tal, procent, ord, abs, capitalize, tryckt" in err
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (["row-constraint", 3, "", None, "the row constraint to conform is 'a > b'"], "raden uppfyller inte"),
        (["foreign-key", 4, "mal_id", "9.9", 'values "9.9" not found'], "finns inte i tabellen"),
        (["constraint-error", 5, "titel", "x", 'constraint "minLength" is "3"'], '"x" har fel längd'),
        (["constraint-error", 5, "titel", "x", 'constraint "other" is "3"'], "uppfyller inte tabellschemat"),
        (["a-new-kind-of-error", 6, "titel", "x", "some English note"], "uppfyller inte tabellschemat"),
    ],
)
def test_frictionless_errors_are_swedish_with_file_row_and_column(error: list, expected: str) -> None:
    """Every Frictionless error type is a Swedish message naming file, row and column; its English
    note is never shown."""
    problem = _translate(error, table_schema("uppdrag"), "data/kommunstyrelsekontoret/2024/uppdrag.csv")
    assert problem is not None
    shown = str(problem)
    assert shown.startswith(f"data/kommunstyrelsekontoret/2024/uppdrag.csv, rad {error[1]}")
    if error[2]:
        assert f'kolumn "{error[2]}"' in shown
    assert expected in shown
    assert not ENGLISH.search(shown), shown
    assert error[4] not in shown


@pytest.mark.parametrize(
    ("count", "singular", "plural", "expected"),
    [
        (1, "fel", "fel", "1 fel"),
        (2, "fel", "fel", "2 fel"),
        (1, "uppgift saknas", "uppgifter saknas", "1 uppgift saknas"),
        (3, "uppgift saknas", "uppgifter saknas", "3 uppgifter saknas"),
        (1, "varning", "varningar", "1 varning"),
        (2, "varning", "varningar", "2 varningar"),
        (0, "varning", "varningar", "0 varningar"),
    ],
)
def test_counts_have_the_right_number(count: int, singular: str, plural: str, expected: str) -> None:
    """It writes '1 uppgift saknas' and '3 uppgifter saknas', '1 varning' and '2 varningar'."""
    assert count_text(count, singular, plural) == expected
