"""YAML as the analysts write it (rapport.yml, tillganglighet.yml), read with limits.

A safe loader (no Python objects) that also refuses aliases (`*name`, the means of a "billion laughs"
file), nesting deeper than a few levels and files over a size limit, and turns every failure, including
impossible dates, into a located Problem. The result keeps the line of every top-level key.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import BaseResolver

from rapportbok.core.content_cache import ContentCache
from rapportbok.data.files import MAX_YAML_BYTES, RefusedFile, read_text
from rapportbok.exceptions import Problem

MAX_DEPTH = 8
YAML_HELP = "se data/README.md"


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader without aliases and with a nesting limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, "alias (*namn) är inte tillåtna", self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(
                    None,
                    None,
                    f"värdena är nästlade i fler än {MAX_DEPTH} nivåer",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(
                None, None, f'"{node.value}" är inget datum som finns ({error})', node.start_mark
            ) from error

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(None, None, "talet är för långt", node.start_mark) from error


_REPLACED = {
    SafeConstructor.construct_yaml_timestamp: _LimitedLoader.construct_yaml_timestamp,
    SafeConstructor.construct_yaml_int: _LimitedLoader.construct_yaml_int,
}
for _tag, _function in list(yaml.SafeLoader.yaml_constructors.items()):
    if _function in _REPLACED:
        _LimitedLoader.add_constructor(_tag, _REPLACED[_function])


@dataclass(frozen=True)
class Entry:
    """One top-level `key: value` of a YAML mapping, with the line it starts on."""

    key: str
    value: Any
    line: int


@dataclass(frozen=True)
class YamlMapping:
    """A YAML file's top-level mapping, key by key, in file order."""

    entries: list[Entry]
    lines: list[str] = field(default_factory=list)  # the file's lines, for messages about a value

    def get(self, key: str, default: Any = None) -> Any:
        return next((entry.value for entry in self.entries if entry.key == key), default)

    def as_dict(self) -> dict[str, Any]:
        return {entry.key: entry.value for entry in self.entries}


def _problem(shown_as: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    return Problem(
        shown_as,
        f"filen går inte att läsa som YAML: {reason}",
        row=None if mark is None else mark.line + 1,
        allowed=YAML_HELP,
        code="yaml.invalid",
    )


def read_mapping(
    path: Path, shown_as: str, *, within: Path | None = None
) -> tuple[YamlMapping | None, list[Problem]]:
    """The top-level mapping of a YAML file, or None and the problems that stop it from being read.

    An empty file is an empty mapping. A key given twice is a problem (YAML would silently keep the last).

    The file is read (and its size and links checked) every time; parsing its text, the costly part
    (PyYAML in Python: a sixth of a warm `check`), is done once per text in a process: a preview that
    checks the year after each saved file parses an unchanged YAML file in microseconds. Each caller
    gets its own copy of the values.
    """
    try:
        text = read_text(path, shown_as, MAX_YAML_BYTES, within=within)
    except RefusedFile as refused:
        return None, [refused.problem]
    return copy.deepcopy(_PARSED.get((text, shown_as), lambda: _parsed(text, shown_as)))


MAX_PARSED = 64  # the YAML files of a few organisations and years
_PARSED: ContentCache[tuple[str, str], tuple[YamlMapping | None, list[Problem]]] = ContentCache(MAX_PARSED)


def _parsed(text: str, shown_as: str) -> tuple[YamlMapping | None, list[Problem]]:
    """`read_mapping`'s result for the file's `text`."""
    try:
        loader = _LimitedLoader(text)
    except yaml.reader.ReaderError as error:  # a control character such as NUL
        return None, [_forbidden_character(shown_as, text, error)]
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlMapping([], text.splitlines()), []
        if not isinstance(root, yaml.MappingNode):
            return None, [
                Problem(
                    shown_as,
                    "filen ska innehålla rader med nyckel: värde",
                    allowed=YAML_HELP,
                    code="yaml.not_mapping",
                )
            ]
        entries, problems = [], []
        seen: dict[str, int] = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != BaseResolver.DEFAULT_SCALAR_TAG:
                problems.append(
                    Problem(
                        shown_as,
                        "nyckeln ska vara ett namn",
                        row=line,
                        allowed=YAML_HELP,
                        code="yaml.key.invalid",
                    )
                )
                continue
            if key in seen:
                problems.append(
                    Problem(
                        shown_as,
                        f"nyckeln finns redan på rad {seen[key]}",
                        row=line,
                        column=key,
                        allowed="ta bort den ena raden",
                        code="yaml.key.duplicate",
                    )
                )
                continue
            seen[key] = line
            entries.append(Entry(key, loader.construct_object(value_node, deep=True), line))
    except yaml.reader.ReaderError as error:
        return None, [_forbidden_character(shown_as, text, error)]
    except yaml.YAMLError as error:
        return None, [_problem(shown_as, error)]
    except RecursionError:
        return None, [
            Problem(shown_as, "filen är för djupt nästlad", allowed=YAML_HELP, code="yaml.too_deep")
        ]
    finally:
        loader.dispose()
    return YamlMapping(entries, text.splitlines()), problems


def _forbidden_character(shown_as: str, text: str, error: yaml.reader.ReaderError) -> Problem:
    """A control character such as NUL, with the line it stands on."""
    line = text[: error.position].count("\n") + 1
    return Problem(
        shown_as,
        f"filen innehåller ett otillåtet tecken (#x{error.character:04x})",
        line,
        allowed=YAML_HELP,
        code="yaml.character",
    )
