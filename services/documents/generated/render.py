"""A template's layout and a document's facts to PDF (reportlab), in the district's CJK font, registered once per
process and embedded as a subset: a PDF that relies on the reader having the font shows boxes.

The font is a setting (``pdf_font_path``, ``pdf_font_index`` for a TrueType collection); without the file the
worker refuses to start (``require_font``) rather than render unreadable documents.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.documents.generated.layout import Layout, fill
from services.documents.settings import DocumentsProcessSettings, get_documents_settings

FONT = "RedcellCJK"
_lock = threading.Lock()  # registration once; reportlab's per-document font subsets are not thread-safe


class FontMissingError(RuntimeError):
    """The configured CJK font cannot be read: generated documents cannot be rendered."""


def require_font(settings: DocumentsProcessSettings | None = None) -> str:
    """Register the configured font once (FontMissingError, naming the setting, when it cannot be read); its name."""
    with _lock:
        return _register(settings or get_documents_settings())


def _register(settings: DocumentsProcessSettings) -> str:
    path = Path(settings.pdf_font_path)
    if not path.is_file():
        msg = (
            f"the CJK font for generated PDFs is missing: {path} "
            "(set REDCELL_DOCUMENTS__PDF_FONT_PATH, or install fonts-wqy-microhei)"
        )
        raise FontMissingError(msg)
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    try:
        font = TTFont(FONT, str(path), subfontIndex=settings.pdf_font_index)
    except Exception as exc:  # reportlab raises its own TTFError and plain errors alike
        msg = f"the CJK font for generated PDFs cannot be read: {path} index {settings.pdf_font_index}: {exc}"
        raise FontMissingError(msg) from exc
    pdfmetrics.registerFont(font)  # reportlab always embeds TrueType as subsets, with a ToUnicode map
    return FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=0)
    return {
        "heading": ParagraphStyle("heading", parent=body, fontSize=22, leading=30, alignment=TA_CENTER),
        "subheading": ParagraphStyle("subheading", parent=body, alignment=TA_CENTER, spaceAfter=6 * mm),
        "body": ParagraphStyle("paragraph", parent=body, spaceAfter=3 * mm),
        "cell": ParagraphStyle("cell", parent=body, leading=16),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def _story(layout: Layout, facts: Mapping[str, str], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    def text(pattern: str, style: str) -> Paragraph:
        return Paragraph(escape(fill(pattern, facts)), styles[style])

    story: list[Flowable] = [text(layout.heading, "heading"), Spacer(1, 4 * mm)]
    if layout.subheading:
        story.append(text(layout.subheading, "subheading"))
    story.extend(text(paragraph, "body") for paragraph in layout.paragraphs)
    if layout.table:
        rows = [[text(row.label, "cell"), text(row.value, "cell")] for row in layout.table]
        table = Table(rows, colWidths=[45 * mm, 115 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),  # the table's own default: Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ]
            )
        )
        story.extend([Spacer(1, 4 * mm), table])
    story.append(Spacer(1, 16 * mm))
    if layout.signature:
        story.append(text(layout.signature, "right"))
    if layout.date_line:
        story.append(text(layout.date_line, "right"))
    return story


def render_pdf(layout: Layout, facts: Mapping[str, str], *, title: str) -> bytes:
    """The PDF of ``layout`` filled from ``facts`` (blocking, CPU-bound: run it in a thread)."""
    with _lock:
        font = _register(get_documents_settings())
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=title,
            author="Redcell",
            initialFontName=font,  # else the canvas starts in Helvetica, a font the PDF would name but not embed
            initialFontSize=12,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=25 * mm,
            bottomMargin=25 * mm,
        )
        document.build(_story(layout, facts, _styles(font)))
        return buffer.getvalue()
