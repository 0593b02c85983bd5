"""南湖区's 96345 demo (``make dev``, issue 16): once orgtree's events about its small tree have reached dispatch,
the loader registers vulnerable households with their volunteers and visits (one pairing missed a week, one
household waits for a volunteer), maps one-touch devices (an alarm with the development key opens an emergency
ticket offered to a volunteer who signs in), sets up 穆河社区's Red Cube with its translation service and a rota
with someone on duty now, and gives the volunteers their 96345 service cards (DSP-12). Loading again changes
nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.demo import OFFER_TAKERS, SYNTHETIC
from services.dispatch.demo.jiaxing import DEMO_KEY, GRID, NANHU
from services.dispatch.demo.loader import load_demo as load_dispatch_demo
from services.orgtree.demo.loader import load_demo as load_orgtree_demo
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, deliver
from tests.dispatch.test_demo import apply_grid_events, orgtree_ready, orgtree_rows
from tests.platform.tokens import TestIssuer

# The first test to ask for ``orgtree_demo`` loads the demo districts' trees (1-2 minutes) within its time.
pytestmark = pytest.mark.timeout(600)

__all__ = ["orgtree_ready"]  # the module fixture that migrates orgtree's database


def nanhu() -> dict[str, Any]:
    prefix, names = OFFER_TAKERS[NANHU]
    volunteers = [
        {"username": f"{prefix}-volunteer-{k}", "userId": str(uuid.uuid4()), "name": f"{name}{SYNTHETIC}"}
        for k, name in enumerate(names, start=1)
    ]
    return {"id": str(uuid.uuid4()), "slug": NANHU, "name": "南湖区", "volunteers": volunteers, "teams": []}


async def test_nanhu_shows_the_registry_devices_and_a_red_cube_on_duty(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, dispatch_db: AsyncEngine, orgtree_ready: None
) -> None:
    tenant = nanhu()
    tenant_id = uuid.UUID(tenant["id"])
    await load_orgtree_demo(settings, [tenant])
    first = await load_dispatch_demo(settings, [tenant])
    assert any("registry: no households here yet" in line for line in first), first
    [grid] = await orgtree_rows(
        settings, "SELECT id FROM org_node WHERE tenant_id = :t AND name = :n", t=tenant_id, n=GRID
    )
    assert await apply_grid_events(settings, tenant_id, str(grid.id)) > 0  # the registry's and the station's grid
    lines = await load_dispatch_demo(settings, [tenant])
    assert any("vulnerable registry: 4 households, 8 visits" in line for line in lines), lines
    district = District(tenant_id, dispatch_db)
    admin = bearer(issuer, tenant_id, ["district_admin"], user_id=uuid.uuid4())

    registry = (await client.get("/api/dispatch/vulnerable", headers=admin)).json()
    assert sorted(tuple(r["categories"]) for r in registry) == [
        ("disabled", "empty_nest"),
        ("empty_nest",),
        ("living_alone",),
        ("living_alone",),
    ]
    missed = (await client.get("/api/dispatch/vulnerable/missed", headers=admin)).json()
    assert (missed["registered"], missed["unpaired"]) == (4, 1)
    assert [(i["registration"]["volunteerId"] is None, i["periods"], i["missedPeriods"]) for i in missed["items"]] == [
        (True, 0, 0),
        (False, 3, 1),
    ]
    providers = (
        await client.get("/api/dispatch/providers", params={"kind": "member_volunteer"}, headers=admin)
    ).json()["items"]
    carded = [p for p in providers if p["cardNumber"]]
    assert len(carded) == 4
    assert all(p["insured"] and p["cardNumber"].startswith("JX96345-") for p in carded)

    devices = (await client.get("/api/dispatch/devices", headers=admin)).json()
    assert [(d["code"], d["householdId"] is not None) for d in devices] == [
        ("JX-YJT-0001", True),
        ("JX-YJT-0002", True),
        ("JX-YJT-0003", False),
    ]
    alarm = await client.post(
        f"/api/dispatch/public/{tenant_id}/device-alarms",
        json={"deviceCode": "JX-YJT-0001", "alarmId": "demo-1"},
        headers={"X-Device-Key": DEMO_KEY},
    )
    assert alarm.status_code == 201, alarm.text
    await deliver(district, "dispatch.TicketCreated", settings)
    offered = []
    for volunteer in tenant["volunteers"]:
        me = bearer(issuer, tenant_id, ["volunteer", "member"], user_id=uuid.UUID(volunteer["userId"]))
        offered += [o["ticketId"] for o in (await client.get("/api/dispatch/offers", headers=me)).json()]
    assert alarm.json()["ticketId"] in offered

    [station] = (await client.get("/api/dispatch/stations", headers=admin)).json()
    assert (station["unitName"], "翻译服务" in station["extraServices"]) == ("穆河社区", True)
    assert len(station["onDuty"]) == 1
    sign_ups = (await client.get(f"/api/dispatch/stations/{station['id']}/sign-ups", headers=admin)).json()
    assert [s["name"] for s in sign_ups] == ["钟" + "*" * len("晓燕（示例）")]  # masked as the API shows it

    again = await load_dispatch_demo(settings, [tenant])
    assert any("already loaded" in line and "vulnerable" in line for line in again), again
    assert len((await client.get("/api/dispatch/stations", headers=admin)).json()) == 1
