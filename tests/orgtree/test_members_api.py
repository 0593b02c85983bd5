"""Members: personal data protected, posts and flags checked, transfers kept as history, events written."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import text

from shared.db.engine import make_engine
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, id_card, mobile, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer


async def test_a_member_is_stored_encrypted_and_shown_masked(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(
        7,
        postCode="info_collector",
        postMethod="self_nomination",
        flags=["without_office"],
        infoCard={"technical_specialties": "电工"},
    )
    clear_id, clear_phone = id_card(7), mobile(7)
    assert member["idCard"] == clear_id[:3] + "*" * 11 + clear_id[-4:]
    assert member["phone"] == "138****0007"
    assert member["gender"] == "male"
    assert member["birthDate"] == "1980-01-01"
    engine = make_engine(settings, "orgtree", "system")
    async with engine.connect() as connection:
        raw = (await connection.execute(text("SELECT m::text FROM member m WHERE id = :i"), {"i": member["id"]})).one()
    await engine.dispose()
    assert clear_id not in raw[0]
    assert clear_phone not in raw[0]
    found = await s.admin.post("/members/lookup", {"phone": clear_phone}, expect=200)
    assert [m["id"] for m in found] == [member["id"]]
    by_id = await s.admin.post("/members/lookup", {"idCard": clear_id.lower()}, expect=200)
    assert [m["id"] for m in by_id] == [member["id"]]


async def test_reveal_needs_a_purpose_and_is_audited(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(8)
    refused = await s.admin.post(f"/members/{member['id']}/reveal", {"field": "idCard", "purpose": " "}, expect=422)
    assert refused["errors"][0]["field"] == "body.purpose"
    shown = await s.admin.post(
        f"/members/{member['id']}/reveal", {"field": "idCard", "purpose": "组织关系转接核实"}, expect=200
    )
    assert shown["value"] == id_card(8)
    engine = make_engine(settings, "orgtree", "system")
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT purpose FROM audit_event WHERE tenant_id = :t AND action = 'personal_data.revealed' "
                    "AND subject_id = :s"
                ),
                {"t": district_a.id, "s": member["id"]},
            )
        ).all()
    await engine.dispose()
    assert [r[0] for r in rows] == ["组织关系转接核实"]


async def test_invalid_fields_are_422_naming_each_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    bad_check_digit = id_card(9)[:-1] + ("0" if id_card(9)[-1] != "0" else "1")
    problem = await s.admin.post(
        "/members",
        {
            "name": "张三",
            "branchId": s.branch["id"],
            "idCard": bad_check_digit,
            "phone": "12345",
            "classification": "retired",
            "flags": ["hero"],
            "postCode": "astronaut",
            "postMethod": "self_nomination",
        },
        expect=422,
    )
    fields = {e["field"] for e in problem["errors"]}
    assert fields == {"body.idCard", "body.phone", "body.classification", "body.flags", "body.postCode"}
    no_method = await s.admin.post(
        "/members", {"name": "张三", "branchId": s.branch["id"], "postCode": "care_helper"}, expect=422
    )
    assert no_method["errors"][0]["field"] == "body.postMethod"
    not_a_grid = await s.admin.post(
        "/members", {"name": "张三", "branchId": s.branch["id"], "gridId": s.village["id"]}, expect=422
    )
    assert not_a_grid["errors"][0]["field"] == "body.gridId"
    not_a_branch = await s.admin.post("/members", {"name": "张三", "branchId": s.committee["id"]}, expect=422)
    assert not_a_branch["errors"][0]["field"] == "body.branchId"
    assert (await s.admin.get("/members", within=s.street["id"]))["items"] == []


async def test_one_id_number_is_one_member(client: AsyncTestClient, issuer: TestIssuer, district_a: District) -> None:
    s = await build_slice(client, issuer, district_a)
    await s.member(10)
    again = await s.admin.post(
        "/members", {"name": "重复", "branchId": s.branch["id"], "idCard": id_card(10)}, expect=409
    )
    assert "ID number" in again["detail"]


async def test_transfers_keep_history_and_answer_as_of_a_date(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(11, joinedOn="2010-07-01")
    wrong = await s.admin.post(
        f"/members/{member['id']}/transfers",
        {
            "toBranchId": s.branch["id"],
            "transferredOn": "2020-01-01",
            "reason": "unqualified_after_reeducation",
        },
        expect=409,
    )
    assert "already belongs" in wrong["detail"]
    other_branch = await s.admin.unit(s.committee, "branch", "下河村党支部", linkedNodeId=s.village2["id"])
    not_organ = await s.admin.post(
        f"/members/{member['id']}/transfers",
        {
            "toBranchId": other_branch["id"],
            "transferredOn": "2020-01-01",
            "reason": "unqualified_after_reeducation",
        },
        expect=422,
    )
    assert not_organ["errors"][0]["field"] == "body.toBranchId"
    await s.admin.post(
        f"/members/{member['id']}/transfers",
        {
            "toBranchId": other_branch["id"],
            "transferredOn": "2018-03-01",
            "reason": "ordinary",
            "note": "搬迁",
        },
    )
    await s.admin.post(
        f"/members/{member['id']}/transfers",
        {
            "toBranchId": s.organ_branch["id"],
            "transferredOn": "2021-05-01",
            "reason": "unqualified_after_reeducation",
        },
    )
    backwards = await s.admin.post(
        f"/members/{member['id']}/transfers",
        {
            "toBranchId": s.branch["id"],
            "transferredOn": "2019-01-01",
            "reason": "ordinary",
        },
        expect=422,
    )
    assert backwards["errors"][0]["field"] == "body.transferredOn"
    history = await s.admin.get(f"/members/{member['id']}/transfers")
    assert [(h["reason"], h["toBranchId"]) for h in history] == [
        ("joined", s.branch["id"]),
        ("ordinary", other_branch["id"]),
        ("unqualified_after_reeducation", s.organ_branch["id"]),
    ]
    for day, branch in (
        ("2009-12-31", None),
        ("2015-06-01", s.branch["id"]),
        ("2019-01-01", other_branch["id"]),
        ("2022-01-01", s.organ_branch["id"]),
    ):
        answer = await s.admin.get(f"/members/{member['id']}/membership", asOf=day)
        assert answer["branchId"] == branch, day
    now = await s.admin.get(f"/members/{member['id']}")
    assert now["branchId"] == s.organ_branch["id"]
    assert "unqualified" in now["flags"]
    events = await outbox(settings, district_a.id, "orgtree.MemberTransferred")
    assert [e["reason"] for e in events] == ["ordinary", "unqualified_after_reeducation"]


async def test_update_and_removal_are_announced_without_personal_data(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(12)
    updated = await s.admin.call(
        "PATCH",
        f"/members/{member['id']}",
        200,
        json={"phone": mobile(99), "gridId": s.grid2["id"], "flags": ["mobile"]},
    )
    assert updated["phone"] == "138****0099"
    assert updated["gridId"] == s.grid2["id"]
    await s.admin.post(f"/members/{member['id']}/removal", {"reason": "deceased", "removedOn": "2026-01-02"}, 204)
    await s.admin.get(f"/members/{member['id']}", expect=404)
    changed = await outbox(settings, district_a.id, "orgtree.MemberUpdated")
    assert changed[-1]["changed"] == ["phone", "gridId", "flags"]
    assert mobile(99) not in str(changed)
    created = await outbox(settings, district_a.id, "orgtree.MemberCreated")
    assert created[-1]["member_id"] == member["id"]
    removed = await outbox(settings, district_a.id, "orgtree.MemberRemoved")
    assert removed == [{"version": 1, "member_id": member["id"], "reason": "deceased"}]


async def test_another_districts_member_is_404_and_untouched(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(13)
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    await other.get(f"/members/{member['id']}", expect=404)
    await other.call("PATCH", f"/members/{member['id']}", 404, json={"name": "改名"})
    await other.post(f"/members/{member['id']}/reveal", {"field": "phone", "purpose": "核实"}, expect=404)
    assert await other.post("/members/lookup", {"phone": mobile(13)}, expect=200) == []
    foreign_branch = await other.post("/members", {"name": "x", "branchId": s.branch["id"]}, expect=404)
    assert foreign_branch["status"] == 404
    assert (await s.admin.get(f"/members/{member['id']}"))["name"] == "党员13"


async def test_a_branch_roll_as_of_a_date_includes_members_since_removed(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    stays = await s.member(14, joinedOn="2010-01-01")
    leaves = await s.member(15, joinedOn="2012-01-01")
    moves = await s.member(16, joinedOn="2011-01-01")
    await s.admin.post(
        f"/members/{moves['id']}/transfers",
        {
            "toBranchId": s.organ_branch["id"],
            "transferredOn": "2020-06-01",
            "reason": "ordinary",
        },
    )
    await s.admin.post(
        f"/members/{leaves['id']}/removal", {"reason": "transferred_out", "removedOn": "2022-01-01"}, 204
    )

    async def roll(day: str) -> set[tuple[str, str | None]]:
        rows = await s.admin.get("/members/roll", branchId=s.branch["id"], asOf=day)
        return {(r["memberId"], r["name"]) for r in rows}

    assert await roll("2010-06-01") == {(stays["id"], "党员14")}
    assert await roll("2019-01-01") == {(stays["id"], "党员14"), (leaves["id"], None), (moves["id"], "党员16")}
    assert await roll("2023-01-01") == {(stays["id"], "党员14")}
    await s.admin.get("/members/roll", branchId=s.village["id"], asOf="2020-01-01", expect=422)


async def test_the_post_catalogue_starts_with_the_eight_posts(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    posts = await s.admin.get("/posts")
    assert len(posts) == 8
    assert {"code": "dispute_mediator", "label": "矛盾纠纷调解员"} in posts
    await s.admin.post("/posts", {"code": "river_keeper", "label": "河道巡查员"})
    await s.admin.post("/posts", {"code": "river_keeper", "label": "重复"}, 409)
    member = await s.member(17, postCode="river_keeper", postMethod="branch_nomination")
    assert member["postCode"] == "river_keeper"
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await street_admin.post("/posts", {"code": "x", "label": "x"}, 403)
    unposted = await s.member(18, flags=["without_office"])
    assert [m["memberId"] for m in await s.admin.get("/reports/unposted-members")] == [unposted["id"]]
