"""Meeting agendas (DSP-21 [000, 003]): a village's or street's meeting gets the open cases of its subtree standing at
its rungs of the ladder; the meeting's outcomes (resolved, escalated, referred with a notice, discussed) are applied
to the cases together through the tickets' own moves, all or none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from shared.clock import china_today
from tests.dispatch.builders import District, open_ticket, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
AGENDAS = "/api/dispatch/agendas"


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def case_at(client: Client, issuer: TestIssuer, district: District, level: int, title: str) -> dict[str, Any]:
    """An open case climbed to ``level`` of the ladder, one rung at a time."""
    ticket = await open_ticket(client, issuer, district, title=title)
    admin = staff(issuer, district)
    for rung in range(1, level + 1):
        moved = await client.post(
            f"/api/dispatch/tickets/{ticket['id']}/escalations",
            json={"toLevel": rung, "reason": "网格无法解决"},
            headers=admin,
        )
        assert moved.status_code == 200, moved.text
    return ticket


async def ticket(client: Client, headers: dict[str, str], ticket_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await client.get(f"/api/dispatch/tickets/{ticket_id}", headers=headers)).json()
    return found


async def meeting(client: Client, headers: dict[str, str], kind: str, unit: object) -> dict[str, Any]:
    body = {"kind": kind, "unitId": str(unit), "attendees": ["村书记（示例）", "红领队长（示例）"]}
    response = await client.post(f"{AGENDAS}/meetings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


async def test_the_village_meeting_takes_up_its_open_cases_and_its_outcomes_move_them(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    below = await open_ticket(client, issuer, district_a, title="网格里的事")
    lamp = await case_at(client, issuer, district_a, 1, "路灯不亮")
    road = await case_at(client, issuer, district_a, 1, "村道破损")
    dog = await case_at(client, issuer, district_a, 1, "流浪犬扰民")

    preview = await client.get(
        f"{AGENDAS}/preview", params={"kind": "issue_meeting", "unitId": str(district_a.village)}, headers=admin
    )
    assert preview.status_code == 200, preview.text
    assert {c["ticketTitle"] for c in preview.json()["cases"]} == {"路灯不亮", "村道破损", "流浪犬扰民"}
    assert {c["levelName"] for c in preview.json()["cases"]} == {"村红领提事会"}
    talk = await client.get(
        f"{AGENDAS}/preview", params={"kind": "democratic_talk", "unitId": str(district_a.village)}, headers=admin
    )
    assert below["id"] in {c["ticketId"] for c in talk.json()["cases"]}

    held = await meeting(client, admin, "issue_meeting", district_a.village)
    assert held["title"] == f"瑶溪村红领提事会（{china_today().isoformat()}）"
    items = {c["ticketId"]: c["id"] for c in held["agenda"]}
    assert set(items) == {lamp["id"], road["id"], dog["id"]}
    outcomes = [
        {"itemId": items[lamp["id"]], "outcome": "resolved", "note": "村委已更换灯泡"},
        {"itemId": items[road["id"]], "outcome": "escalated", "note": "需党员议事会集体决定修路经费"},
        {"itemId": items[dog["id"]], "outcome": "discussed", "note": "下周联系防疫站"},
    ]
    decided = await client.post(f"{AGENDAS}/meetings/{held['id']}/outcomes", json={"outcomes": outcomes}, headers=admin)
    assert decided.status_code == 200, decided.text
    assert decided.json()["decided"] == 3
    assert (await ticket(client, admin, lamp["id"]))["status"] == "resolved"
    assert (await ticket(client, admin, road["id"]))["level"] == 2
    assert (await ticket(client, admin, dog["id"]))["status"] == "assigned"
    history = (await client.get(f"/api/dispatch/tickets/{dog['id']}/history", headers=admin)).json()
    assert any(h["action"] == "noted" and "下周联系防疫站" in (h["reason"] or "") for h in history)
    again = await client.post(
        f"{AGENDAS}/meetings/{held['id']}/outcomes", json={"outcomes": outcomes[:1]}, headers=admin
    )
    assert again.status_code == 409

    council = await client.get(
        f"{AGENDAS}/preview", params={"kind": "member_council", "unitId": str(district_a.village)}, headers=admin
    )
    assert [c["ticketId"] for c in council.json()["cases"]] == [road["id"]]
    listed = (await client.get(f"{AGENDAS}/meetings", headers=admin)).json()
    assert [(m["kind"], m["cases"], m["decided"]) for m in listed] == [("issue_meeting", 3, 3)]


async def test_the_street_supervision_meeting_refers_a_case_with_a_notice(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    hard = await case_at(client, issuer, district_a, 3, "违建占道")
    held = await meeting(client, admin, "supervision_meeting", district_a.street)
    (item,) = held["agenda"]
    due = (china_today() + timedelta(days=10)).isoformat()
    outcome = {
        "itemId": item["id"],
        "outcome": "referred",
        "note": "限期拆除",
        "responsibleUnit": "街道城管中队",
        "responsiblePerson": "周队长",
        "dueOn": due,
    }
    decided = await client.post(
        f"{AGENDAS}/meetings/{held['id']}/outcomes", json={"outcomes": [outcome]}, headers=admin
    )
    assert decided.status_code == 200, decided.text
    (case,) = decided.json()["agenda"]
    assert case["referralNumber"].startswith("抄告〔")
    notices = (await client.get(f"/api/dispatch/tickets/{hard['id']}/referrals", headers=admin)).json()
    assert [(n["number"], n["responsibleUnit"]) for n in notices] == [(case["referralNumber"], "街道城管中队")]


async def test_outcomes_apply_all_or_none_and_bad_input_names_the_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = staff(issuer, district_a)
    first = await case_at(client, issuer, district_a, 1, "路灯不亮")
    second = await case_at(client, issuer, district_a, 1, "垃圾清运")
    held = await meeting(client, admin, "issue_meeting", district_a.village)
    items = {c["ticketId"]: c["id"] for c in held["agenda"]}
    url = f"{AGENDAS}/meetings/{held['id']}/outcomes"
    mixed = [
        {"itemId": items[first["id"]], "outcome": "resolved", "note": "已修复"},
        # a referral notice is the street supervision meeting's: refused, and the resolution above is undone too
        {
            "itemId": items[second["id"]],
            "outcome": "referred",
            "note": "交城管",
            "responsibleUnit": "城管中队",
            "responsiblePerson": "周队长",
            "dueOn": (china_today() + timedelta(days=5)).isoformat(),
        },
    ]
    refused = await client.post(url, json={"outcomes": mixed}, headers=admin)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(f"case {second['number']}:")
    assert (await ticket(client, admin, first["id"]))["status"] == "assigned"

    one = items[first["id"]]
    for body, field in (
        ({"outcomes": [{"itemId": one, "outcome": "fixed", "note": "已修复"}]}, "body.outcomes[0].outcome"),
        ({"outcomes": [{"itemId": one, "outcome": "referred", "note": "交办"}]}, "body.outcomes[0].responsibleUnit"),
        (
            {
                "outcomes": [
                    {"itemId": one, "outcome": "resolved", "note": "已修好"},
                    {"itemId": one, "outcome": "discussed", "note": "再议"},
                ]
            },
            "body.outcomes[1].itemId",
        ),
        (
            {"outcomes": [{"itemId": str(first["id"]), "outcome": "resolved", "note": "已修复"}]},
            "body.outcomes[0].itemId",
        ),
        ({"outcomes": []}, "body.outcomes"),
    ):
        response = await client.post(url, json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert field in fields(response), (body, response.text)
    for meeting_body, field in (
        ({"kind": "tea_party", "unitId": str(district_a.village)}, "body.kind"),
        ({"kind": "issue_meeting", "unitId": str(district_a.village), "heldOn": "2099-01-01"}, "body.heldOn"),
        ({"kind": "issue_meeting", "unitId": "瑶溪村"}, "body.unitId"),
    ):
        response = await client.post(f"{AGENDAS}/meetings", json=meeting_body, headers=admin)
        assert response.status_code == 422, (meeting_body, response.text)
        assert field in fields(response), (meeting_body, response.text)
    street_meeting = await client.post(
        f"{AGENDAS}/meetings", json={"kind": "issue_meeting", "unitId": str(district_a.street)}, headers=admin
    )
    assert street_meeting.status_code == 404  # the issue meeting is a village's: the street is no village
    assert len((await client.get(f"{AGENDAS}/meetings", headers=admin)).json()) == 1


async def test_another_districts_meeting_and_unit_are_not_found(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin_a, admin_b = staff(issuer, district_a), staff(issuer, district_b)
    await case_at(client, issuer, district_a, 1, "路灯不亮")
    held = await meeting(client, admin_a, "issue_meeting", district_a.village)
    assert (await client.get(f"{AGENDAS}/meetings/{held['id']}", headers=admin_b)).status_code == 404
    outcome = {"itemId": held["agenda"][0]["id"], "outcome": "resolved", "note": "已修复"}
    assert (
        await client.post(f"{AGENDAS}/meetings/{held['id']}/outcomes", json={"outcomes": [outcome]}, headers=admin_b)
    ).status_code == 404
    theirs = {"kind": "issue_meeting", "unitId": str(district_a.village)}
    assert (await client.post(f"{AGENDAS}/meetings", json=theirs, headers=admin_b)).status_code == 404
    preview = await client.get(f"{AGENDAS}/preview", params=theirs, headers=admin_b)
    assert preview.status_code == 404
    mine = await meeting(client, admin_b, "issue_meeting", district_b.village)
    assert mine["agenda"] == []
