"""The 三率 chart's geometry, drawn by the template as inline SVG: no chart library, nothing from a CDN.

Horizontal bars, one group per unit (its three rates as 0–100 %), the best units first as the API orders them;
the table beside the chart carries every number, so the chart shows at most ``LIMIT`` units.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.console.supervision.rates import SERIES, Line, percent

LIMIT = 12
WIDTH = 500
LABEL_W = 140  # unit names on the left
PLOT_W = 300  # 100 %
TOP = 28  # room for the scale
BAR_H = 11
BAR_GAP = 3
GROUP_GAP = 16
NAME_CHARS = 10
COLOURS = {"responseRate": "#0b57d0", "resolutionRate": "#1a7f37", "satisfactionRate": "#8250df"}


@dataclass(frozen=True)
class Bar:
    series: str
    y: int
    width: float  # 0 for an unknown rate (its label says so)
    label: str
    colour: str

    @property
    def label_x(self) -> float:
        return LABEL_W + self.width + 5


@dataclass(frozen=True)
class Group:
    name: str
    name_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    groups: list[Group]
    ticks: list[Tick]
    height: int
    shown: int  # units drawn
    total: int  # units in the table
    width: int = WIDTH
    plot_x: int = LABEL_W
    plot_w: int = PLOT_W
    top: int = TOP
    bar_h: int = BAR_H


def short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def chart(lines: list[Line], unnamed: str) -> Chart:
    """``unnamed``: what a unit without a name is called (already translated)."""
    groups = []
    y = TOP
    for unit in lines[:LIMIT]:
        bars = []
        for index, series in enumerate(SERIES):
            rate = unit.rates[series]
            bars.append(
                Bar(
                    series=series,
                    y=y + index * (BAR_H + BAR_GAP),
                    width=round((rate or 0.0) * PLOT_W, 1),
                    label=percent(rate),
                    colour=COLOURS[series],
                )
            )
        group_h = len(SERIES) * (BAR_H + BAR_GAP) - BAR_GAP
        groups.append(Group(name=short(unit.name or unnamed), name_y=y + group_h // 2 + 5, bars=bars))
        y += group_h + GROUP_GAP
    ticks = [Tick(x=LABEL_W + PLOT_W * step / 4, label=f"{25 * step}%") for step in range(5)]
    return Chart(groups=groups, ticks=ticks, height=max(y, TOP + 20), shown=len(groups), total=len(lines))
