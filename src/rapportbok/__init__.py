"""rapportbok: a reproducible annual report (verksamhetsberättelse) built from data.

`Report` and `load_year` are imported on first use, so that a process that needs only a part of the
package (the PDF child process) does not load pandas and frictionless with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rapportbok.data.load import load_year
    from rapportbok.data.report import Report

__all__ = ["Report", "load_year"]
__version__ = "0.1.0"
_LAZY = {"Report": "rapportbok.data.report", "load_year": "rapportbok.data.load"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rapportbok' has no attribute {name!r}")
    return getattr(import_module(_LAZY[name]), name)
