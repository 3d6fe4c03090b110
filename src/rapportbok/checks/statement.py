"""The statement check: tillganglighet.yml, which the build needs for the accessibility statement."""

from __future__ import annotations

from collections.abc import Iterable

from rapportbok.checks.claims import statement_figure_warnings
from rapportbok.checks.context import CheckContext, Found, errors, todos, warnings
from rapportbok.data.statement import CONFIG_FILE, LIST_KEY, PROSE_KEYS, publishing_todos, read_statement

PROJECT_CONFIG = "_config.yml"


def check_statement(context: CheckContext) -> Iterable[Found]:
    """In a project: the problems of tillganglighet.yml, what it still lacks to be published (to-dos: a
    draft may be built without them), and a warning for each figure typed in its sentences."""
    root = context.book.root
    if not (root / PROJECT_CONFIG).is_file():
        return  # a data folder outside a project (tests, tools): no book is built from it
    content, problems = read_statement(root)
    yield from errors(problems)
    if content is None:
        return
    yield from todos(publishing_todos(content))
    prose = {key: value for key, value in content.items() if key in (*PROSE_KEYS, LIST_KEY)}
    yield from warnings(statement_figure_warnings(prose, CONFIG_FILE))
