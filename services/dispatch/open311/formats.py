"""GeoReport v2 documents in the two formats the specification gives, from one tree of dicts and lists.

JSON is the tree as it is. XML is UTF-8 with the declaration, the root element the specification names
(``<services>``, ``<service_requests>``, ``<errors>``, ``<service_definition>``, ``<discovery>``), a list's entries
under the singular the specification uses (``<attributes><attribute>``, ``<values><value>``), booleans as
``true``/``false`` and a missing value as an empty element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import msgspec
from litestar import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# what a list's entries are called in XML (the specification's examples)
ENTRY = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass(frozen=True)
class Document:
    """One answer: its XML root element and its content (a list under the root, or the root's fields)."""

    root: str
    content: list[dict[str, Any]] | dict[str, Any]


def split_format(resource: str) -> tuple[str, str | None]:
    """``services.json`` → (``services``, ``json``); an unknown or missing format is None."""
    name, dot, suffix = resource.rpartition(".")
    if not dot or suffix not in FORMATS:
        return resource, None
    return name, suffix


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        for entry in value:
            _fill(ET.SubElement(element, ENTRY.get(element.tag, "item")), entry)
    else:
        element.text = _text(value)


def to_xml(document: Document) -> bytes:
    root = ET.Element(document.root)
    _fill(root, document.content)
    ET.indent(root)
    return (DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode()


def render(
    document: Document, fmt: str, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    body = msgspec.json.encode(document.content) if fmt == "json" else to_xml(document)
    return Response(body, status_code=status_code, media_type=FORMATS[fmt], headers=headers)


class Refusal(Exception):  # noqa: N818 - an answer, not a fault
    """A GeoReport error answer: the HTTP status (each error's ``code``) and each error's description."""

    def __init__(self, status: int, descriptions: tuple[str, ...], retry_after_s: int | None = None) -> None:
        super().__init__(f"{status}: {'; '.join(descriptions)}")
        self.status = status
        self.descriptions = descriptions
        self.retry_after_s = retry_after_s

    def document(self) -> Document:
        return Document("errors", [{"code": self.status, "description": d} for d in self.descriptions])


def refused(status: int, *descriptions: str, retry_after_s: int | None = None) -> Refusal:
    return Refusal(status, descriptions, retry_after_s)
