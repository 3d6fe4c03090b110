"""The cleanup step: what a run leaves behind, its processes and temporary files, removed."""

from __future__ import annotations

import shutil

from rapportbok.core.layout import YearLayout
from rapportbok.pipeline.processes.owned import BuildProcesses
from rapportbok.pipeline.publishing import publish


def remove_temporary(layout: YearLayout) -> None:
    """What a build leaves behind: kernels' run folders, the PDF being written."""
    for leftover in layout.temporary():
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def clean_up(layout: YearLayout, processes: BuildProcesses) -> None:
    """End the build's processes (if it started any) and remove its temporary files."""
    if layout.running.exists():
        processes.stop()
        layout.running.unlink(missing_ok=True)
    remove_temporary(layout)
    publish.discard_unpublished(layout.releases)
