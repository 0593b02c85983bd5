"""Small real files with Chinese text for the extraction tests: a PDF, a Word file, a workbook, a PNG."""

from __future__ import annotations

import io

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Adobe's predefined Chinese font (UniGB-UCS2-H: UTF-16 codes)."""
    content = f"BT /F1 24 Tf 50 700 Td <{text.encode('utf-16-be').hex().upper()}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx(paragraph: str, cell: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(paragraph)
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(cell: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "序号"
    sheet["C4"] = cell
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def png(*lines: str, size: int = 24) -> bytes:
    """``lines`` in clear black characters on white, laid out like a small form: what a scan comes down to."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, size)
    width = max(round(font.getlength(line)) for line in lines) + 4 * size
    image = Image.new("L", (width, (2 * len(lines) + 2) * size), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((2 * size, (2 * n + 1) * size), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
