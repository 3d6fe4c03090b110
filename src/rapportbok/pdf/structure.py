"""The machine-checkable conditions of PDF/UA-1 (ISO 14289-1) that a written PDF can be tested for with
pikepdf, without veraPDF:

| rule           | condition                                                                         |
|----------------|-----------------------------------------------------------------------------------|
| `struktur`     | a structure tree, and MarkInfo /Marked true                                       |
| `pdfua`        | the XMP metadata names PDF/UA part 1 (pdfuaid:part)                               |
| `sprak`        | the catalog has a document language (/Lang)                                      |
| `titel`        | a title in the document info and in XMP dc:title, shown (DisplayDocTitle true)   |
| `artefakt`     | all painted content is either an artifact or tagged content the tree reaches     |
|                | (running headers, footers and page numbers are artifacts)                        |
| `figur`        | every Figure has a non-empty alternate text (/Alt)                               |
| `tabellhuvud`  | every TH has a /Scope (Row, Column or Both)                                      |
| `lank`         | every link annotation belongs to a Link structure element and has a description |
| `flikordning`  | every page with annotations has tab order /S (structure)                         |
| `rubriker`     | headings start at H1 and never skip a level                                      |
| `bokmarken`    | the outline lists the headings of the first BOOKMARK_LEVELS levels: same texts,  |
|                | same order, same nesting                                                         |

Not checkable here, and not checked: whether alternate texts and headings are *meaningful*, the
logical reading order against the visual one, colour contrast, and the rest of the Matterhorn Protocol
that needs a human or veraPDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

from rapportbok.pdf.document import BOOKMARK_LEVELS
from rapportbok.pdf.pdftext import as_list, scan_page
from rapportbok.pdf.tagtree import annotation_owner, parent_tree

HEADINGS = {f"/H{level}": level for level in range(1, 7)}
SCOPES = {Name.Row, Name.Column, Name.Both}
PageKey = tuple[int, int]


@dataclass(frozen=True)
class UaProblem:
    """A PDF/UA-1 condition the file does not meet."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass
class _Node:
    """A structure element reached from the tree, with its page and its own marked content."""

    element: Dictionary
    kind: str
    page: PageKey | None
    mcids: list[tuple[PageKey, int]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def content(self) -> list[tuple[PageKey, int]]:
        """The marked content of this element and its descendants, in tree order."""
        found, stack = [], [self]
        while stack:
            node = stack.pop()
            found.extend(node.mcids)
            stack.extend(reversed(node.children))
        return found


def _page_key(item: Dictionary, page: PageKey | None) -> PageKey | None:
    """The page `item` names with /Pg, else `page` (the page it inherits from its parent)."""
    own_page = item.get("/Pg")
    return own_page.objgen if own_page is not None else page


def _is_content(item: object) -> bool:
    """Whether a kid is marked content: an MCID, or a marked-content reference (MCR)."""
    return isinstance(item, int) or (isinstance(item, Dictionary) and item.get("/Type") == Name.MCR)


def _content(item: object, page: PageKey | None) -> tuple[PageKey, int] | None:
    """(page, MCID) of a marked-content kid; None when no page is known for it."""
    if isinstance(item, int):
        return (page, item) if page is not None else None
    mcr_page = _page_key(item, page)
    return (mcr_page, int(item.MCID)) if mcr_page is not None else None


def _first_visit(item: object, seen: set[tuple[int, int]]) -> bool:
    """Whether `item` is a structure element (it has a role, /S) not reached before; a direct object
    (objgen (0, 0)) cannot be reached twice. An object reference (OBJR) has no role."""
    if not isinstance(item, Dictionary) or "/S" not in item:
        return False
    if item.objgen == (0, 0):
        return True
    if item.objgen in seen:
        return False
    seen.add(item.objgen)
    return True


def _tree(pdf: pikepdf.Pdf) -> list[_Node]:
    """Every element the structure tree reaches, in document order (pre-order), with its MCIDs."""
    root = pdf.Root.StructTreeRoot
    nodes: list[_Node] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, PageKey | None, _Node | None]] = [
        (kid, None, None) for kid in reversed(as_list(root.get("/K")))
    ]
    while stack:
        item, page, parent = stack.pop()
        if parent is not None and _is_content(item):
            content = _content(item, page)
            if content is not None:
                parent.mcids.append(content)
            continue
        if not _first_visit(item, seen):
            continue
        node = _Node(item, str(item.S), _page_key(item, page))
        nodes.append(node)
        if parent is not None:
            parent.children.append(node)
        stack.extend((kid, node.page, node) for kid in reversed(as_list(item.get("/K"))))
    return nodes


