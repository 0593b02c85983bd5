"""The registry each district starts with, its changes by the district admin, and who reads which document."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from services.documents.library.models import SubjectKind
from tests.documents.builders import District, admin, bearer, street_admin
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def test_a_district_starts_with_the_seeds_types_and_retention_classes(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    answer = await client.get("/api/documents/types", headers=bearer(admin(issuer, district_a)))
    assert answer.status_code == 200
    types = {row["code"]: row for row in answer.json()["items"]}
    assert types["referral_notice"]["name"] == "抄告单"
    assert types["referral_notice"]["origin"] == "generated"
    assert types["household_archive"]["refreshMonths"] == 6
    classes = {
        row["code"]: row
        for row in (
            await client.get("/api/documents/retention-classes", headers=bearer(admin(issuer, district_a)))
        ).json()["items"]
    }
    assert classes["permanent"]["immutable"] is True
    assert classes["permanent"]["years"] is None
    assert classes["three_years"]["years"] == 3


async def test_the_district_admin_changes_a_type_and_bad_changes_name_the_field(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers = bearer(admin(issuer, district_a))
    changed = await client.patch(
        "/api/documents/types/minutes", json={"retentionClass": "long", "name": "会议记录"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["retentionClass"] == "long"
    # district B's copy is its own
    other = await client.get("/api/documents/types/minutes", headers=bearer(admin(issuer, district_b)))
    assert other.json()["retentionClass"] == "ten_years"

    for body, field in (
        ({"retentionClass": "forever"}, "body.retentionClass"),
        ({"visibility": "everyone"}, "body.visibility"),
        ({"maxBytes": "10"}, "body.maxBytes"),
        ({"code": "x"}, "body"),
    ):
        refused = await client.patch("/api/documents/types/minutes", json=body, headers=headers)
        assert refused.status_code in (400, 422), (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field in refused.text, (body, refused.text)
    unchanged = await client.get("/api/documents/types/minutes", headers=headers)
    assert unchanged.json()["name"] == "会议记录"
    assert unchanged.json()["visibility"] == "internal"

    street = bearer(street_admin(issuer, district_a))
    assert (await client.patch("/api/documents/types/minutes", json={"name": "x"}, headers=street)).status_code == 403
    assert (await client.get("/api/documents/types/no_such_type", headers=headers)).status_code == 404


async def test_staff_read_the_documents_under_their_scope_and_another_districts_id_is_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    first = await district_a.add_document("第一街道会议纪要", anchor_path=district_a.streets[0])
    second = await district_a.add_document("第二街道会议纪要", anchor_path=district_a.streets[1])
    elsewhere = await district_b.add_document("另一个区的纪要")

    whole = await client.get("/api/documents/documents", headers=bearer(admin(issuer, district_a)))
    assert {row["id"] for row in whole.json()["items"]} == {str(first.id), str(second.id)}

    street = bearer(street_admin(issuer, district_a, 0))
    listed = await client.get("/api/documents/documents", headers=street)
    assert [row["title"] for row in listed.json()["items"]] == ["第一街道会议纪要"]
    assert listed.json()["items"][0]["version"]["filename"] == "minutes.pdf"
    assert (await client.get(f"/api/documents/documents/{first.id}", headers=street)).status_code == 200
    assert (await client.get(f"/api/documents/documents/{second.id}", headers=street)).status_code == 404
    assert (await client.get(f"/api/documents/documents/{second.id}/versions", headers=street)).status_code == 404
    assert (
        await client.get(f"/api/documents/documents/{elsewhere.id}", headers=bearer(admin(issuer, district_a)))
    ).status_code == 404


async def test_members_read_what_is_about_them_and_the_hotline_reads_tickets_documents(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    member = uuid.uuid4()
    card = await district_a.add_document("党员信息卡", type_code="member_card", about_user_id=member)
    await district_a.add_document("会议纪要")
    notice = await district_a.add_document(
        "抄告单", type_code="referral_notice", subject_kind=SubjectKind.TICKET, subject_id=uuid.uuid4()
    )
    mine = await client.get(
        "/api/documents/documents",
        headers=bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=member)),
    )
    assert [row["id"] for row in mine.json()["items"]] == [str(card.id)]
    desk = await client.get(
        "/api/documents/documents", headers=bearer(issuer.token(tenant=district_a.id, roles=["hotline_operator"]))
    )
    assert [row["id"] for row in desk.json()["items"]] == [str(notice.id)]
    stranger = bearer(issuer.token(tenant=district_a.id, roles=["resident"]))
    assert (await client.get(f"/api/documents/documents/{card.id}", headers=stranger)).status_code == 404
