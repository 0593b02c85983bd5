"""Cadre attendance (ORG-25): one cadre on duty per working day of a village, leave requests approved or refused
by its admins, attendance per cadre and day, and absences without approved leave escalating reminder → public
criticism → fine at the district's thresholds (1 / 2 / 3 from the seed until set). Bad input is refused naming
the field with nothing stored; another district's or street's ids are a 404."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.demo.attendance import FIRST_VILLAGE, cadre_attendance, recorded_month
from shared.clock import china_today
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from tests.orgtree.builders import Api, Slice, build_slice
from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

MONTH = "2026-11"  # 21 working days, Monday 2 to Monday 30


async def cadres(s: Slice, *serials: int) -> list[dict[str, Any]]:
    """Village cadres of 上河村, posted since the start of the year."""
    posted = []
    for serial in serials:
        member = await s.member(serial, None)
        body = {"kind": "village", "memberId": member["id"], "villageId": s.village["id"], "since": "2026-01-01"}
        await s.admin.post("/cadre-postings", body)
        posted.append(member)
    return posted


async def test_the_roster_puts_one_cadre_on_duty_each_working_day(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    first, second = await cadres(s, 401, 402)
    path = f"/nodes/{s.village['id']}/duty-roster"
    entry = await s.admin.post(path, {"day": "2026-11-02", "memberId": second["id"]})
    assert (entry["day"], entry["memberName"]) == ("2026-11-02", "党员402")
    await s.admin.post(path, {"day": "2026-11-02", "memberId": first["id"]}, 409)  # the day is taken

    leave = {"memberId": first["id"], "firstDay": "2026-11-05", "lastDay": "2026-11-05", "reason": "探亲"}
    filed = await s.admin.post(f"/nodes/{s.village['id']}/leave-requests", leave)
    await s.admin.post(f"/leave-requests/{filed['id']}/decision", {"decision": "approved"})
    roster = await s.admin.post(f"{path}/rotation", {"month": MONTH})
    assert len(roster["days"]) == 21
    assert roster["days"][-1]["day"] == "2026-11-30"
    names = [d["memberName"] for d in roster["days"]]
    # the 2nd kept, the rest in turn, the 5th not to 党员401, away on approved leave
    assert names[:5] == ["党员402", "党员401", "党员402", "党员402", "党员401"]
    fifth = roster["days"][3]
    await s.admin.call("DELETE", f"/duty-roster/{fifth['entryId']}", 204)
    refused = await s.admin.post(path, {"day": "2026-11-05", "memberId": first["id"]}, 422)
    assert [e["field"] for e in refused["errors"]] == ["body.memberId"]
    assert [c["memberName"] for c in roster["cadres"]] == ["党员401", "党员402"]

    await s.admin.call("DELETE", f"/duty-roster/{entry['id']}", 204)
    freed = await s.admin.get(path, month=MONTH)
    assert freed["days"][0] == {"day": "2026-11-02", "entryId": None, "memberId": None, "memberName": None}
    await s.admin.post(path, {"day": "2026-11-02", "memberId": first["id"]})

    today = await s.admin.get(path)
    assert today["month"] == today["today"][:7]
    assert today["onDutyToday"] is None  # nobody put on duty this month yet
    units = await s.admin.get("/attendance/units")
    assert [(u["unitName"], u["cadres"], u["onDutyToday"]) for u in units] == [("上河村", 2, None)]


async def test_absences_without_approved_leave_escalate_and_the_report_counts_them(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    often, once, away = await cadres(s, 411, 412, 413)
    at = f"/nodes/{s.village['id']}/cadre-attendance"

    async def record(member: dict[str, Any], day: str, status: str, expect: int = 201) -> Any:
        return await s.admin.post(at, {"memberId": member["id"], "day": f"2026-11-{day}", "status": status}, expect)

    for day in ("02", "03", "04"):
        await record(often, day, "present")
    await record(often, "05", "absent")
    await record(often, "06", "absent")
    await record(once, "02", "present")
    await record(once, "03", "absent")
    await record(once, "03", "present", 409)  # one record per cadre and day

    # 外出报告: away's leave is filed after an absence was recorded; approving it turns that absence into leave
    absence = await record(away, "10", "absent")
    await record(away, "11", "on_leave", 422)  # no approved leave yet
    leaves = f"/nodes/{s.village['id']}/leave-requests"
    leave = await s.admin.post(
        leaves, {"memberId": away["id"], "firstDay": "2026-11-10", "lastDay": "2026-11-16", "reason": "陪护住院家人"}
    )
    assert (leave["state"], leave["workdays"]) == ("requested", 5)
    body = {"memberId": away["id"], "firstDay": "2026-11-12", "lastDay": "2026-11-12", "reason": "again"}
    await s.admin.post(leaves, body, 409)  # overlaps the one requested
    decided = await s.admin.post(f"/leave-requests/{leave['id']}/decision", {"decision": "approved", "note": "同意"})
    assert decided["state"] == "approved"
    await s.admin.post(f"/leave-requests/{leave['id']}/decision", {"decision": "refused"}, 409)
    await record(away, "11", "on_leave")
    await record(away, "12", "absent", 422)  # the approved leave covers it
    refused = await s.admin.post(
        leaves, {"memberId": once["id"], "firstDay": "2026-11-20", "lastDay": "2026-11-20", "reason": "私事"}
    )
    await s.admin.post(f"/leave-requests/{refused['id']}/decision", {"decision": "refused"})
    assert [x["state"] for x in await s.admin.get(leaves, state="refused")] == ["refused"]

    report = await s.admin.get(at, month=MONTH)
    assert (report["workdays"], report["thresholds"]["isDefault"]) == (21, True)
    rows = [(c["memberName"], c["present"], c["onLeave"], c["absent"], c["step"]) for c in report["cadres"]]
    assert rows == [
        ("党员411", 3, 0, 2, "criticism"),
        ("党员412", 1, 0, 1, "reminder"),
        ("党员413", 0, 2, 0, "none"),
    ]
    excused = next(r for r in report["records"] if r["id"] == absence["id"])
    assert (excused["status"], excused["leaveRequestId"]) == ("on_leave", leave["id"])

    # the district sets its own thresholds: two absences are now only a reminder
    limits = await s.admin.call("PUT", "/attendance/thresholds", 200, json={"reminder": 2, "criticism": 3, "fine": 5})
    assert (limits["reminder"], limits["isDefault"], limits["period"]) == (2, False, "month")
    report = await s.admin.get(at, month=MONTH)
    assert [(c["memberName"], c["step"]) for c in report["cadres"]] == [
        ("党员411", "reminder"),
        ("党员412", "none"),
        ("党员413", "none"),
    ]
    other_month = await s.admin.get(at, month="2026-10")
    assert [c["absent"] for c in other_month["cadres"]] == [0, 0, 0]
    assert other_month["records"] == []


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    (cadre,) = await cadres(s, 421)
    stranger = await s.member(422, None)  # a member, not a cadre of the village
    village = s.village["id"]

    async def fields(path: str, body: dict[str, Any], method: str = "POST") -> list[str]:
        problem = await s.admin.call(method, path, 422, json=body)
        return [e["field"] for e in problem["errors"]]

    roster = f"/nodes/{village}/duty-roster"
    duty = {"day": "2026-11-02", "memberId": cadre["id"]}
    assert await fields(roster, {**duty, "day": "2026-11-07"}) == ["body.day"]  # a Saturday
    assert await fields(roster, {**duty, "day": 20261102}) == ["body.day"]
    assert await fields(roster, {**duty, "memberId": stranger["id"]}) == ["body.memberId"]
    assert await fields(roster, {**duty, "memberId": "x"}) == ["body.memberId"]
    assert await fields(roster, {**duty, "extra": 1}) == ["body.extra"]
    assert await fields(f"/nodes/{s.street['id']}/duty-roster", duty) == ["path.nodeId"]
    assert await fields(f"{roster}/rotation", {"month": "2026-13"}) == ["body.month"]
    await s.admin.get(roster, 422, month="November")
    assert (await s.admin.get(roster, month=MONTH))["days"][0]["entryId"] is None

    at = f"/nodes/{village}/cadre-attendance"
    mark = {"memberId": cadre["id"], "day": "2026-11-02", "status": "present"}
    assert await fields(at, {**mark, "status": "late"}) == ["body.status"]
    assert await fields(at, {**mark, "day": "2999-01-04"}) == ["body.day"]
    assert await fields(at, {**mark, "day": "2026-11-08"}) == ["body.day"]  # a Sunday
    assert await fields(at, {**mark, "memberId": stranger["id"]}) == ["body.memberId"]
    assert await fields(at, {**mark, "note": 5}) == ["body.note"]
    assert await fields(at, {**mark, "present": True}) == ["body.present"]
    assert (await s.admin.get(at, month=MONTH))["records"] == []

    leaves = f"/nodes/{village}/leave-requests"
    leave = {"memberId": cadre["id"], "firstDay": "2026-11-10", "lastDay": "2026-11-11", "reason": "探亲"}
    assert await fields(leaves, {**leave, "lastDay": "2026-11-09"}) == ["body.lastDay"]
    assert await fields(leaves, {**leave, "lastDay": "2027-06-01"}) == ["body.lastDay"]
    assert await fields(leaves, {**leave, "reason": "  "}) == ["body.reason"]
    assert await fields(leaves, {**leave, "reason": ""}) == ["body.reason"]
    assert await fields(leaves, {**leave, "memberId": stranger["id"]}) == ["body.memberId"]
    assert await s.admin.get(leaves) == []
    await s.admin.get(leaves, 422, state="pending")
    filed = await s.admin.post(leaves, leave)
    decision = f"/leave-requests/{filed['id']}/decision"
    assert await fields(decision, {"decision": "maybe"}) == ["body.decision"]
    assert await fields(decision, {"decision": True}) == ["body.decision"]
    assert (await s.admin.get(leaves))[0]["state"] == "requested"

    limits = {"reminder": 1, "criticism": 2, "fine": 3}
    assert await fields("/attendance/thresholds", {**limits, "reminder": "1"}, "PUT") == ["body.reminder"]
    assert await fields("/attendance/thresholds", {**limits, "criticism": 1}, "PUT") == ["body.criticism"]
    assert await fields("/attendance/thresholds", {**limits, "fine": 0}, "PUT") == ["body.fine"]
    assert await fields("/attendance/thresholds", {**limits, "fine": 2}, "PUT") == ["body.fine"]
    assert (await s.admin.get("/attendance/thresholds"))["isDefault"] is True


async def test_other_districts_and_streets_are_404_and_only_admins_record(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    other = await build_slice(client, issuer, district_b)
    (cadre,) = await cadres(s, 431)
    (theirs,) = await cadres(other, 432)
    mine, their_village = s.village["id"], other.village["id"]
    duty = {"day": "2026-11-02", "memberId": cadre["id"]}
    await s.admin.get(f"/nodes/{their_village}/duty-roster", 404)
    await s.admin.post(f"/nodes/{their_village}/duty-roster", duty, 404)
    await s.admin.get(f"/nodes/{their_village}/cadre-attendance", 404)
    await s.admin.get(f"/nodes/{their_village}/leave-requests", 404)
    await s.admin.get("/attendance/units", 404, within=their_village)
    await s.admin.post(f"/nodes/{mine}/duty-roster", {**duty, "memberId": theirs["id"]}, 422)  # not posted here
    entry = await other.admin.post(f"/nodes/{their_village}/duty-roster", {**duty, "memberId": theirs["id"]})
    await s.admin.call("DELETE", f"/duty-roster/{entry['id']}", 404)
    leave = {"memberId": theirs["id"], "firstDay": "2026-11-10", "lastDay": "2026-11-10", "reason": "探亲"}
    filed = await other.admin.post(f"/nodes/{their_village}/leave-requests", leave)
    await s.admin.post(f"/leave-requests/{filed['id']}/decision", {"decision": "approved"}, 404)
    mark = {"memberId": theirs["id"], "day": "2026-11-02", "status": "present"}
    record = await other.admin.post(f"/nodes/{their_village}/cadre-attendance", mark)
    await s.admin.call("DELETE", f"/cadre-attendance/{record['id']}", 404)

    # the other street's admin does not see 上河村; a hotline operator reads but records nothing
    street_admin = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.other_street["path"]))
    await street_admin.get(f"/nodes/{mine}/duty-roster", 404)
    await street_admin.post(f"/nodes/{mine}/duty-roster", duty, 404)
    operator = Api(client, bearer(issuer, district_a.id, ["hotline_operator"]))
    await operator.get(f"/nodes/{mine}/duty-roster")
    await operator.post(f"/nodes/{mine}/duty-roster", duty, 403)
    await street_admin.call("PUT", "/attendance/thresholds", 403, json={"reminder": 1, "criticism": 2, "fine": 3})
    own_street = Api(client, bearer(issuer, district_a.id, ["street_admin"], scope=s.street["path"]))
    await own_street.post(f"/nodes/{mine}/duty-roster", duty)


async def test_the_yaoxi_demo_puts_one_cadre_at_the_reminder_and_one_at_the_criticism(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    s = await build_slice(client, issuer, district_a)
    first = await s.admin.unit(s.street, "village", FIRST_VILLAGE)
    for serial in range(441, 447):
        member = await s.member(serial, None)
        body = {"kind": "village", "memberId": member["id"], "villageId": first["id"], "since": "2014-01-01"}
        await s.admin.post("/cadre-postings", body)
    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            await cadre_attendance(session, "wenzhou-longwan")

    roster = await s.admin.get(f"/nodes/{first['id']}/duty-roster")
    assert all(d["memberName"] for d in roster["days"])  # every working day of this month has its cadre
    report = await s.admin.get(
        f"/nodes/{first['id']}/cadre-attendance", month=recorded_month(china_today()).isoformat()[:7]
    )
    steps = [(c["memberName"], c["step"], c["absent"]) for c in report["cadres"]]
    assert steps[:2] == [("党员442", "criticism", 2), ("党员441", "reminder", 1)]
    assert {c["step"] for c in report["cadres"][2:]} == {"none"}
    assert next(c for c in report["cadres"] if c["memberName"] == "党员443")["onLeave"] == 2
    leaves = await s.admin.get(f"/nodes/{first['id']}/leave-requests")
    assert sorted(x["state"] for x in leaves) == ["approved", "refused", "requested"]
    approved = next(x for x in leaves if x["state"] == "approved")
    on_duty = {d["day"]: d["memberName"] for d in roster["days"]}
    assert "党员443" not in {on_duty.get(approved["firstDay"]), on_duty.get(approved["lastDay"])}
