"""Acknowledged warnings (data/known_deviations.py): the warnings a year's kanda_avvikelser.yml lists
with a reason are taken out of the result's warnings and summarised in one line."""

from __future__ import annotations

from rapportbok.checks.context import KNOWN_CODES, Acknowledged, CheckResult
from rapportbok.core.book import BookId
from rapportbok.core.formatting import count_text
from rapportbok.data.known_deviations import FILE_NAME, read_known_deviations, warning_key
from rapportbok.exceptions import Finding

SUMMARY_CODE, UNUSED_CODE = KNOWN_CODES


def acknowledge(result: CheckResult, book: BookId) -> None:
    """Move the warnings the year acknowledges into `result.acknowledged`, with one summary warning in
    their place; the file's problems are errors. An entry that no warning matches is a warning, once
    the year has no errors and nothing to fill in (before, a check that waits for a table may hide it)."""
    known, problems = read_known_deviations(book)
    result.problems += problems
    if not known.reasons:
        return
    shown_as = f"{book.label}/{FILE_NAME}"
    kept, used = [], set()
    for warning in result.warnings:
        key = warning_key(str(warning), book.label)
        reason = known.reasons.get(key) if key is not None else None
        if reason is None:
            kept.append(warning)
            continue
        result.acknowledged.append(Acknowledged(warning, reason))
        used.add(key)
    if result.ok:
        kept += [
            Finding(
                shown_as,
                f'{file}: "{warning}" finns inte längre; ta bort raden',
                known.lines.get(file),
                code=UNUSED_CODE,
            )
            for (file, warning) in known.reasons
            if (file, warning) not in used
        ]
    if result.acknowledged:
        count = count_text(len(result.acknowledged), "känd avvikelse", "kända avvikelser")
        summary = f"{count} med skäl (visa dem med rapportbok check --alla)"
        kept.insert(0, Finding(shown_as, summary, code=SUMMARY_CODE))
    result.warnings = kept
