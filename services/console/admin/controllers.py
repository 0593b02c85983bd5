"""(area being built: issue 15)"""

from __future__ import annotations

from litestar import Controller

from services.console.web import NavEntry

CONTROLLERS: list[type[Controller]] = []
NAV: list[NavEntry] = []
