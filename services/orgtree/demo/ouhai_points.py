"""Ouhai's "71" network [004]: the certified 7171 points of its Four-Harmony Courtyards and a "71" party-mass
service centre in every street and community. The seed names no point or centre: every such name carries
「（示例）」. (The Red Flag structure of seed 003, staffing, brands and titles, lives in XX区: ``xx.py``.)"""

from __future__ import annotations

from datetime import date

from services.orgtree.demo.builder import SYNTHETIC, DemoBuilder
from services.orgtree.models import OrgNode

POINT_KINDS = ("家政服务点", "便民超市", "水电煤气代缴点")  # the trades of the 7171 network [004]


def ouhai_points(b: DemoBuilder, streets: list[OrgNode], villages: list[tuple[OrgNode, OrgNode]]) -> None:
    for number, (village, _branch) in enumerate(villages):
        short = village.name.removesuffix(SYNTHETIC)
        for k, trade in enumerate(POINT_KINDS[:2]):
            b.venue(
                village,
                "point_7171",
                f"{short}四和院7171{trade}{SYNTHETIC}",
                opening_hours="8:00-20:00",
                certified_on=date(2014, 3 + (number + k) % 9, 15),
            )
        if village.level == "community":
            b.venue(village, "centre_71", f"{short}“71”党群服务中心{SYNTHETIC}", item_count=12 + number % 9)
    for street in streets:
        short = street.name.removesuffix(SYNTHETIC)
        b.venue(street, "centre_71", f"{short}“71”党群服务中心{SYNTHETIC}", item_count=30 + len(short))
