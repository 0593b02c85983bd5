"""The check-in screen's QR code, drawn on the server as inline SVG (segno): no image requests, no script, and
the page's poll swaps it like any other HTML."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """The QR code of ``url`` as an ``<svg>`` scaled by its viewBox (the page's CSS sets the size). Medium error
    correction: a projector's glare or a phone held at an angle still reads it."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="tr-qr-svg", lineclass=None, title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno
