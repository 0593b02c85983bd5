"""Building a small district through the API, as a district admin would, for the orgtree tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from shared.db.engine import make_engine
from shared.privacy import id_card_check_digit
from shared.settings import Settings
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


def id_card(serial: int, born: str = "19800101", region: str = "330303") -> str:
    """A resident ID number with a correct GB 11643 check character (odd serial: male)."""
    first17 = f"{region}{born}{serial % 1000:03d}"
    return first17 + id_card_check_digit(first17)


def mobile(serial: int) -> str:
    return f"138{serial:08d}"


@dataclass
class Api:
    client: AsyncTestClient
    headers: dict[str, str]

    async def call(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = await self.client.request(method, f"/api/orgtree{path}", headers=self.headers, **kwargs)
        assert response.status_code == expect, response.text
        return response.json() if response.content else None

    async def post(self, path: str, body: dict[str, Any], expect: int = 201) -> Any:
        return await self.call("POST", path, expect, json=body)

    async def get(self, path: str, expect: int = 200, **params: Any) -> Any:
        return await self.call("GET", path, expect, params=params)

    async def unit(self, parent: dict[str, Any], level: str, name: str, **extra: Any) -> dict[str, Any]:
        return await self.post("/nodes", {"parentId": parent["id"], "level": level, "name": name, **extra})


@dataclass
class Slice:
    """One street of a rural district: two villages, three grids, the party units that serve them."""

    admin: Api
    root: dict[str, Any]
    party_root: dict[str, Any]
    street: dict[str, Any]
    other_street: dict[str, Any]
    village: dict[str, Any]
    village2: dict[str, Any]
    grid: dict[str, Any]
    grid2: dict[str, Any]
    far_grid: dict[str, Any]  # in the other street
    committee: dict[str, Any]
    branch: dict[str, Any]  # the village's branch, linked to the village
    organ_branch: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)

    async def member(self, serial: int, grid: dict[str, Any] | str | None = "default", **extra: Any) -> dict[str, Any]:
        """A member of the village branch, in ``grid`` (default: the first grid; None: no grid)."""
        grid_id = self.grid["id"] if grid == "default" else grid["id"] if isinstance(grid, dict) else None
        body = {
            "name": f"党员{serial}",
            "branchId": self.branch["id"],
            "idCard": id_card(serial),
            "phone": mobile(serial),
            "gridId": grid_id,
            **extra,
        }
        created: dict[str, Any] = await self.admin.post("/members", body)
        self.members.append(created)
        return created

    async def household(self, label: str, grid: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        body = {"gridId": (grid or self.grid)["id"], "label": label, **extra}
        household: dict[str, Any] = await self.admin.post("/households", body)
        return household


async def build_slice(client: AsyncTestClient, issuer: TestIssuer, district: District) -> Slice:
    admin = Api(client, bearer(issuer, district.id, ["district_admin"]))
    roots = {n["tree"]: n for n in (await admin.get("/nodes"))["items"]}
    street = await admin.unit(roots["administrative"], "street", "瑶溪街道")
    other = await admin.unit(roots["administrative"], "street", "永中街道")
    village = await admin.unit(street, "village", "上河村")
    village2 = await admin.unit(street, "village", "下河村")
    other_village = await admin.unit(other, "community", "永中社区")
    committee = await admin.unit(roots["party"], "street_working_committee", "瑶溪街道党工委")
    branch = await admin.unit(committee, "branch", "上河村党支部", linkedNodeId=village["id"])
    organ = await admin.unit(committee, "street_organ_branch", "瑶溪街道机关支部")
    grid = await admin.unit(village, "grid", "上河一组网格", formationBasis="production_team")
    grid2 = await admin.unit(village, "grid", "上河二组网格")
    far_grid = await admin.unit(other_village, "grid", "永中一网格")
    return Slice(
        admin,
        roots["administrative"],
        roots["party"],
        street,
        other,
        village,
        village2,
        grid,
        grid2,
        far_grid,
        committee,
        branch,
        organ,
    )


async def outbox(settings: Settings, tenant: uuid.UUID, event: str) -> list[dict[str, Any]]:
    """Payloads of one event type in the district's outbox, oldest first (read with the system role)."""
    engine = make_engine(settings, "orgtree", "system")
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT payload FROM outbox_message WHERE tenant_id = :t AND event = :e ORDER BY id"),
                {"t": tenant, "e": event},
            )
            return [dict(row[0]) for row in rows]
    finally:
        await engine.dispose()
