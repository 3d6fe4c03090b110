"""Reading a PDF's tag tree: the parent tree's entries and the structure element an annotation
belongs to (what `structure` checks links with)."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Object


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, Object]:
    """The parent tree's entries by key (its /Nums arrays, through /Kids too)."""
    root = pdf.Root.get("/StructTreeRoot")
    tree = root.get("/ParentTree") if root is not None else None
    if tree is None:
        return {}
    entries: dict[int, Object] = {}
    for node in _number_tree_leaves(tree):
        nums = node.get("/Nums", Array())
        for index in range(0, len(nums) - 1, 2):
            entries[int(nums[index])] = nums[index + 1]
    return entries


def _number_tree_leaves(node: Object) -> Iterator[Object]:
    yield node
    for kid in node.get("/Kids", Array()):
        yield from _number_tree_leaves(kid)


def annotation_owner(entries: dict[int, Object], annotation: Dictionary) -> Dictionary | None:
    """The structure element the parent tree names for `annotation` (by its /StructParent), if any."""
    key = annotation.get("/StructParent")
    owner = entries.get(int(key)) if key is not None else None
    return owner if isinstance(owner, Dictionary) else None
