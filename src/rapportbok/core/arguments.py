"""argparse in Swedish: usage, help headings and every argument error the command line can give.

argparse writes its texts in English through gettext. Rather than install a translation catalogue
(global state), the parser below sets its own headings and help text and rewrites argparse's error
messages, which name the argument and value, into Swedish sentences before they are printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

USAGE = "användning: "
HELP = "visa den här hjälpen och avsluta"


def _choices(text: str) -> str:
    return ", ".join(choice.strip().strip("'\"") for choice in text.split(","))


def _invalid_choice(found: re.Match[str]) -> str:
    argument, value, choices = found.group(1), found.group(2), _choices(found.group(3))
    if argument in ("command", "KOMMANDO"):
        return f'okänt kommando "{value}" (välj bland: {choices})'
    return f'"{value}" är inte ett tillåtet värde för {argument} (välj bland: {choices})'


# argparse's messages (Python 3.11–3.13) and their Swedish text. Each is matched at the start of the
# message only, and an argument's name has no blank or colon, so that a value on the command line (it
# can be 128 kB) is scanned a bounded number of times, never from each of its positions.
MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"argument ([^:\s]+): invalid choice: '?(.*?)'? \(choose from (.+)\)"),
        _invalid_choice,
    ),
    (
        re.compile(r"the following arguments are required: (.+)"),
        lambda found: f"det här saknas: {found.group(1)}",
    ),
    (re.compile(r"unrecognized arguments: (.+)"), lambda found: f"okänt argument: {found.group(1)}"),
    (
        re.compile(r"argument ([^:\s]+): expected one argument"),
        lambda found: f"{found.group(1)} ska följas av ett värde",
    ),
    (
        re.compile(r"argument ([^:\s]+): ignored explicit argument '(.*)'"),
        lambda found: f'{found.group(1)} tar inget värde ("{found.group(2)}")',
    ),
    (
        re.compile(r"ambiguous option: (\S+) could match (.+)"),
        lambda found: f"{found.group(1)} kan betyda flera flaggor: {found.group(2)}",
    ),
    (
        re.compile(r"argument ([^:\s]+): invalid (\w+) value: '(.*)'"),
        lambda found: f'"{found.group(3)}" är inte ett giltigt värde för {found.group(1)}',
    ),
    (
        re.compile(r"argument ([^:\s]+): not allowed with argument (.+)"),
        lambda found: f"{found.group(1)} kan inte anges tillsammans med {found.group(2)}",
    ),
    (
        re.compile(r"argument ([^:\s]+): expected at most one argument"),
        lambda found: f"{found.group(1)} tar högst ett värde",
    ),
    (
        re.compile(r"argument ([^:\s]+): expected at least one argument"),
        lambda found: f"{found.group(1)} ska följas av minst ett värde",
    ),
    (
        re.compile(r"one of the arguments (.+) is required"),
        lambda found: f"ange en av: {found.group(1)}",
    ),
    (
        re.compile(r"unexpected option string: (\S+)"),
        lambda found: f"oväntad flagga: {found.group(1)}",
    ),
    (
        re.compile(r"argument ([^:\s]+): can't open '(.*)'"),
        lambda found: f'{found.group(1)}: kan inte öppna "{found.group(2)}"',
    ),
)


def swedish_message(message: str) -> str:
    """argparse's English error message in Swedish (an unknown message is said generally)."""
    for pattern, text in MESSAGES:
        if found := pattern.match(message):
            return text(found)
    return "kommandot kan inte tolkas; se --help"


class SwedishHelpFormatter(argparse.HelpFormatter):
    """Usage starts with 'användning:'."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every text an analyst can see is Swedish (its subparsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Swedish and exit with code 2, as argparse does."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {swedish_message(message)}\n")
