"""Staff's boards (DOC-06): posting a public document on a unit's board shows only its public fields; refusals name
why and store nothing; withdrawals with their reason; the publish and withdraw log; another district's ids 404."""

from __future__ import annotations

import uuid

from services.documents.library.models import DocumentState
from tests.documents.boards_support import Client, open_boards, publish, regulation, staff
from tests.documents.builders import District, admin, bearer, street_admin
from tests.platform.tokens import TestIssuer

BOARDS = "/api/documents/boards"


async def test_a_district_starts_with_its_four_boards_which_staff_read(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await open_boards(district_a)
    listed = await client.get(BOARDS, headers=bearer(admin(issuer, district_a)))
    assert listed.status_code == 200, listed.text
    assert [(b["code"], b["name"], b["published"]) for b in listed.json()["items"]] == [
        ("three_affairs", "三务公开栏", 0),
        ("performance_wall", "党员考绩墙", 0),
        ("commitment_board", "承诺践诺公示栏", 0),
        ("supervision_board", "党员监督台", 0),
    ]
    for role in ("member", "resident", "hotline_operator"):
        headers = bearer(issuer.token(tenant=district_a.id, roles=[role]))
        assert (await client.get(BOARDS, headers=headers)).status_code == 403, role


async def test_a_posted_document_shows_its_title_public_fields_and_date_only(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await open_boards(district_a)
    document = await regulation(district_a)
    headers = staff(issuer, district_a, "street_admin", district_a.streets[0], name="王主任")
    posted = await publish(client, headers, document, note="请村民监督")
    assert posted.status_code == 201, posted.text
    body = posted.json()
    assert body["title"] == "村务公开制度"
    assert body["fields"] == {"effectiveFrom": "2026-01-01", "trial": True}  # the drafter is not public
    assert body["unitPath"] == district_a.streets[0]
    assert body["unitName"] == "瑶溪街道"
    assert (body["state"], body["shown"], body["hasFile"]) == ("published", True, True)
    assert body["publishedByName"] == "王主任"
    assert body["publishedAt"]

    listed = await client.get(f"{BOARDS}/three_affairs/publications", headers=headers)
    assert [row["id"] for row in listed.json()["items"]] == [body["id"]]
    assert (await client.get(f"{BOARDS}/three_affairs/publications?state=withdrawn", headers=headers)).json()[
        "items"
    ] == []
    assert (await client.get(f"{BOARDS}/supervision_board/publications", headers=headers)).json()["items"] == []
    counts = {b["code"]: b["published"] for b in (await client.get(BOARDS, headers=headers)).json()["items"]}
    assert counts["three_affairs"] == 1
    other_street = staff(issuer, district_a, "street_admin", district_a.streets[1])
    assert (await client.get(f"{BOARDS}/three_affairs/publications", headers=other_street)).json()["items"] == []

    log = (await client.get(f"{BOARDS}/three_affairs/log", headers=headers)).json()["items"]
    assert [(e["action"], e["title"], e["actorName"], e["publicationId"]) for e in log] == [
        ("published", "村务公开制度", "王主任", body["id"])
    ]


async def test_a_posting_on_another_unit_within_scope_and_refusals_that_name_why(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await open_boards(district_a)
    document = await regulation(district_a)
    street = staff(issuer, district_a, "street_admin", district_a.streets[0])
    village = f"{district_a.streets[0]}c1/"
    on_village = await publish(
        client, street, document, unitPath=village, unitName="示例一村", unitId=str(uuid.uuid4())
    )
    assert on_village.status_code == 201, on_village.text
    assert (on_village.json()["unitPath"], on_village.json()["unitName"]) == (village, "示例一村")

    minutes = await district_a.add_document("会议纪要", type_code="minutes")
    internal = await publish(client, street, minutes)
    assert internal.status_code == 409
    assert "minutes" in internal.json()["detail"]
    assert "not public" in internal.json()["detail"]
    deleted = await regulation(district_a, "已删除的制度", state=DocumentState.DELETED)
    gone = await publish(client, street, deleted)
    assert gone.status_code == 409
    assert "deleted" in gone.json()["detail"]
    again = await publish(client, street, document, unitPath=village)
    assert again.status_code == 409
    assert "already published" in again.json()["detail"]
    elsewhere = await publish(client, street, document, unitPath=district_a.streets[1])
    assert elsewhere.status_code == 403
    assert "body.unitPath" in elsewhere.json()["detail"]
    other_streets = await regulation(district_a, "第二街道制度", street=1)
    assert (await publish(client, street, other_streets)).status_code == 404  # not theirs to read
    assert (await publish(client, street, document, board="no_such_board")).status_code == 404
    for body, field in (
        ({"documentId": "not-an-id"}, "body.documentId"),
        ({"documentId": str(document.id), "unitPath": "street"}, "body.unitPath"),
        ({"documentId": str(document.id), "note": ""}, "body.note"),
        ({"documentId": str(document.id), "pinned": True}, "body"),
        ({}, "documentId"),
    ):
        refused = await client.post(f"{BOARDS}/three_affairs/publications", json=body, headers=street)
        assert refused.status_code in (400, 422), (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field in refused.text, (body, refused.text)
    listed = await client.get(f"{BOARDS}/three_affairs/publications", headers=bearer(admin(issuer, district_a)))
    assert [row["id"] for row in listed.json()["items"]] == [on_village.json()["id"]]  # nothing else stored
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await publish(client, member, document)).status_code == 403


async def test_a_withdrawal_keeps_the_record_with_its_reason_and_the_log_shows_both(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    await open_boards(district_a)
    document = await regulation(district_a)
    street = staff(issuer, district_a, "street_admin", district_a.streets[0], name="李书记")
    posted = (await publish(client, street, document)).json()
    withdraw = f"/api/documents/publications/{posted['id']}/withdraw"

    other_street = staff(issuer, district_a, "street_admin", district_a.streets[1])
    assert (await client.post(withdraw, json={"reason": "x"}, headers=other_street)).status_code == 404
    empty = await client.post(withdraw, json={"reason": ""}, headers=street)
    assert empty.status_code in (400, 422)
    assert "body.reason" in empty.text
    done = await client.post(withdraw, json={"reason": "公示期满"}, headers=street)
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["shown"], done.json()["withdrawReason"]) == (
        "withdrawn",
        False,
        "公示期满",
    )
    assert done.json()["withdrawnByName"] == "李书记"
    twice = await client.post(withdraw, json={"reason": "再次"}, headers=street)
    assert twice.status_code == 409

    log = (await client.get(f"{BOARDS}/three_affairs/log", headers=street)).json()["items"]
    assert [(e["action"], e["reason"], e["actorName"]) for e in log] == [
        ("withdrawn", "公示期满", "李书记"),
        ("published", None, "李书记"),
    ]
    withdrawn = await client.get(f"{BOARDS}/three_affairs/publications?state=withdrawn", headers=street)
    assert [row["id"] for row in withdrawn.json()["items"]] == [posted["id"]]
    assert (await publish(client, street, document)).status_code == 201  # it may go up again


async def test_another_districts_publications_and_documents_are_404s(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await open_boards(district_a)
    await open_boards(district_b)
    document = await regulation(district_a)
    posted = (await publish(client, bearer(admin(issuer, district_a)), document)).json()
    other = bearer(admin(issuer, district_b))
    assert (await client.get(f"/api/documents/publications/{posted['id']}", headers=other)).status_code == 404
    withdrawn = await client.post(
        f"/api/documents/publications/{posted['id']}/withdraw", json={"reason": "x"}, headers=other
    )
    assert withdrawn.status_code == 404
    assert (await publish(client, other, document)).status_code == 404
    assert (await client.get(f"{BOARDS}/three_affairs/publications", headers=other)).json()["items"] == []
    assert (await client.get(f"{BOARDS}/three_affairs/log", headers=other)).json()["items"] == []
    mine = await client.get(f"/api/documents/publications/{posted['id']}", headers=bearer(admin(issuer, district_a)))
    assert mine.status_code == 200
    street = bearer(street_admin(issuer, district_a, 1))
    assert (await client.get(f"/api/documents/publications/{posted['id']}", headers=street)).status_code == 404
