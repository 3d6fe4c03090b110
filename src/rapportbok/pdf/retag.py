"""Four repairs of WeasyPrint's tag tree that PDF/UA-1 needs, made on the written PDF with pikepdf.

- **Running headers, footers and page numbers become artifacts.** WeasyPrint marks the text of page
  margin boxes as tagged content (`/Span <</MCID n>> BDC`) but leaves their structure elements out of the
  tree (WeasyPrint issue #1836); PDF/UA-1 wants such content marked `/Artifact`. Every marked-content
  sequence whose structure element the tree does not reach becomes `/Artifact <</Type /Pagination>>`,
  and its entry in the parent tree is cleared.
- **Link annotations belong to Link elements.** For a link around a <span>, WeasyPrint puts the
  annotation's reference in the Span; it moves to the Link element around it.
- **Links are described by their text.** WeasyPrint puts the link's target in /Contents; PDF/UA-1
  wants a description there, so it gets the link's visible text.
- **Table header cells get a Scope.** WeasyPrint links each data cell to its headers with `/Headers`
  but gives `/TH` no `/Scope`. A header that data cells of its own row refer to is a row header
  (`/Row`), any other a column header (`/Column`); a header no cell refers to is a column header in the
  table head and a row header in the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Object

from rapportbok.pdf.pdftext import as_list, scan_page

# A marked-content sequence with an MCID: `/Span <</MCID 7>> BDC`. Text in WeasyPrint's streams is
# written as hex glyph strings, so the pattern cannot occur inside text.
MARKED_CONTENT = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
LEADER = re.compile(r"\.{3,}")


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every structure element the tree reaches, parents before children, in document order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = list(reversed(as_list(root.get("/K"))))
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary) or "/S" not in node:
            continue
        key = node.objgen
        if key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        yield node
        stack.extend(reversed(as_list(node.get("/K"))))


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, Object]:
    """The parent tree's entries by key (a flat /Nums array, as WeasyPrint writes it)."""
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


def _artifact_orphans(pdf: pikepdf.Pdf, reached: set[tuple[int, int]]) -> None:
    entries = parent_tree(pdf)
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        parents = entries.get(int(key)) if key is not None else None
        if not isinstance(parents, Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(parents)
            if isinstance(element, Dictionary) and element.objgen not in reached
        }
        if orphans:
            _mark_as_artifacts(page, orphans)
            for mcid in orphans:
                parents[mcid] = None


def _mark_as_artifacts(page: pikepdf.Page, mcids: set[int]) -> None:
    """Turn the marked-content sequences `mcids` of the page into pagination artifacts."""

    def replace(match: re.Match[bytes]) -> bytes:
        return ARTIFACT if int(match.group(1)) in mcids else match.group(0)

    contents = page.obj.Contents
    for stream in list(contents) if isinstance(contents, Array) else [contents]:
        data = stream.read_bytes()
        marked = MARKED_CONTENT.sub(replace, data)
        if marked != data:
            stream.write(marked)


def _table_attributes(element: Dictionary) -> Dictionary:
    """The element's attribute dictionary of owner /Table, created when missing."""
    attributes = element.get("/A")
    if isinstance(attributes, Dictionary):
        return attributes
    if isinstance(attributes, Array):
        for item in attributes:
            if isinstance(item, Dictionary) and item.get("/O") == Name.Table:
                return item
    element.A = Dictionary(O=Name.Table)
    return element.A


def _scope_headers(cells: list[Dictionary]) -> None:
    referring_rows: dict[bytes, set[tuple[int, int]]] = {}
    headers = []
    for cell in cells:
        if cell.S == Name.TH:
            headers.append(cell)
            continue
        attributes = cell.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            row = cell.get("/P")
            for header in attributes.Headers:
                referring_rows.setdefault(bytes(header), set()).add(row.objgen)
    for header in headers:
        row = header.get("/P")
        rows = referring_rows.get(bytes(header.get("/ID", b"")), set())
        if rows:
            scope = Name.Row if row.objgen in rows else Name.Column
        else:
            group = row.get("/P")
            scope = Name.Column if group is not None and group.get("/S") == Name.THead else Name.Row
        _table_attributes(header).Scope = scope


