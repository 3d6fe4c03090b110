"""Row headers for the Typst edition's tables.

Typst tags the cells of `table.header` as TH with /Scope /Column, but a body cell that heads its row
(the web's `<th scope="row">`) can only be marked with `pdf.header-cell`, which needs the
`a11y-extras` feature that the Python binding cannot switch on. So the converter records, table by
table, which body cells are row headers (`RowHeaders`), and this module retags those TD elements as
TH with /Scope /Row after compiling. A table whose rows or cells do not match the record is left
as Typst wrote it (its row headers stay TD, which PDF/UA allows).
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

# Per table, in document order: per body row, per cell, whether it heads its row.
RowHeaders = list[list[list[bool]]]


def _kids(element: Dictionary) -> list[Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, Array) else [kids]
    return [item for item in items if isinstance(item, Dictionary) and "/S" in item]


def elements(root: Dictionary, kind: Name) -> list[Dictionary]:
    """Every element of `kind` (not those inside one), in document order (pre-order walk)."""
    found, stack = [], [root]
    while stack:
        element = stack.pop()
        if element.get("/S") == kind:
            found.append(element)
            continue
        stack.extend(reversed(_kids(element)))
    return found


def _tables(root: Dictionary) -> list[Dictionary]:
    return elements(root, Name.Table)


def _body_rows(table: Dictionary) -> list[list[Dictionary]]:
    rows = []
    for part in _kids(table):
        if part.get("/S") == Name.TBody:
            rows += [[cell for cell in _kids(row)] for row in _kids(part) if row.get("/S") == Name.TR]
        elif part.get("/S") == Name.TR:
            rows.append(_kids(part))
    return rows


def _make_row_header(cell: Dictionary) -> None:
    cell.S = Name.TH
    attributes = cell.get("/A")
    owners = (
        list(attributes) if isinstance(attributes, Array) else [attributes] if attributes is not None else []
    )
    table_attributes = next(
        (a for a in owners if isinstance(a, Dictionary) and a.get("/O") == Name.Table), None
    )
    if table_attributes is None:
        table_attributes = Dictionary(O=Name.Table)
        owners.append(table_attributes)
    table_attributes.Scope = Name.Row
    cell.A = Array(owners)


def mark_row_headers(pdf: pikepdf.Pdf, plan: RowHeaders) -> int:
    """Retag the recorded row headers; the number of cells retagged."""
    tables = _tables(pdf.Root.StructTreeRoot)
    if len(tables) != len(plan):
        return 0
    changed = 0
    for table, rows in zip(tables, plan, strict=True):
        found = _body_rows(table)
        if [len(row) for row in found] != [len(row) for row in rows]:
            continue
        for cells, flags in zip(found, rows, strict=True):
            for cell, heads in zip(cells, flags, strict=True):
                if heads and cell.get("/S") == Name.TD:
                    _make_row_header(cell)
                    changed += 1
    return changed
