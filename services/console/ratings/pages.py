"""What every 星级评定 page shares: its home, and ``page()`` with the codes in words and the stars drawn."""

from __future__ import annotations

from typing import Any

from litestar.response import Template

from services.console.ratings.labels import KINDS, STATES
from services.console.web import AnyRequest, page

HOME = "/console/ratings"


def stars(level: int) -> str:
    return "★" * level + "☆" * (5 - level)


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    """``page()`` with the codes in words and the stars every ratings page draws."""
    return page(request, template, status_code, kinds=KINDS, states=STATES, stars=stars, **context)
