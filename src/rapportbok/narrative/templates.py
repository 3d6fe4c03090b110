"""Narrative Markdown from data/<year>/text/, with named placeholders filled from the data.

A placeholder is `{{ drift.summa.avvikelse | mnkr }}`. Where the published text states a value that
differs from what the data gives, `{{ … | tryckt("22,3 mnkr") }}` keeps the published wording and the
disagreement is reported by `rapportbok check`, never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from rapportbok.core.formatting import (
    GROUP,
    format_mnkr,
    format_number,
    format_percent,
    format_tkr,
    number_in_words,
)
from rapportbok.data.report import Report
from rapportbok.exceptions import NarrativeError, Problem
from rapportbok.model.figures import key_figures

PLACEHOLDER_HELP = "se platshållarna i data/README.md"


@dataclass(frozen=True)
class Disagreement:
    """The published text says one thing, the data another."""

    file: str
    printed: str
    computed: str

    def __str__(self) -> str:
        return (
            f'{self.file}: texten säger "{self.printed}" men data ger "{self.computed}" '
            "(publicerat värde behålls)"
        )


@dataclass
class RenderedText:
    """Narrative Markdown with its placeholders filled in."""

    markdown: str
    disagreements: list[Disagreement] = field(default_factory=list)


REWRITE_MARKER = "[SKRIV OM]"
DRAFT_MARK = "⟦saknas: {expression}⟧"
EMPTY_VALUE = "platshållaren har inget värde i data"


class _MissingValue(jinja2.StrictUndefined):
    """Undefined that names the placeholder in its message."""


def _checked(value: Any) -> Any:
    if value is None or isinstance(value, jinja2.Undefined):
        raise ValueError(EMPTY_VALUE)
    return value


def _environment(shown_as: str, disagreements: list[Disagreement]) -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True,  # values from data are HTML-escaped before they become Markdown
        undefined=_MissingValue,
        keep_trailing_newline=True,
    )

    def as_printed(computed: Any, printed: str) -> str:
        computed_text = str(computed).replace(GROUP, " ")
        if computed_text != printed.replace(GROUP, " "):
            disagreements.append(Disagreement(shown_as, printed, computed_text))
        return printed

    env.filters.update(
        mnkr=lambda value, decimals=1: format_mnkr(_checked(value), decimals),
        tkr=lambda value, signed=False: format_tkr(_checked(value), signed=signed),
        tal=lambda value, decimals=0: format_number(_checked(value), decimals),
        procent=lambda value, decimals=1: format_percent(_checked(value), decimals),
        ord=lambda value, genus="ett": number_in_words(_checked(value), genus),
        tryckt=as_printed,
    )
    return env


def _render(env: jinja2.Environment, source: str, values: Mapping[str, Any]) -> str:
    """Render without copying `values` (Template.render would evaluate every lazy figure)."""
    template = env.from_string(source)
    return env.concat(template.root_render_func(template.new_context(values, shared=True)))  # type: ignore[attr-defined]


def text_path(report: Report, key: str) -> Path:
    """The Markdown file of a narrative section, e.g. key 'ekonomi/driftredovisning'."""
    return report.text_dir / f"{key}.md"


def render_text(report: Report, key: str) -> RenderedText:
    """Fill in the placeholders of one narrative file; raise NarrativeError with its location."""
    path = text_path(report, key)
    shown_as = f"data/{report.year}/text/{key}.md"
    report.reads.record(path)
    if not path.is_file():
        raise NarrativeError(Problem(shown_as, "texten saknas", allowed="skapa filen med avsnittets text"))
    source = path.read_text(encoding="utf-8")
    disagreements: list[Disagreement] = []
    env = _environment(shown_as, disagreements)
    try:
        markdown = _render(env, source, key_figures(report))
    except jinja2.TemplateSyntaxError as error:
        raise NarrativeError(
            Problem(
                shown_as,
                f"felaktig platshållare: {error.message}",
                row=error.lineno,
                allowed=PLACEHOLDER_HELP,
            )
        ) from error
    except (jinja2.UndefinedError, ValueError, TypeError) as error:
        if report.draft:
            markdown = _render_marking_failures(env, source, key_figures(report))
        else:
            row, expression, reason = _locate_failure(env, source, key_figures(report), error)
            problem = Problem(
                shown_as,
                f"platshållaren {expression} kan inte fyllas i ({reason})",
                row=row,
                allowed=PLACEHOLDER_HELP,
            )
            raise NarrativeError(problem, empty_value=reason == EMPTY_VALUE) from error
    return RenderedText(markdown=markdown.strip() + "\n", disagreements=disagreements)


def _render_marking_failures(env: jinja2.Environment, source: str, values: Mapping[str, Any]) -> str:
    """For drafts: every placeholder that cannot be filled in is shown as a visible mark."""

    def fill(match: re.Match[str]) -> str:
        try:
            return _render(env, match.group(0), values)
        except Exception:
            return DRAFT_MARK.format(expression=match.group(0)[2:-2].strip())

    return re.sub(r"\{\{.*?\}\}", fill, source, flags=re.S)


def needs_rewrite(report: Report, key: str) -> bool:
    """True while a text carried over from last year still has its [SKRIV OM] marker."""
    return REWRITE_MARKER in text_path(report, key).read_text(encoding="utf-8")


def _locate_failure(
    env: jinja2.Environment, source: str, values: Mapping[str, Any], error: Exception
) -> tuple[int | None, str, str]:
    """Render placeholders one by one to find the line and text of the one that fails."""
    for number, line in enumerate(source.splitlines(), start=1):
        for match in re.finditer(r"\{\{.*?\}\}", line):
            try:
                _render(env, match.group(0), values)
            except Exception as single:
                return number, match.group(0), _reason(single)
    return None, "?", _reason(error)


def _reason(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return "namnet finns inte i data"
    return str(error)


def text_keys(report: Report) -> list[str]:
    """Every narrative file of the year, as keys like 'ekonomi/driftredovisning'."""
    return sorted(
        path.relative_to(report.text_dir).with_suffix("").as_posix() for path in report.text_dir.rglob("*.md")
    )
