"""A report's figures in one shape for its three forms: the page's tables, the chart drawn from the first table, and
the .xlsx workbook (one sheet per table). Every word is already in the user's language when a table is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Cell = int | float | str | None
Say = Callable[[str], str]  # the catalogue's gettext


@dataclass(frozen=True)
class Line:
    """One row: what it is about (a unit, a person) and its figures, in the order of the table's headers."""

    name: str
    cells: tuple[Cell, ...]
    link: str | None = None  # the same report of that unit, for units one may go down into


@dataclass
class Table:
    title: str
    headers: tuple[str, ...]  # the first names the rows
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    charted: tuple[int, ...] = ()  # cells the chart draws, by position; none: a table only
    note: str = ""  # a caveat shown under the table (a list cut short)

    def chart(self) -> dict[str, Any]:
        """What reports.js draws: a bar per line and charted cell, or the total alone when there are no lines."""
        lines = self.lines or ([self.total] if self.total else [])
        return {
            "title": self.title,
            "categories": [line.name for line in lines],
            "series": [{"name": self.headers[i + 1], "data": [line.cells[i] for line in lines]} for i in self.charted],
        }


def shown(value: Cell) -> str:
    """A cell as the page writes it: a rate with one decimal, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
