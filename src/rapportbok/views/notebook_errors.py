"""rapportbok's errors in a notebook opened in JupyterLab: the Swedish message, without a traceback.

An error in a chapter (a wrong placeholder, a missing value, a second organisation without ORG=) is a
RapportbokError whose message already names the file, row and column and says what to fix; IPython
would print it under a traceback through the package's code. `show_errors_without_traceback` registers
an IPython custom exception handler (`InteractiveShell.set_custom_exc`) for rapportbok's own error types
only: any other error keeps its traceback. Outside IPython (a test, a script) it does nothing. In a
build the cell still fails as before; papermill reports the error's type and message, which are unchanged.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rapportbok.exceptions import RapportbokError


def show_errors_without_traceback(shell: Any = None) -> bool:
    """Show RapportbokError in `shell` (default: the running IPython shell, if any) as its message and
    notes only; whether a shell was found."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with the notebooks' kernel
            return False
        shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((RapportbokError,), swedish_message_only)
    return True


def swedish_message_only(
    shell: Any,
    kind: type[BaseException],
    error: BaseException,
    traceback: TracebackType | None,
    tb_offset: int | None = None,
) -> list[str]:
    """Show a RapportbokError as its message and its notes (what to do), without a traceback; the lines
    shown are returned too. The shell's own `_showtraceback` shows them: a kernel sends them to Lab as
    the cell's error (the cell fails, "run all" stops), the terminal shell prints them."""
    lines = [str(error), *getattr(error, "__notes__", [])]
    shell._showtraceback(kind, error, lines)
    return lines
