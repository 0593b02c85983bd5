"""The demo districts' organisation trees, loaded once per test session (``orgtree_demo``): 龙湾区's alone takes most
of a minute, and orgtree's, dispatch's and the seeds' demo tests all read them. The districts come as the
gateway's loader hands them on (``redcell demo load``), their logins' ids made up here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from shared.settings import Settings

DEMO_DISTRICTS = (
    ("wenzhou-longwan", "龙湾区"),
    ("wenzhou-ouhai", "瓯海区"),
    ("huaining-county", "怀宁县"),
    ("xx-district", "XX区"),  # seed 003's Red Flag Communities: small, a second or so
)


@dataclass
class LoadedDemo:
    tenants: dict[str, dict[str, Any]]  # by slug, with what orgtree's loader recorded (volunteers' members, grids)
    lines: list[str]  # what the first load printed
    again: list[str]  # what loading again (make dev again) printed


def demo_district(slug: str, name: str) -> dict[str, Any]:
    """A new district with the logins the gateway's loader makes for it (gateway/demo.py)."""
    from gateway.demo import OFFER_TAKERS, SYNTHETIC, TEAMS

    district: dict[str, Any] = {"id": str(uuid.uuid4()), "slug": slug, "name": name}
    if slug in OFFER_TAKERS:
        prefix, names = OFFER_TAKERS[slug]
        district["volunteers"] = [
            {"username": f"{prefix}-volunteer-{k}", "userId": str(uuid.uuid4()), "name": f"{shown}{SYNTHETIC}"}
            for k, shown in enumerate(names, start=1)
        ]
        district["teams"] = [
            {"username": f"{prefix}-{code}", "userId": str(uuid.uuid4()), "name": team} for code, team in TEAMS
        ]
    return district


@pytest.fixture(scope="session")
async def orgtree_demo(settings: Settings) -> LoadedDemo:
    from services.orgtree.app import MIGRATIONS
    from services.orgtree.demo.loader import load_demo
    from tests.platform.plugin import prepare_database

    await prepare_database(settings, "orgtree", MIGRATIONS)
    districts = [demo_district(slug, name) for slug, name in DEMO_DISTRICTS]
    lines = await load_demo(settings, districts)
    again = await load_demo(settings, districts)
    return LoadedDemo({d["slug"]: d for d in districts}, lines, again)
