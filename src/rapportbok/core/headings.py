"""The mark of a heading shown by a code cell (views.text.show_heading).

The build turns an output carrying this metadata into the Markdown cell it stands for
(pipeline.inputs.notebooks.clean_executed), so the book has the same heading as a Markdown cell.
"""

from __future__ import annotations

HEADING_METADATA = {"rapportbok": "heading"}
