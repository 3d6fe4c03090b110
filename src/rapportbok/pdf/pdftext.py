"""One pass over a page's content stream: the text of each marked-content sequence (decoded through the
fonts' ToUnicode maps) and the painting operators that no marked content covers.

Enough of a PDF content interpreter to check tagging, not to render: it follows marked content
(BDC/BMC/EMC), the current font (Tf) and the text-showing and painting operators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, Object

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PAINTING = TEXT_SHOWING | {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


@dataclass
class PageScan:
    """What one page paints: text per MCID, and painting operators outside any marked content or
    inside marked content without an MCID that is not an artifact."""

    texts: dict[int, str] = field(default_factory=dict)
    painted_mcids: set[int] = field(default_factory=set)
    untagged: int = 0


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode("ascii")).decode("utf-16-be", errors="replace")


def to_unicode(cmap: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap (bfchar and bfrange sections) as code → text."""
    mapping: dict[bytes, str] = {}
    for section in BFCHAR.findall(cmap):
        codes = HEX.findall(section)
        for source, target in zip(codes[0::2], codes[1::2], strict=False):
            mapping[bytes.fromhex(source.decode("ascii"))] = _utf16(target)
    for section in BFRANGE.findall(cmap):
        for low, high, target in RANGE.findall(section):
            width, start, end = len(low) // 2, int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(HEX.findall(target)):
                    mapping[(start + offset).to_bytes(width, "big")] = _utf16(item)
            else:
                first = int(target[1:-1], 16)
                for offset in range(end - start + 1):
                    code = (start + offset).to_bytes(width, "big")
                    mapping[code] = chr(first + offset)
    return mapping


@cache
def _font_map(objgen: tuple[int, int], cmap: bytes) -> dict[bytes, str]:
    return to_unicode(cmap)


def _decoder(font: Object | None) -> tuple[int, dict[bytes, str]]:
    """Code width in bytes and the code → text map of a font resource."""
    if not isinstance(font, Dictionary):
        return 1, {}
    width = 2 if font.get("/Subtype") == Name.Type0 else 1
    stream = font.get("/ToUnicode")
    if stream is None:
        return width, {}
    return width, _font_map(stream.objgen, stream.read_bytes())


def _decode(data: bytes, width: int, mapping: dict[bytes, str]) -> str:
    return "".join(mapping.get(data[i : i + width], "") for i in range(0, len(data) - width + 1, width))


def _strings(operator: str, operands: list[Object]) -> list[bytes]:
    if operator == "TJ":
        return [bytes(item) for item in operands[0] if isinstance(item, pikepdf.String)]
    if operator in ("Tj", "'"):
        return [bytes(operands[0])]
    if operator == '"':
        return [bytes(operands[2])]
    return []


def _instructions(page: pikepdf.Page) -> Iterator[tuple[str, list[Object]]]:
    """(operator, operands) of each instruction of the page's content stream; an inline image is one."""
    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield "INLINE IMAGE", []
        else:
            yield str(instruction.operator), instruction.operands


def _mcid(properties: Object | None) -> int | None:
    """The MCID in a BDC's property list, if it has one."""
    return int(properties.MCID) if isinstance(properties, Dictionary) and "/MCID" in properties else None


@dataclass
class _PageScanner:
    """The state of one pass over a content stream: open marked content, current font, what was found."""

    fonts: Dictionary
    scan: PageScan = field(default_factory=PageScan)
    marks: list[tuple[str, int | None]] = field(default_factory=list)
    width: int = 1
    mapping: dict[bytes, str] = field(default_factory=dict)

    def step(self, operator: str, operands: list[Object]) -> None:
        """Follow one instruction: marked content, the font, or painting."""
        if operator == "BDC":
            self.marks.append((str(operands[0]), _mcid(operands[1] if len(operands) > 1 else None)))
        elif operator == "BMC":
            self.marks.append((str(operands[0]), None))
        elif operator == "EMC":
            if self.marks:
                self.marks.pop()
        elif operator == "Tf":
            self.width, self.mapping = _decoder(self.fonts.get(str(operands[0])))
        elif operator in PAINTING:
            self._paint(operator, operands)

    def _paint(self, operator: str, operands: list[Object]) -> None:
        """Count painting outside any MCID as untagged, and collect the text shown in each MCID;
        artifacts count as neither."""
        if any(tag == "/Artifact" for tag, _ in self.marks):
            return
        mcid = next((number for _, number in reversed(self.marks) if number is not None), None)
        if mcid is None:
            self.scan.untagged += 1
            return
        self.scan.painted_mcids.add(mcid)
        if operator in TEXT_SHOWING:
            text = "".join(_decode(data, self.width, self.mapping) for data in _strings(operator, operands))
            self.scan.texts[mcid] = self.scan.texts.get(mcid, "") + text


def scan_page(page: pikepdf.Page) -> PageScan:
    """Text per MCID and untagged painting of one page (form XObjects count as one Do)."""
    scanner = _PageScanner(page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary()))
    for operator, operands in _instructions(page):
        scanner.step(operator, operands)
    return scanner.scan


def as_list(value: Object | None) -> list[Object]:
    """A PDF value that may be one object or an array, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]
