"""A unit's red-cell link count (``GET /nodes/{id}/subtree-count``) stays right whatever moves a link's household
or member: the link's copies of their paths are kept by the database's triggers (migration 0005)."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from tests.orgtree.builders import Api, Slice, build_slice, id_card
from tests.orgtree.conftest import District
from tests.orgtree.test_bulk import LINK_HEADER, csv_bytes, post_file
from tests.platform.tokens import TestIssuer


async def link_counts(api: Api, **units: dict[str, Any]) -> dict[str, int]:
    """What the unit page shows as each unit's red-cell links."""
    return {name: (await api.get(f"/nodes/{unit['id']}/subtree-count"))["links"] for name, unit in units.items()}


async def one_link_per_member(s: Slice) -> None:
    await s.admin.call("PATCH", "/settings", 200, json={"householdLinksMin": 1, "householdLinksMax": 10})


async def link(s: Slice, member: dict[str, Any], household: dict[str, Any]) -> None:
    await s.admin.post(f"/members/{member['id']}/households", {"householdId": household["id"]})


async def test_administrative_counts_follow_links_households_and_moved_units(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    s = await build_slice(client, issuer, district_a)
    await one_link_per_member(s)
    member = await s.member(801)
    upper, lower = await s.household("1号"), await s.household("2号", grid=s.grid2)
    units = {
        "grid": s.grid,
        "grid2": s.grid2,
        "far_grid": s.far_grid,
        "village": s.village,
        "street": s.street,
        "other_street": s.other_street,
        "district": s.root,
    }
    assert set((await link_counts(s.admin, **units)).values()) == {0}

    await link(s, member, upper)
    await link(s, member, lower)
    assert await link_counts(s.admin, **units) == {
        "grid": 1,
        "grid2": 1,
        "far_grid": 0,
        "village": 2,
        "street": 2,
        "other_street": 0,
        "district": 2,
    }

    # No API moves a household to another grid yet: the application role does it under RLS, as one would.
    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            await session.execute(
                text("UPDATE household SET grid_id = :grid, grid_path = :path WHERE id = :household"),
                {"grid": s.far_grid["id"], "path": s.far_grid["path"], "household": upper["id"]},
            )
    assert await link_counts(s.admin, **units) == {
        "grid": 0,
        "grid2": 1,
        "far_grid": 1,
        "village": 1,
        "street": 1,
        "other_street": 1,
        "district": 2,
    }

    await s.admin.post(f"/nodes/{s.village['id']}/move", {"newParentId": s.other_street["id"]}, expect=200)
    assert await link_counts(s.admin, **units) == {
        "grid": 0,
        "grid2": 1,
        "far_grid": 1,
        "village": 1,
        "street": 0,
        "other_street": 2,
        "district": 2,
    }

    await s.admin.call("DELETE", f"/members/{member['id']}/households/{lower['id']}", 204)
    assert await link_counts(s.admin, **units) == {
        "grid": 0,
        "grid2": 0,
        "far_grid": 1,
        "village": 0,
        "street": 0,
        "other_street": 1,
        "district": 1,
    }


async def test_party_counts_follow_transferred_members_and_moved_branches(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await one_link_per_member(s)
    committee2 = await s.admin.unit(s.party_root, "street_working_committee", "永中街道党工委")
    branch2 = await s.admin.unit(committee2, "branch", "永中社区党支部")
    leaving, staying = await s.member(811, joinedOn="2010-07-01"), await s.member(812)
    for serial, member in enumerate((leaving, leaving, staying)):
        await link(s, member, await s.household(f"{serial + 1}号"))
    units = {
        "branch": s.branch,
        "committee": s.committee,
        "branch2": branch2,
        "committee2": committee2,
        "party_root": s.party_root,
        "grid": s.grid,
    }
    assert await link_counts(s.admin, **units) == {
        "branch": 3,
        "committee": 3,
        "branch2": 0,
        "committee2": 0,
        "party_root": 3,
        "grid": 3,
    }

    await s.admin.post(
        f"/members/{leaving['id']}/transfers",
        {
            "toBranchId": branch2["id"],
            "transferredOn": "2024-03-01",
            "reason": "ordinary",
        },
    )
    assert await link_counts(s.admin, **units) == {
        "branch": 1,
        "committee": 1,
        "branch2": 2,
        "committee2": 2,
        "party_root": 3,
        "grid": 3,
    }

    await s.admin.post(f"/nodes/{s.branch['id']}/move", {"newParentId": committee2["id"]}, expect=200)
    assert await link_counts(s.admin, **units) == {
        "branch": 1,
        "committee": 0,
        "branch2": 2,
        "committee2": 3,
        "party_root": 3,
        "grid": 3,
    }


async def test_links_of_a_bulk_import_are_counted(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    await one_link_per_member(s)
    member = await s.member(821)
    for label in ("1号", "2号"):
        await s.household(label)
    grid = f"{s.street['name']}/{s.village['name']}/{s.grid['name']}"
    rows = [[id_card(821), member["name"], grid, label, "2024-01-01"] for label in ("1号", "2号")]
    imported = await post_file(client, s.admin.headers, "links", csv_bytes(LINK_HEADER, rows))
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == {"links": 2}
    assert await link_counts(s.admin, grid=s.grid, street=s.street, branch=s.branch, other=s.other_street) == {
        "grid": 2,
        "street": 2,
        "branch": 2,
        "other": 0,
    }
