"""The handbook's list of blocks (docs/block.md) is the blocks' registry (rapportbok.views.blocks.BLOCKS):
written from it by docs/_ext/handbok.py, and the committed page agrees with it, so that neither drifts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rapportbok.views.blocks import BLOCKS
from tests.project.test_docs import DOCS, handbok

PAGE = DOCS / handbok.BLOCKS_PAGE


def test_the_handbooks_list_of_blocks_is_the_registry() -> None:
    """`make docs` (handbok.write_pages) rewrites the list when a block is added, renamed or redescribed."""
    page = PAGE.read_text(encoding="utf-8")
    assert handbok.with_blocks_list(page, BLOCKS) == page


def test_every_block_is_listed_under_its_group_with_its_call_and_description() -> None:
    listed = handbok.blocks_list(BLOCKS)
    for block in BLOCKS:
        row = f"| `{block.example}` | {block.description} |"
        assert row in listed
        assert listed.rindex(f"### {block.group}\n", 0, listed.index(row)) >= 0


def test_a_block_added_to_the_registry_changes_the_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    added = replace(BLOCKS[-1], name="new_block", example="new_block(report)", description="Ett nytt block.")
    changed = handbok.with_blocks_list(page, (*BLOCKS, added))
    assert changed != page and "| `new_block(report)` | Ett nytt block. |" in changed
    assert changed.startswith(page.partition(handbok.BLOCKS_START)[0])  # the written part is kept


def test_a_page_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markeringarna"):
        handbok.with_blocks_list("# Block\n", BLOCKS)
