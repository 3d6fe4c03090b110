"""Image files the book shows (a logo, an image in a text): read safely, decoded, verified.

`check` and the build call the same `read_image`, so an image `check` accepts is one the build can draw:
a PNG or JPEG that Pillow decodes in full and whose size is sane, or an SVG that parses as XML without a
DOCTYPE or entities and refers to nothing outside itself (no script, no foreignObject, no event
handlers, no `href` or `url()` but `#…` and `data:image/…`, no `@import`). The build embeds the bytes as
a `data:` URL, so neither the site nor the PDF ever fetches an image.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapportbok.data.files import RefusedFile, read_bytes
from rapportbok.exceptions import Problem

MAX_IMAGE_BYTES = 2 * 2**20  # an image in a report, not a photo archive: the book embeds it whole
MAX_SIDE = 10_000  # pixels per side
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
RASTER = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}
SVG_ALLOWED = "en SVG utan skript, DOCTYPE, @import eller hänvisningar till andra filer eller adresser"
REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video"}
EMBEDDED = re.compile(r"\s*data:image/(png|jpeg|gif);base64,([A-Za-z0-9+/=\s]*)\Z", re.I)
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]*)", re.I)


@dataclass(frozen=True)
class Image:
    """A verified image: its format (png, jpeg, svg), bytes and pixel size (None for an SVG)."""

    kind: str
    content: bytes
    size: tuple[int, int] | None

    @property
    def data_url(self) -> str:
        """The image as a `data:` URL: shown on the site and in the PDF without any fetch."""
        return f"data:{MEDIA_TYPES[self.kind]};base64,{base64.b64encode(self.content).decode('ascii')}"


def image_kind(name: str) -> str | None:
    """The format a file name promises (png, jpg, jpeg, svg), or None."""
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return kind if kind in MEDIA_TYPES else None


def read_image(path: Path, shown_as: str, *, within: Path, limit: int = MAX_IMAGE_BYTES) -> Image:
    """The image at `path` (a regular file below `within`, reached without links), decoded and verified;
    raise RefusedFile with a Swedish, located reason otherwise."""
    kind = image_kind(path.name)
    if kind is None:
        raise RefusedFile(
            Problem(
                shown_as,
                "är ingen bildfil",
                allowed="en PNG-, JPEG- eller SVG-fil (.png, .jpg, .jpeg, .svg)",
                code="image.not_image",
            )
        )
    content = read_bytes(path, shown_as, limit, within=within)
    reason = svg_problem(content) if kind == "svg" else _raster_problem(content, RASTER[kind])
    if reason:
        raise RefusedFile(
            Problem(
                shown_as,
                f"är ingen giltig {kind}-fil: {reason}",
                allowed=_allowed(kind),
                code="image.invalid",
            )
        )
    return Image("jpeg" if kind == "jpg" else kind, content, None if kind == "svg" else _size(content))


def _allowed(kind: str) -> str:
    return SVG_ALLOWED if kind == "svg" else f"spara bilden på nytt som {kind.upper()}"


def _size(content: bytes) -> tuple[int, int]:
    from PIL import Image as Pillow

    with Pillow.open(io.BytesIO(content)) as image:
        return image.size


def _raster_problem(content: bytes, expected: str) -> str | None:
    """Why Pillow cannot decode `content` in full as `expected`, in Swedish; None when it can."""
    from PIL import Image as Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(content), formats=[expected]) as image:
                width, height = image.size
                if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
                    return f"bilden är {width} × {height} bildpunkter (högst {MAX_SIDE} per sida)"
                image.load()  # the whole image, as Typst will decode it
    except (Pillow.DecompressionBombWarning, Pillow.DecompressionBombError):
        return "bilden är för stor"
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, struct.error…) for a broken file
        return "filen kan inte läsas som bild (trasig eller av annan typ)"
    return None


def svg_problem(content: bytes) -> str | None:
    """Why an SVG may not be drawn, in Swedish; None when it is a self-contained drawing."""
    from lxml import etree

    if re.search(rb"<!DOCTYPE|<!ENTITY", content, re.I):
        return "filen har en DOCTYPE eller ENTITY"
    if re.search(rb"<\?(?!xml[\s?])", content):
        return "filen har en processinstruktion (<?…?>)"
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return "filen är ingen välformad XML"
    name = etree.QName(root)
    if name.localname != "svg" or not str(name.namespace or "").startswith("http://www.w3.org/"):
        return "filen är ingen SVG-bild (rotelementet ska vara <svg> med SVG:s xmlns)"
    for element in root.iter():
        if reason := _element_problem(element):
            return reason
    return None


def _element_problem(element: Any) -> str | None:
    """Why one element of an SVG (an lxml element or processing instruction) may not be drawn."""
    from lxml import etree

    if not isinstance(element.tag, str):  # a processing instruction
        return "filen har en processinstruktion (<?…?>)"
    name = etree.QName(element).localname.lower()
    if name in REFUSED_ELEMENTS:
        return f"filen har ett <{etree.QName(element).localname}>-element"
    if name == "style" and (reason := _css_problem(element.text or "")):
        return reason
    for attribute, value in element.attrib.items():
        if reason := _attribute_problem(attribute, value):
            return reason
    return None


def _attribute_problem(attribute: str, value: str) -> str | None:
    """An event handler runs a script; a reference or style may only point inside the drawing."""
    from lxml import etree

    local = etree.QName(attribute).localname.lower()
    if local.startswith("on"):
        return f"filen har attributet {local}, som kör skript"
    if local in ("href", "src") and (reason := _reference_problem(value)):
        return reason
    return _css_problem(value)


def _css_problem(css: str) -> str | None:
    """@import and url() to anything but the drawing itself would make the renderer fetch a file."""
    if "@import" in css.lower():
        return "filen har @import i en stil"
    if "\\" in css:  # a CSS escape can spell @import or url( in other letters
        return "filen har ett bakåtsnedstreck (\\) i en stil"
    for target in CSS_URL.findall(css):
        if reason := _reference_problem(target):
            return f"{reason} i en stil"
    return None


def _reference_problem(target: str) -> str | None:
    """A reference inside an SVG may name a part of the drawing (`#…`) or hold a PNG, JPEG or GIF as a
    `data:` URL, which is decoded here as the renderer would; anything else would be fetched."""
    if target.strip().startswith("#"):
        return None
    embedded = EMBEDDED.match(target)
    if embedded is None:
        return f"filen hänvisar till {target[:60]!r}"
    try:
        content = base64.b64decode("".join(embedded.group(2).split()), validate=True)
    except binascii.Error:
        return "filen har en inbäddad bild som inte går att avkoda"
    reason = _raster_problem(content, embedded.group(1).upper())
    return f"filen har en inbäddad bild som inte går att rita ({reason})" if reason else None
