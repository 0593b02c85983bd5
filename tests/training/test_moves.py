"""Orgtree moves reach training (issue 17, item 5): a unit re-hung with its subtree is one ``orgtree.UnitMoved``;
training's copies of its paths follow (people's grid and branch paths, and the rows placed by them), so the new
unit's cadres find the people they now have and the old unit's no longer do; a replay changes nothing, and a move
in another district changes nothing here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

import services.training.people.actors
import services.training.people.moves  # noqa: F401 - registers the handlers on the consumer
from services.training.events import consumer
from shared.contracts.orgtree import MemberCreated, UnitMoved, UnitRef
from shared.settings import Settings
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer

PEOPLE = "/api/training/people"


def tree(district: District) -> dict[str, str]:
    """Paths of a small district: two streets with a village under the first, its grid; a committee, its branch."""
    r = f"/{district.id.hex[:8]}/"
    return {
        "root": r,
        "street": f"{r}s1000000/",
        "other_street": f"{r}s2000000/",
        "village": f"{r}s1000000/v1000000/",
        "grid": f"{r}s1000000/v1000000/g1000000/",
        "party": f"/{district.id.hex[8:16]}/",
        "committee": f"/{district.id.hex[8:16]}/c1000000/",
        "other_committee": f"/{district.id.hex[8:16]}/c2000000/",
        "branch": f"/{district.id.hex[8:16]}/c1000000/b1000000/",
    }


def moved(district: District, old_path: str, new_path: str) -> UnitMoved:
    """The event orgtree publishes for a move (ids and names are not what training keeps)."""
    return UnitMoved(
        tenant_id=district.id,
        unit_id=uuid.uuid4(),
        tree="administrative",
        level="village",
        name="上河村",
        old_path=old_path,
        new_path=new_path,
        old_parent_id=uuid.uuid4(),
        new_parent_id=uuid.uuid4(),
        moved_at=datetime.now(UTC),
        ancestors=[UnitRef(id=uuid.uuid4(), level="district", name="龙湾区")],
    )


async def paths(district: District) -> list[tuple[str, ...]]:
    async def read(session: AsyncSession) -> list[tuple[str, ...]]:
        rows = await session.execute(text("SELECT xmin::text, name, grid_path, branch_path FROM person ORDER BY name"))
        return [tuple(map(str, row)) for row in rows]

    found: list[tuple[str, ...]] = await district.run(read)
    return found


async def names(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, scope: str) -> list[str]:
    headers = bearer(issuer.token(tenant=district.id, roles=["community_cadre"], scope=scope))
    answer = await client.get(PEOPLE, headers=headers)
    assert answer.status_code == 200, answer.text
    return sorted(p["name"] for p in answer.json()["items"])


async def member(district: District, name: str, grid_path: str | None, branch_path: str) -> None:
    created = MemberCreated(
        tenant_id=district.id,
        member_id=uuid.uuid4(),
        grid_id=uuid.uuid4() if grid_path else None,
        branch_id=uuid.uuid4(),
        classification="self_managed",
        name=name,
        grid_path=grid_path,
        branch_path=branch_path,
    )
    assert await consumer.handle(envelope(created)) is True


async def test_a_moved_village_and_branch_take_their_people_along(
    settings: Settings, client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    consumer._settings = settings
    a, b = tree(district_a), tree(district_b)
    await member(district_a, "林志红", a["grid"], a["branch"])
    await member(district_a, "王建国", None, a["branch"])
    await member(district_b, "陈海", b["grid"], b["branch"])
    assert await names(client, issuer, district_a, a["street"]) == ["林志红"]

    new_village = f"{a['other_street']}v1000000/"
    village_moved = moved(district_a, a["village"], new_village)
    raw = envelope(village_moved)
    assert await consumer.handle(raw) is True
    assert await names(client, issuer, district_a, a["other_street"]) == ["林志红"]
    assert await names(client, issuer, district_a, a["street"]) == []

    new_branch = f"{a['other_committee']}b1000000/"
    branch_moved = moved(district_a, a["branch"], new_branch)
    assert await consumer.handle(envelope(branch_moved)) is True
    assert await names(client, issuer, district_a, a["other_committee"]) == ["林志红", "王建国"]
    assert await names(client, issuer, district_a, a["committee"]) == []

    settled, elsewhere = await paths(district_a), await paths(district_b)
    assert [row[1:] for row in settled] == [
        ("林志红", f"{new_village}g1000000/", new_branch),
        ("王建国", "None", new_branch),
    ]
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # the village's move again
    assert await paths(district_a) == settled
    assert await paths(district_b) == elsewhere
    assert [row[1:] for row in elsewhere] == [("陈海", b["grid"], b["branch"])]