def _text(node: _Node, texts: dict[PageKey, dict[int, str]]) -> str:
    return "".join(texts.get(page, {}).get(mcid, "") for page, mcid in node.content())


def _squeezed(text: str) -> str:
    """Text without white space: a wrapped heading loses the space at its line break in the PDF."""
    return "".join(str(text).split())


def _outline(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, depth 1 at the top, in order."""
    entries: list[tuple[int, str]] = []
    outlines = pdf.Root.get("/Outlines")
    stack = [(outlines.get("/First"), 1)] if outlines is not None else []
    while stack:
        item, depth = stack.pop()
        if item is None:
            continue
        entries.append((depth, str(item.get("/Title", ""))))
        stack.append((item.get("/Next"), depth))
        stack.append((item.get("/First"), depth + 1))
    return entries


def _metadata_problems(pdf: pikepdf.Pdf) -> list[UaProblem]:
    problems = []
    root = pdf.Root
    marked = root.get("/MarkInfo", Dictionary()).get("/Marked")
    if marked is not True:
        problems.append(UaProblem("struktur", "MarkInfo /Marked saknas eller är inte true."))
    if not str(root.get("/Lang", "")).strip():
        problems.append(UaProblem("sprak", "Dokumentets språk (/Lang) saknas."))
    metadata = pdf.open_metadata()
    if str(metadata.get("pdfuaid:part", "")) != "1":
        problems.append(UaProblem("pdfua", "XMP-metadata anger inte PDF/UA-1 (pdfuaid:part = 1)."))
    info_title = str(pdf.docinfo.get("/Title", "")).strip()
    if not info_title or not str(metadata.get("dc:title", "")).strip():
        problems.append(UaProblem("titel", "Titel saknas i dokumentinformationen eller i XMP (dc:title)."))
    display = root.get("/ViewerPreferences", Dictionary()).get("/DisplayDocTitle")
    if display is not True:
        problems.append(UaProblem("titel", "ViewerPreferences /DisplayDocTitle är inte true."))
    return problems


def _content_problems(
    pdf: pikepdf.Pdf, nodes: list[_Node], texts: dict[PageKey, dict[int, str]]
) -> list[UaProblem]:
    problems = []
    tagged = {mcid for node in nodes for mcid in node.mcids}
    for number, page in enumerate(pdf.pages, start=1):
        scan = scan_page(page)
        texts[page.obj.objgen] = scan.texts
        loose = sorted(m for m in scan.painted_mcids if (page.obj.objgen, m) not in tagged)
        if scan.untagged or loose:
            sample = "".join(scan.texts.get(m, "") for m in loose)[:60]
            problems.append(
                UaProblem(
                    "artefakt",
                    f"Sida {number}: {scan.untagged + len(loose)} innehållsdelar är varken artefakt eller "
                    f"taggade i strukturträdet{f' (t.ex. {sample!r})' if sample else ''}.",
                )
            )
    return problems


def _figure_problems(nodes: list[_Node]) -> list[UaProblem]:
    """`figur`: every Figure has a non-empty /Alt."""
    figures = [node for node in nodes if node.kind == "/Figure"]
    missing_alt = [node for node in figures if not str(node.element.get("/Alt", "")).strip()]
    if not missing_alt:
        return []
    return [UaProblem("figur", f"{len(missing_alt)} av {len(figures)} figurer saknar /Alt.")]


def _header_problems(nodes: list[_Node]) -> list[UaProblem]:
    """`tabellhuvud`: every TH has a /Scope."""
    headers = [node for node in nodes if node.kind == "/TH"]
    without_scope = [node for node in headers if _scope(node.element) not in SCOPES]
    if not without_scope:
        return []
    message = f"{len(without_scope)} av {len(headers)} rubrikceller (TH) saknar /Scope."
    return [UaProblem("tabellhuvud", message)]


def _link_problems(
    number: int, annotation: Dictionary, entries: dict[int, pikepdf.Object], links: set[tuple[int, int]]
) -> list[UaProblem]:
    """`lank`: the link annotation on page `number` belongs to a Link element and has a description."""
    problems = []
    owner = annotation_owner(entries, annotation)
    if owner is None or owner.objgen not in links:
        problems.append(UaProblem("lank", f"Sida {number}: en länk ligger inte i ett Link-element."))
    description = str(annotation.get("/Contents", "")).strip()
    if not description or description == str(annotation.get("/Dest", "")):
        problems.append(UaProblem("lank", f"Sida {number}: en länk saknar beskrivning (/Contents)."))
    return problems


def _annotation_problems(pdf: pikepdf.Pdf, nodes: list[_Node]) -> list[UaProblem]:
    """`flikordning` and `lank`, page by page."""
    problems = []
    links = {node.element.objgen for node in nodes if node.kind == "/Link"}
    entries = parent_tree(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        annotations = as_list(page.obj.get("/Annots"))
        if annotations and page.obj.get("/Tabs") != Name.S:
            problems.append(UaProblem("flikordning", f"Sida {number} har annoteringar men inte /Tabs /S."))
        for annotation in annotations:
            if annotation.get("/Subtype") == Name.Link:
                problems.extend(_link_problems(number, annotation, entries, links))
    return problems


def _element_problems(pdf: pikepdf.Pdf, nodes: list[_Node]) -> list[UaProblem]:
    """`figur`, `tabellhuvud`, then `flikordning` and `lank`."""
    return [*_figure_problems(nodes), *_header_problems(nodes), *_annotation_problems(pdf, nodes)]


def _scope(element: Dictionary) -> object:
    for attributes in as_list(element.get("/A")):
        if isinstance(attributes, Dictionary) and "/Scope" in attributes:
            return attributes.Scope
    return None


def _heading_problems(
    pdf: pikepdf.Pdf, nodes: list[_Node], texts: dict[PageKey, dict[int, str]]
) -> list[UaProblem]:
    problems = []
    headings = [(HEADINGS[node.kind], _text(node, texts)) for node in nodes if node.kind in HEADINGS]
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(
                UaProblem("rubriker", f"Rubriken {text!r} (H{level}) hoppar över en nivå efter H{previous}.")
            )
        previous = level
    wanted = [(level, _squeezed(text)) for level, text in headings if level <= BOOKMARK_LEVELS]
    found = [(depth, _squeezed(title)) for depth, title in _outline(pdf)]
    if found != wanted:
        mismatch = next(
            (i for i, pair in enumerate(zip(found, wanted, strict=False)) if pair[0] != pair[1]),
            min(len(found), len(wanted)),
        )
        show = found[mismatch] if mismatch < len(found) else "(inget bokmärke)"
        expected = wanted[mismatch] if mismatch < len(wanted) else "(ingen rubrik)"
        problems.append(
            UaProblem(
                "bokmarken",
                f"Bokmärkena ({len(found)}) stämmer inte med rubrikerna H1–H{BOOKMARK_LEVELS} "
                f"({len(wanted)}): nr {mismatch + 1} är {show}, rubriken är {expected}.",
            )
        )
    return problems


def check_open_pdf(pdf: pikepdf.Pdf) -> list[UaProblem]:
    """Every PDF/UA-1 condition of the module docstring that `pdf` does not meet; empty when all hold."""
    if "/StructTreeRoot" not in pdf.Root:
        return [UaProblem("struktur", "PDF:en saknar strukturträd (taggar).")]
    nodes = _tree(pdf)
    texts: dict[PageKey, dict[int, str]] = {}
    return [
        *_metadata_problems(pdf),
        *_content_problems(pdf, nodes, texts),
        *_element_problems(pdf, nodes),
        *_heading_problems(pdf, nodes, texts),
    ]


def tagged_texts(path: Path, kinds: set[str]) -> list[str]:
    """The text of every structure element of `kinds` (e.g. {"/TD", "/P"}), descendants included, in
    document order: what assistive technology reads for that element."""
    with pikepdf.open(path) as pdf:
        nodes = _tree(pdf)
        texts = {page.obj.objgen: scan_page(page).texts for page in pdf.pages}
        return [_text(node, texts) for node in nodes if node.kind in kinds]


def check_pdf_ua(path: Path) -> list[UaProblem]:
    """Check the PDF at `path`; see `check_open_pdf`."""
    with pikepdf.open(path) as pdf:
        return check_open_pdf(pdf)
