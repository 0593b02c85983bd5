"""Warning a member (4.7 item 3, EVT-01): by the warnings endpoint or by setting the "warned" flag, each warning
records a row and publishes exactly one MemberWarned, which training turns into a re-education case."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import AsyncTestClient

from shared.clock import china_today
from shared.settings import Settings
from tests.orgtree.builders import Api, build_slice, outbox
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

WARNED = "orgtree.MemberWarned"


async def test_a_warning_sets_the_flag_and_publishes_one_event(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(21)
    warning = await s.admin.post(
        f"/members/{member['id']}/warnings", {"warnedOn": "2026-11-20", "reason": "服务态度差"}
    )
    assert (warning["memberId"], warning["warnedOn"], warning["reason"]) == (member["id"], "2026-11-20", "服务态度差")
    assert "warned" in (await s.admin.get(f"/members/{member['id']}"))["flags"]
    again = await s.admin.post(f"/members/{member['id']}/warnings", {"warnedOn": "2026-11-21", "reason": "再犯"}, 409)
    assert "already holds a warning" in again["detail"]
    events = await outbox(settings, district_a.id, WARNED)
    assert [(e["member_id"], e["warned_on"], e["branch_path"]) for e in events] == [
        (member["id"], "2026-11-20", events[0]["branch_path"])
    ]
    assert events[0]["branch_path"].endswith("/")
    updated = await outbox(settings, district_a.id, "orgtree.MemberUpdated")
    assert any("warned" in e["flags"] and e["changed"] == ["flags"] for e in updated)
    listed = await s.admin.get(f"/members/{member['id']}/warnings")
    assert [(w["warnedOn"], w["reason"]) for w in listed] == [("2026-11-20", "服务态度差")]


async def test_setting_the_warned_flag_is_a_warning_too_once(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    patched = await s.member(22)
    await s.admin.call("PATCH", f"/members/{patched['id']}", 200, json={"flags": ["warned", "mobile"]})
    await s.admin.call("PATCH", f"/members/{patched['id']}", 200, json={"flags": ["mobile", "warned"]})  # kept
    await s.admin.call("PATCH", f"/members/{patched['id']}", 200, json={"name": "改名"})  # flags untouched
    created = await s.member(23, flags=["warned"])
    events = await outbox(settings, district_a.id, WARNED)
    assert sorted(e["member_id"] for e in events) == sorted([patched["id"], created["id"]])
    listed = await s.admin.get(f"/members/{patched['id']}/warnings")
    assert [(w["warnedOn"], w["reason"]) for w in listed] == [(china_today().isoformat(), None)]
    # cleared and given again: a second warning, a second event
    await s.admin.call("PATCH", f"/members/{patched['id']}", 200, json={"flags": []})
    await s.admin.post(
        f"/members/{patched['id']}/warnings", {"warnedOn": china_today().isoformat(), "reason": "再次警示"}
    )
    assert len([e for e in await outbox(settings, district_a.id, WARNED) if e["member_id"] == patched["id"]]) == 2


async def test_bad_warnings_are_422_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(24)
    path = f"/members/{member['id']}/warnings"
    tomorrow = (china_today() + timedelta(days=1)).isoformat()
    cases = [
        ({"warnedOn": "2026-13-01", "reason": "理由"}, "body.warnedOn"),
        ({"warnedOn": tomorrow, "reason": "理由"}, "body.warnedOn"),
        ({"warnedOn": "2026-11-01", "reason": "   "}, "body.reason"),
        ({"warnedOn": "2026-11-01", "reason": 12}, "body.reason"),
        ({"warnedOn": "2026-11-01"}, "body.reason"),
    ]
    for body, field in cases:
        refused = await s.admin.post(path, body, expect=422)
        assert field in refused["detail"] or refused["errors"][0]["field"] == field, refused
    extra = await s.admin.post(path, {"warnedOn": "2026-11-01", "reason": "理由", "level": 2}, expect=422)
    assert "level" in extra["detail"]
    assert await outbox(settings, district_a.id, WARNED) == []
    assert await s.admin.get(path) == []
    assert "warned" not in (await s.admin.get(f"/members/{member['id']}"))["flags"]


async def test_another_districts_member_is_404_and_members_may_not_warn(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    s = await build_slice(client, issuer, district_a)
    member = await s.member(25)
    other = Api(client, bearer(issuer, district_b.id, ["district_admin"]))
    body = {"warnedOn": "2026-11-01", "reason": "理由"}
    await other.post(f"/members/{member['id']}/warnings", body, expect=404)
    await other.get(f"/members/{member['id']}/warnings", expect=404)
    plain = Api(client, bearer(issuer, district_a.id, ["member"]))
    await plain.post(f"/members/{member['id']}/warnings", body, expect=403)
    assert await outbox(settings, district_a.id, WARNED) == []
