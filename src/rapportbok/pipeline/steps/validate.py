"""The validate step: the year's data checked as the build needs it (errors stop the run)."""

from __future__ import annotations

from rapportbok.checks.check import CheckResult, require_valid
from rapportbok.pipeline.run import BookRun


def validate(run: BookRun) -> CheckResult:
    """The year's check (DataError on errors, and on missing items unless a draft); each text's
    rendering bounded by the run's --timeout."""
    options = run.options
    return require_valid(run.book, draft=options.draft, text_timeout=options.timeout)
