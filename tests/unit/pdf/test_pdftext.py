"""Reading text back from a PDF's content: the ToUnicode maps of its fonts."""

from __future__ import annotations

from rapportbok.pdf.pdftext import to_unicode

CMAP = b"""/CIDInit /ProcSet findresource begin
2 beginbfchar
<0003> <0020>
<127f> <00660069>
endbfchar
2 beginbfrange
<0024> <0026> <0041>
<00a6> <00a7> [<00e4> <00e5>]
endbfrange
endcmap"""


def test_single_codes_ranges_and_ligatures_are_read() -> None:
    """bfchar (with a ligature 'fi'), a bfrange by offset and a bfrange by list."""
    mapping = to_unicode(CMAP)
    assert mapping[b"\x00\x03"] == " " and mapping[b"\x12\x7f"] == "fi"
    assert [mapping[bytes([0, code])] for code in (0x24, 0x25, 0x26)] == ["A", "B", "C"]
    assert mapping[b"\x00\xa6"] == "ä" and mapping[b"\x00\xa7"] == "å"
