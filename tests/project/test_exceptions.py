"""One module holds every exception type, and what an analyst can cause is a RapportbokError."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import rapportbok
from rapportbok import exceptions
from rapportbok.exceptions import (
    BuildInterrupted,
    InvalidMetadataValue,
    OutputTooLong,
    PlaceholderRefused,
    RapportbokError,
    TimeLimitExceeded,
    VocabularyMismatch,
)
from tests.package_source import modules, parsed

PACKAGE = Path(rapportbok.__file__).parent
# Not the analyst's doing: a stop request (passes every `except Exception`), and a schema edited
# without the code (data/vocabulary.py). Then the signals raised and caught inside the package, which
# become a located Problem before anyone sees them: a time limit, a placeholder outside the grammar,
# a too long text, a rapport.yml value that breaks its type.
NOT_ANALYST_ERRORS = {
    BuildInterrupted,
    VocabularyMismatch,
    TimeLimitExceeded,
    PlaceholderRefused,
    OutputTooLong,
    InvalidMetadataValue,
}
# Raised and caught inside one module or by the library that calls it, with the reason.
INTERNAL = {
    ("narrative/templates.py", "ValueError"),
    # A format given a wrong value: Jinja passes it on, narrative.templates locates it.
    ("narrative/sandbox.py", "ValueError"),
    # The sandbox refusing an attribute: caught with the placeholder's line.
    ("narrative/sandbox.py", "SecurityError"),
    # A name the package does not have: the module __getattr__ protocol (hasattr, from-imports).
    ("__init__.py", "AttributeError"),
    # The YAML loader refusing aliases and deep nesting: data.yamlfile locates it.
    ("data/yamlfile.py", "ComposerError"),
    ("data/yamlfile.py", "ConstructorError"),
    # Programming errors in rapportbok itself (a schema with an unknown type, a non-positive limit).
    ("data/metadata.py", "ValueError"),
    ("core/deadline.py", "ValueError"),
    # The build re-raises its error with a true note of what is published (a RapportbokError or
    # BuildInterrupted, see pipeline.publishing.explain).
    ("pipeline/book.py", "explained"),
    ("pipeline/books/site.py", "explained"),
    # A kernel still starting when the preview closes: its background start ends there, unseen.
    ("pipeline/processes/warm_kernels.py", "RuntimeError"),
}


def _exception_classes() -> set[type[BaseException]]:
    return {
        value
        for _, value in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(value, BaseException) and value.__module__ == exceptions.__name__
    }


def _looks_like_an_exception(base: str, names: set[str]) -> bool:
    return base.split(".")[-1] in names or base.endswith(("Error", "Exception"))


def test_every_exception_class_is_in_the_exceptions_module() -> None:
    """No other module defines an exception."""
    names = {cls.__name__ for cls in _exception_classes()} | {"Exception", "BaseException"}
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"
        for path in modules()
        if path.name != "exceptions.py"
        for node in ast.walk(parsed(path))
        if isinstance(node, ast.ClassDef)
        and any(_looks_like_an_exception(ast.unparse(base), names) for base in node.bases)
    ]
    assert found == []


def test_every_error_an_analyst_can_cause_is_a_rapportbok_error() -> None:
    """The CLI shows these as messages; every other class is listed with its reason above."""
    classes = _exception_classes()
    assert {cls for cls in classes if not issubclass(cls, RapportbokError)} == NOT_ANALYST_ERRORS
    assert len(classes) > len(NOT_ANALYST_ERRORS) + 5


def test_the_package_raises_only_its_own_errors() -> None:
    """Every `raise` in the package raises a type from exceptions.py (or re-raises)."""
    own = {cls.__name__ for cls in _exception_classes()}
    found = []
    for path in modules():
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                name = ast.unparse(raised)
                where = (path.relative_to(PACKAGE).as_posix(), name)
                if name not in own and where not in INTERNAL:
                    found.append(f"{where[0]}:{node.lineno} raise {name}")
    assert found == []
