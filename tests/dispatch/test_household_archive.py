"""The household archive (DSP-32, Zhuji's 群众档案 [001/ZHJ]): a household's sheet (family, income sources,
assistance) with its demands (the household's tickets, their resolution and feedback forms); every refresh on
record; archives not refreshed for six months listed for the reminder; names masked."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import ArchiveMember, HouseholdArchive
from tests.dispatch.builders import District, bearer, operator, put_ticket, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


def sheet(**overrides: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "economicType": "planting",
        "members": [
            {
                "name": "陈国强",
                "relation": "户主",
                "birthYear": 1962,
                "education": "初中",
                "politicalStatus": "群众",
                "health": "良好",
            },
            {"name": "李秀英", "relation": "配偶", "birthYear": 1965, "health": "高血压"},
        ],
        "incomeSources": [
            {"kind": "crops", "note": "承包土地4亩，种植香榧"},
            {"kind": "migrant_work", "note": "儿子在杭州务工"},
        ],
        "assistance": [{"what": "危房改造补助", "source": "镇民政办", "on": "2026-03-01"}],
        "note": "半年大走访",
    }
    body.update(overrides)
    return body


def path(district: District, household: uuid.UUID | None = None) -> str:
    return f"/api/dispatch/archives/households/{household or district.households[0]}"


async def age(district: District, days: int) -> None:
    """Let every archive of the district have been refreshed ``days`` ago."""

    async def move(session: AsyncSession) -> None:
        await session.execute(
            text("UPDATE household_archive SET refreshed_at = now() - make_interval(days => :d)"), {"d": days}
        )

    await district.run(move)


async def test_a_cadre_files_the_household_sheet_and_reads_it_with_names_masked(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    cadre = staff(issuer, district_a, "community_cadre")

    saved = await client.put(path(district_a), json=sheet(), headers=cadre)

    assert saved.status_code == 200, saved.text
    archive = saved.json()
    assert [m["name"] for m in archive["members"]] == ["陈**", "李**"]
    assert "陈国强" not in saved.text
    assert "李秀英" not in saved.text
    assert archive["economicType"] == "planting"
    assert archive["gridName"] == "第1网格"
    assert [s["kind"] for s in archive["incomeSources"]] == ["crops", "migrant_work"]
    assert archive["assistance"] == [{"what": "危房改造补助", "source": "镇民政办", "on": "2026-03-01"}]
    assert archive["due"] is False
    again = await client.get(path(district_a), headers=operator(issuer, district_a))
    assert again.status_code == 200
    assert again.json()["members"] == archive["members"]

    async def stored(session: AsyncSession) -> list[bytes]:
        return list(await session.scalars(select(ArchiveMember.name_cipher)))

    assert all("陈国强".encode() not in cipher for cipher in await district_a.run(stored))


async def test_demands_are_the_households_tickets_with_resolution_and_feedback_forms(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    household = district_a.households[0]
    await client.put(path(district_a), json=sheet(), headers=staff(issuer, district_a))
    resolved = await put_ticket(district_a, household_id=household, title="灌溉水渠堵塞")
    admin = staff(issuer, district_a)
    done = await client.post(
        f"/api/dispatch/tickets/{resolved}/resolution", json={"note": "已组织疏通水渠"}, headers=admin
    )
    assert done.status_code == 200, done.text
    form = {"satisfied": True, "handlerScore": 5, "comment": "水渠通了", "via": "phone"}
    assert (
        await client.post(f"/api/dispatch/tickets/{resolved}/feedback", json=form, headers=operator(issuer, district_a))
    ).status_code == 201
    await put_ticket(district_a, household_id=household, title="申请低保", status="routing")
    await put_ticket(district_a, household_id=district_a.households[1], title="别人家的事")

    archive = (await client.get(path(district_a), headers=admin)).json()

    demands = {d["title"]: d for d in archive["demands"]}
    assert set(demands) == {"灌溉水渠堵塞", "申请低保"}
    assert demands["灌溉水渠堵塞"]["resolutionNote"] == "已组织疏通水渠"
    assert [(f["satisfied"], f["comment"]) for f in demands["灌溉水渠堵塞"]["feedback"]] == [(True, "水渠通了")]
    assert demands["申请低保"]["stage"] == "route"
    assert demands["申请低保"]["feedback"] == []
    listed = (await client.get("/api/dispatch/archives", headers=admin)).json()
    assert [(row["headName"], row["memberCount"], row["openDemands"]) for row in listed["items"]] == [("陈**", 2, 1)]


async def test_every_refresh_is_recorded_with_who_when_and_what_changed(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    first = bearer(issuer, district_a.id, ["community_cadre"], user_id=uuid.uuid4())
    await client.put(path(district_a), json=sheet(), headers=first)
    filed = (await client.put(path(district_a), json=sheet(note="复查，无变化"), headers=first)).json()
    # the head kept by id (members keep their ids across refreshes) without typing the name again; the spouse
    # no longer lives here
    kept = [{"id": filed["members"][0]["id"], "relation": "户主", "birthYear": 1962}]
    changed = await client.put(
        path(district_a), json=sheet(economicType="low_income", members=kept), headers=staff(issuer, district_a)
    )
    assert changed.status_code == 200, changed.text
    assert [m["name"] for m in changed.json()["members"]] == ["陈**"]

    refreshes = (await client.get(f"{path(district_a)}/refreshes", headers=operator(issuer, district_a))).json()

    assert [r["changed"] for r in refreshes] == [["economicType", "members"], [], ["created"]]
    assert [r["note"] for r in refreshes][1:] == ["复查，无变化", "半年大走访"]
    assert all(r["at"] for r in refreshes)

    async def rewrite(session: AsyncSession) -> None:
        await session.execute(text("UPDATE household_archive_refresh SET note = 'x'"))

    with pytest.raises(Exception, match="append-only"):
        await district_a.run(rewrite)


async def test_archives_not_refreshed_for_six_months_are_listed_for_the_reminder(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    await client.put(path(district_a), json=sheet(), headers=admin)
    await age(district_a, 200)
    await client.put(path(district_a, district_a.households[1]), json=sheet(), headers=admin)

    reminder = (await client.get("/api/dispatch/archives", params={"due": "true"}, headers=admin)).json()

    assert (reminder["total"], reminder["due"]) == (2, 1)
    assert [row["householdId"] for row in reminder["items"]] == [str(district_a.households[0])]
    assert reminder["items"][0]["due"] is True
    refreshed = await client.put(path(district_a), json=sheet(), headers=admin)
    assert refreshed.json()["due"] is False
    assert (await client.get("/api/dispatch/archives", params={"due": "true"}, headers=admin)).json()["due"] == 0


async def test_bad_sheets_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    cases = [
        (sheet(economicType="rich"), "body.economicType"),
        (sheet(incomeSources=[{"kind": "lottery"}]), "body.incomeSources[0].kind"),
        (sheet(assistance=[{"what": "补助", "on": "2099-01-01"}]), "body.assistance[0].on"),
        (sheet(members=[{"name": "陈国强", "relation": "户主", "birthYear": "1962"}]), "birthYear"),
        (sheet(members=[{"name": " ", "relation": "户主"}]), "name"),
        (sheet(members=[{"relation": "户主"}]), "body.members[0].name"),
        (sheet(members=[{"id": str(uuid.uuid4()), "relation": "户主"}]), "body.members[0].id"),
        ({"members": []}, "economicType"),
        (sheet(colour="red"), "colour"),
    ]
    for body, field in cases:
        response = await client.put(path(district_a), json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in response.text, (field, response.text)

    async def archives(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(HouseholdArchive)) or 0)

    assert await district_a.run(archives) == 0
    unknown = await client.put(path(district_a, uuid.uuid4()), json=sheet(), headers=admin)
    assert unknown.status_code == 404
    assert (await client.get(path(district_a), headers=admin)).status_code == 404


async def test_another_districts_household_and_a_cadre_outside_its_subtree_get_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await client.put(path(district_a), json=sheet(), headers=staff(issuer, district_a))
    other = staff(issuer, district_b)

    assert (await client.get(path(district_a), headers=other)).status_code == 404
    assert (await client.put(path(district_a), json=sheet(), headers=other)).status_code == 404
    assert (await client.get(f"{path(district_a)}/refreshes", headers=other)).status_code == 404
    assert (await client.get("/api/dispatch/archives", headers=other)).json()["total"] == 0
    outside = bearer(issuer, district_a.id, ["street_admin"], scope="/zzzzzzzz/", user_id=uuid.uuid4())
    assert (await client.get(path(district_a), headers=outside)).status_code == 404
    assert (await client.get("/api/dispatch/archives", headers=outside)).json()["total"] == 0
    resident = bearer(issuer, district_a.id, ["resident"], user_id=uuid.uuid4())
    assert (await client.get(path(district_a), headers=resident)).status_code == 403
