"""Text of an image by OCR (DOC-07): Tesseract with its simplified-Chinese model, run as a command.

The image goes to a temporary file and ``tesseract <file> stdout -l chi_sim+eng`` prints its text; the command,
languages and time limit are settings (``REDCELL_DOCUMENTS__TESSERACT_COMMAND`` ...). The Debian packages
``tesseract-ocr`` and ``tesseract-ocr-chi-sim`` provide it (deploy/system_packages.py, deploy/Dockerfile).
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile

from services.documents.settings import get_documents_settings

SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif", "image/webp": ".webp", "image/bmp": ".bmp"}


class OcrError(RuntimeError):
    """Tesseract is missing, failed on the image, or ran past its time limit."""


def _tesseract(path: str, *options: str) -> str:
    settings = get_documents_settings()
    command = [settings.tesseract_command, path, "stdout", "-l", settings.ocr_languages, *options]
    try:
        done = subprocess.run(command, capture_output=True, timeout=settings.ocr_timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrError(str(exc)) from exc
    if done.returncode != 0:
        raise OcrError(done.stderr.decode(errors="replace").strip()[-500:])
    return done.stdout.decode(errors="replace")


def _run(data: bytes, suffix: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=suffix) as image:
        image.write(data)
        image.flush()
        text = _tesseract(image.name)
        if not any(ch.isalnum() for ch in text):
            # the page layout analysis finds nothing on a photo of one line (a sign, a banner): read it as a block
            text = _tesseract(image.name, "--psm", "6")
    return text


async def image_text(data: bytes, content_type: str) -> str:
    """The image's text; OCR takes seconds of CPU, so it runs in a thread beside the event loop."""
    return await asyncio.to_thread(_run, data, SUFFIXES.get(content_type, ".img"))
