"""A failed or interrupted publishing run's error as the analyst sees it, with a true note of what
is published now (a book's release or the site's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportbok.core.layout import ReleaseLayout
from rapportbok.core.paths import display_path
from rapportbok.exceptions import BuildInterrupted, PublishError, RapportbokError
from rapportbok.pipeline.publishing import publish


@dataclass(frozen=True)
class Wording:
    """What a run says: the note when nothing is published, when the previous release is untouched,
    when the new one was published; the message of an interruption and of a write that failed."""

    nothing: str
    untouched: str
    replaced: str
    interrupted: str  # followed by the note
    unwritable: str  # followed by what could not be written


def unwritable(error: OSError, root: Path, wording: Wording) -> str:
    """The message of a PublishError: the file the run could not write, named relative to the project."""
    shown = publish.describe_os_error(error, lambda path: display_path(path, root))
    return f"{wording.unwritable} {shown}"


def explained(
    error: BaseException, root: Path, releases: ReleaseLayout, before: Path | None, wording: Wording
) -> BaseException:
    """The error as the analyst should see it, with a true note of what is published now (`before`:
    the release published when the run began)."""
    now = publish.current_release(releases)
    if now is None:
        note = wording.nothing
    elif before is not None and now.resolve() == before.resolve():
        note = wording.untouched
    else:
        note = wording.replaced
    if isinstance(error, BuildInterrupted | KeyboardInterrupt):
        return BuildInterrupted(f"{wording.interrupted} {note}")
    if isinstance(error, OSError) and not isinstance(error, RapportbokError):
        shown = publish.describe_os_error(error, lambda path: display_path(path, root))
        return PublishError(f"{wording.unwritable} {shown}\n{note}")
    if isinstance(error, RapportbokError):
        error.add_note(note)
    return error
