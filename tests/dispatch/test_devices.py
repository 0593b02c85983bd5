"""One-touch emergency devices (DSP-10): a device mapped to a household raises an alarm through the district's
device gateway (its key in ``X-Device-Key``); the alarm opens an emergency ticket for the household, routed as
every ticket (the serving member first); the same alarm id again opens nothing new."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.dispatch.builders import District, deliver, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
DEVICES = "/api/dispatch/devices"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


def alarms_of(district: District) -> str:
    return f"/api/dispatch/public/{district.id}/device-alarms"


async def gateway_key(client: Client, issuer: TestIssuer, district: District) -> dict[str, str]:
    issued = await client.post(f"{DEVICES}/gateway-key", headers=staff(issuer, district))
    assert issued.status_code == 201, issued.text
    return {"X-Device-Key": issued.json()["key"]}


async def device(client: Client, issuer: TestIssuer, district: District, code: str, household: int | None = 0) -> Any:
    body: dict[str, object] = {"code": code, "label": "王奶奶家"}
    if household is not None:
        body["householdId"] = str(district.households[household])
    response = await client.post(DEVICES, json=body, headers=staff(issuer, district, "hotline_operator"))
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_alarm_opens_one_emergency_ticket_offered_to_the_serving_member(
    client: Client, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    member = uuid.uuid4()
    serving = await district_a.add_provider(member_id=member, grid=district_a.grids[0], name="钱志明")
    await district_a.link(district_a.households[0], member)
    await district_a.add_provider(member_id=uuid.uuid4(), grid=district_a.grids[1], name="别网格的")
    key = await gateway_key(client, issuer, district_a)
    registered = await device(client, issuer, district_a, "JX-SOS-0001")

    body = {"deviceCode": "JX-SOS-0001", "alarmId": "a-20261207-1", "raisedAt": "2026-12-07T08:00:00+08:00"}
    first = await client.post(alarms_of(district_a), json=body, headers=key)
    assert first.status_code == 201, first.text
    alarm = first.json()
    again = await client.post(alarms_of(district_a), json=body, headers=key)
    assert again.status_code == 200
    assert (again.json()["ticketId"], again.json()["repeated"]) == (alarm["ticketId"], True)

    desk = staff(issuer, district_a, "hotline_operator")
    ticket = (await client.get(f"/api/dispatch/tickets/{alarm['ticketId']}", headers=desk)).json()
    assert (ticket["priority"], ticket["channel"], ticket["householdId"]) == (
        "emergency",
        "one_touch",
        str(district_a.households[0]),
    )
    assert await deliver(district_a, "dispatch.TicketCreated", settings) == 1  # one ticket for two posts
    offers = (await client.get(f"/api/dispatch/tickets/{alarm['ticketId']}/offers", headers=desk)).json()
    assert [o["providerId"] for o in offers][:1] == [str(serving.id)]
    listed = (await client.get(f"{DEVICES}/alarms", headers=desk)).json()
    assert [(a["alarmId"], a["ticketNumber"]) for a in listed] == [("a-20261207-1", ticket["number"])]
    shown = (await client.get(f"{DEVICES}/{registered['id']}", headers=desk)).json()
    assert shown["lastAlarmAt"] is not None


async def test_the_gateway_must_show_the_districts_current_key(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await device(client, issuer, district_a, "JX-SOS-0002")
    body = {"deviceCode": "JX-SOS-0002", "alarmId": "k-1"}
    assert (await client.post(alarms_of(district_a), json=body)).status_code == 401  # no key issued yet
    old = await gateway_key(client, issuer, district_a)
    new = await gateway_key(client, issuer, district_a)
    assert (await client.post(alarms_of(district_a), json=body, headers=old)).status_code == 401  # replaced
    assert (await client.post(alarms_of(district_a), json=body)).status_code == 401
    theirs = await gateway_key(client, issuer, district_b)
    assert (await client.post(alarms_of(district_a), json=body, headers=theirs)).status_code == 401
    assert (await client.post(alarms_of(district_a), json=body, headers=new)).status_code == 201
    operator = staff(issuer, district_a, "hotline_operator")
    assert (await client.post(f"{DEVICES}/gateway-key", headers=operator)).status_code == 403  # the admin's


async def test_unknown_unmapped_and_switched_off_devices_and_bad_bodies_are_refused(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    key = await gateway_key(client, issuer, district_a)
    await device(client, issuer, district_a, "JX-SOS-0003", household=None)
    await device(client, issuer, district_b, "JX-SOS-0004")  # another district's device
    unknown = await client.post(alarms_of(district_a), json={"deviceCode": "JX-NOPE-1", "alarmId": "1"}, headers=key)
    assert unknown.status_code == 404
    assert "JX-NOPE-1" in unknown.json()["detail"]
    theirs = await client.post(alarms_of(district_a), json={"deviceCode": "JX-SOS-0004", "alarmId": "1"}, headers=key)
    assert theirs.status_code == 404
    unmapped = await client.post(alarms_of(district_a), json={"deviceCode": "JX-SOS-0003", "alarmId": "1"}, headers=key)
    assert unmapped.status_code == 409
    assert "not mapped" in unmapped.json()["detail"]
    for body, field in (
        ({"deviceCode": "JX-SOS-0003"}, "body.alarmId"),
        ({"deviceCode": 12345, "alarmId": "1"}, "body.deviceCode"),
        ({"deviceCode": "JX SOS", "alarmId": "1"}, "body.deviceCode"),
        ({"deviceCode": "JX-SOS-0003", "alarmId": "1", "raisedAt": "yesterday"}, "body.raisedAt"),
        ({"deviceCode": "JX-SOS-0003", "alarmId": "1", "raisedAt": "2026-12-07T08:00:00"}, "body.raisedAt"),
    ):
        refused = await client.post(alarms_of(district_a), json=body, headers=key)
        assert (refused.status_code, fields(refused)) == (422, [field]), refused.text
    desk = staff(issuer, district_a, "hotline_operator")
    assert (await client.get(f"{DEVICES}/alarms", headers=desk)).json() == []  # nothing stored
    assert (await client.get("/api/dispatch/tickets", headers=desk)).json()["items"] == []

    for body, field in (
        ({"code": "x"}, "body.code"),
        ({"code": "JX-SOS-0009", "householdId": "not-an-id"}, "body.householdId"),
        ({"code": "JX-SOS-0009", "label": 5}, "body.label"),
    ):
        refused = await client.post(DEVICES, json=body, headers=desk)
        assert (refused.status_code, fields(refused)) == (422, [field]), refused.text
    assert (await client.post(DEVICES, json={"code": "JX-SOS-0003"}, headers=desk)).status_code == 409
    switched = await client.patch(
        f"{DEVICES}/{(await client.get(DEVICES, headers=desk)).json()[0]['id']}", json={"active": "no"}, headers=desk
    )
    assert (switched.status_code, fields(switched)) == (422, ["body.active"])
    mapped = await device(client, issuer, district_a, "JX-SOS-0010")
    off = await client.patch(f"{DEVICES}/{mapped['id']}", json={"active": False}, headers=desk)
    assert off.status_code == 200, off.text
    silent = await client.post(alarms_of(district_a), json={"deviceCode": "JX-SOS-0010", "alarmId": "1"}, headers=key)
    assert silent.status_code == 409
    assert "switched off" in silent.json()["detail"]
    assert (await client.get("/api/dispatch/tickets", headers=desk)).json()["items"] == []


async def test_another_districts_devices_and_households_are_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    desk = staff(issuer, district_a, "hotline_operator")
    theirs = await device(client, issuer, district_b, "JX-SOS-0005")
    assert (await client.get(f"{DEVICES}/{theirs['id']}", headers=desk)).status_code == 404
    assert (await client.patch(f"{DEVICES}/{theirs['id']}", json={"label": "x"}, headers=desk)).status_code == 404
    assert (await client.get(f"{DEVICES}/alarms", params={"deviceId": theirs["id"]}, headers=desk)).status_code == 404
    their_household = {"code": "JX-SOS-0006", "householdId": str(district_b.households[0])}
    assert (await client.post(DEVICES, json=their_household, headers=desk)).status_code == 404
    mine = await device(client, issuer, district_a, "JX-SOS-0007")
    moved = await client.patch(
        f"{DEVICES}/{mine['id']}", json={"householdId": str(district_b.households[0])}, headers=desk
    )
    assert moved.status_code == 404
