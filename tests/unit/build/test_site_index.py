"""The multi-year site's front page speaks of the reports in the plural."""

from __future__ import annotations

from rapportbok.build.site import plural


def test_report_types_are_put_in_the_plural() -> None:
    """Verksamhetsberättelse → Verksamhetsberättelser (not "…berättelseer"), and other common types."""
    assert plural("Verksamhetsberättelse") == "Verksamhetsberättelser"
    assert plural("Årsredovisning") == "Årsredovisningar"
    assert plural("Delårsrapport") == "Delårsrapporter"
    assert plural("Bokslut") == "Bokslut, alla år"