def _set_parent(pdf: pikepdf.Pdf, key: int, element: Dictionary) -> None:
    """Point the parent tree's entry `key` at `element`."""
    for node in _number_tree_leaves(pdf.Root.StructTreeRoot.ParentTree):
        nums = node.get("/Nums", Array())
        for index in range(0, len(nums) - 1, 2):
            if int(nums[index]) == key:
                nums[index + 1] = element
                return


def annotation_owner(entries: dict[int, Object], annotation: Dictionary) -> Dictionary | None:
    """The structure element the parent tree names for `annotation` (by its /StructParent), if any."""
    key = annotation.get("/StructParent")
    owner = entries.get(int(key)) if key is not None else None
    return owner if isinstance(owner, Dictionary) else None


def _link_ancestor(element: Dictionary) -> Dictionary | None:
    """The nearest Link element above `element`, if any."""
    link = element.get("/P")
    while isinstance(link, Dictionary) and link.get("/S") != Name.Link:
        link = link.get("/P")
    return link if isinstance(link, Dictionary) else None


def _refers_to(kid: Object, annotation: Dictionary) -> bool:
    """Whether `kid` is an object reference (OBJR) to `annotation`."""
    return (
        isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and kid.Obj.objgen == annotation.objgen
    )


def _move_reference(annotation: Dictionary, owner: Dictionary, link: Dictionary) -> None:
    """Move the references to `annotation` from `owner`'s kids to the end of `link`'s kids."""
    kids = as_list(owner.get("/K"))
    moved = [kid for kid in kids if _refers_to(kid, annotation)]
    owner.K = Array([kid for kid in kids if not any(kid.objgen == m.objgen for m in moved)])
    link.K = Array([*as_list(link.get("/K")), *moved])


def _links_in_link_elements(pdf: pikepdf.Pdf) -> None:
    """A link around a <span> gets its annotation reference in the Span element; PDF/UA-1 wants it in the
    Link element, so it moves to the nearest Link ancestor."""
    entries = parent_tree(pdf)
    for page in pdf.pages:
        for annotation in as_list(page.obj.get("/Annots")):
            owner = annotation_owner(entries, annotation)
            if owner is None or owner.get("/S") == Name.Link:
                continue
            link = _link_ancestor(owner)
            if link is None:
                continue
            _move_reference(annotation, owner, link)
            _set_parent(pdf, int(annotation.StructParent), link)


def _describe_links(pdf: pikepdf.Pdf) -> None:
    """Give each link annotation its visible text as description (/Contents), as PDF/UA-1 asks;
    WeasyPrint writes the link's target (an anchor name or URL) there."""
    entries = parent_tree(pdf)
    for page in pdf.pages:
        links = [a for a in as_list(page.obj.get("/Annots")) if a.get("/Subtype") == Name.Link]
        if not links:
            continue
        texts = scan_page(page).texts
        for annotation in links:
            owner = annotation_owner(entries, annotation)
            if owner is None:
                continue
            while owner.get("/P") is not None and owner.P.get("/S") == Name.Link:
                owner = owner.P  # the leader and page number of a contents line are links inside the link
            text = " ".join(texts.get(mcid, "") for mcid in _mcids(owner))  # lines and spans: one text each
            text = " ".join(LEADER.sub(" ", text).split())  # "Ekonomi ....... 12" → "Ekonomi 12"
            if text:
                annotation.Contents = pikepdf.String(text)


def _mcids(element: Dictionary) -> list[int]:
    """The MCIDs of an element and its descendants on the element's page, in order."""
    found = []
    for kid in as_list(element.get("/K")):
        if isinstance(kid, int):
            found.append(kid)
        elif isinstance(kid, Dictionary) and "/S" in kid:
            found.extend(_mcids(kid))
    return found


def retag(pdf: pikepdf.Pdf) -> None:
    """Apply the repairs to an open PDF (see the module docstring)."""
    if "/StructTreeRoot" not in pdf.Root:
        return
    reached, cells = set(), []
    for element in struct_elements(pdf):
        reached.add(element.objgen)
        if element.S in (Name.TD, Name.TH):
            cells.append(element)
    _artifact_orphans(pdf, reached)
    _scope_headers(cells)
    _links_in_link_elements(pdf)
    _describe_links(pdf)
