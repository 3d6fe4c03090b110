"""Suggestions for a mistyped placeholder name or format: "menade du `sjukfranvaro.namnden`?".

The nearest valid names come from difflib over the keys that exist at the level where the lookup
failed, so a typo in the last part of `sjukfranvaro.namden` is matched against `sjukfranvaro`'s keys.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from typing import Any

from jinja2 import nodes

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_SUGGESTIONS = 3
CUTOFF = 0.6


def close_matches(word: str, candidates: Collection[str]) -> list[str]:
    """Up to three candidates that are spelled like `word`, nearest first."""
    return difflib.get_close_matches(word, list(candidates), n=MAX_SUGGESTIONS, cutoff=CUTOFF)


def did_you_mean(suggestions: list[str]) -> str:
    """'menade du `a`?' or 'menade du `a` eller `b`?'; empty when there is nothing to suggest."""
    if not suggestions:
        return ""
    quoted = [f"`{name}`" for name in suggestions]
    joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]
    return f"menade du {joined}?"


def _path_text(parts: list[str | int]) -> str:
    text = str(parts[0])
    for part in parts[1:]:
        text += f".{part}" if isinstance(part, str) and IDENTIFIER.match(part) else f'["{part}"]'
    return text


def _lookup_chain(node: nodes.Node) -> list[str | int] | None:
    """`a.b["c"]` as ['a', 'b', 'c']; None when the expression is not a plain chain of names and keys."""
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Getattr):
        head = _lookup_chain(node.node)
        return None if head is None else [*head, node.attr]
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        head = _lookup_chain(node.node)
        key = node.arg.value
        return None if head is None or not isinstance(key, str | int) else [*head, key]
    return None


def _chains(tree: nodes.Node) -> list[list[str | int]]:
    """Every outermost chain of lookups in a placeholder (through formats and + / -)."""
    found = []
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem)):
        chain = _lookup_chain(node)
        if chain is not None:
            found.append(chain)
    return sorted(found, key=len, reverse=True)


def name_suggestions(tree: nodes.Node, values: Mapping[str, Any]) -> list[str]:
    """For the first lookup in `tree` that the values do not have: the nearest full names that exist."""
    for chain in _chains(tree):
        level: Any = values
        for depth, part in enumerate(chain):
            if not isinstance(level, Mapping):
                break
            if part in level:
                level = level[part]
                continue
            keys = [key for key in level if isinstance(key, str | int) and not str(key).startswith("_")]
            by_text = {str(key): key for key in keys}
            return [
                _path_text([*chain[:depth], by_text[match]]) for match in close_matches(str(part), by_text)
            ]
    return []
