"""The statement check: tillganglighet.yml, which the build needs for the accessibility statement."""

from __future__ import annotations

from collections.abc import Iterable

from rapportbok.checks.claims import statement_figure_warnings
from rapportbok.checks.context import CheckContext, Found, errors, warnings
from rapportbok.data.statement import CONFIG_FILE, read_statement

PROJECT_CONFIG = "_config.yml"


def check_statement(context: CheckContext) -> Iterable[Found]:
    """In a project: the problems of tillganglighet.yml, and a warning for each figure typed in it."""
    root = context.book.root
    if not (root / PROJECT_CONFIG).is_file():
        return  # a data folder outside a project (tests, tools): no book is built from it
    content, problems = read_statement(root)
    yield from errors(problems)
    yield from warnings(statement_figure_warnings(content or {}, CONFIG_FILE))
