"""Who may file a document where (DOC-02): staff under their scope, the hotline about tickets, members, volunteers
and residents about themselves; a unit or subject outside what the caller may file on is not there (404)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import SubjectKind
from services.documents.subjects.directory import remember
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.uploads_support import UPLOADS, Client, file_body, pdf, upload
from tests.platform.tokens import TestIssuer


async def _subject(district: District, kind: str, path: str, user_id: uuid.UUID | None = None) -> uuid.UUID:
    subject_id = uuid.uuid4()

    async def add(session: AsyncSession) -> None:
        await remember(session, kind, subject_id, path, name="张伟", user_id=user_id)

    await district.run(add)
    return subject_id


def _about(kind: str, subject_id: uuid.UUID, type_code: str = "minutes", **extra: Any) -> dict[str, Any]:
    return file_body(type_code, pdf(), "application/pdf", subjectKind=kind, subjectId=str(subject_id), **extra)


async def test_staff_file_on_units_and_subjects_under_their_scope_only(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(street_admin(issuer, district_a, street=0))
    mine, theirs = district_a.streets
    ok = await client.post(UPLOADS, json=file_body("minutes", pdf(), "application/pdf", unitPath=mine), headers=headers)
    assert ok.status_code == 201, ok.text
    other_unit = await client.post(
        UPLOADS, json=file_body("minutes", pdf(), "application/pdf", unitPath=theirs), headers=headers
    )
    assert other_unit.status_code == 404
    assert other_unit.json()["detail"] == "no such unit in this district"

    member_here = await _subject(district_a, SubjectKind.MEMBER, f"{mine}g1/", user_id=uuid.uuid4())
    member_there = await _subject(district_a, SubjectKind.MEMBER, f"{theirs}g1/")
    filed = await client.post(UPLOADS, json=_about("member", member_here), headers=headers)
    assert filed.status_code == 201, filed.text
    assert filed.json()["document"]["subjectId"] == str(member_here)
    assert (await client.post(UPLOADS, json=_about("member", member_there), headers=headers)).status_code == 404
    assert (await client.post(UPLOADS, json=_about("member", uuid.uuid4()), headers=headers)).status_code == 404
    # the district as a whole is the district admin's
    nowhere = await client.post(UPLOADS, json=file_body("minutes", pdf(), "application/pdf"), headers=headers)
    assert nowhere.status_code == 422
    assert nowhere.json()["errors"][0]["field"] == "body.unitPath"
    district_wide = await client.post(
        UPLOADS, json=file_body("minutes", pdf(), "application/pdf"), headers=bearer(admin(issuer, district_a))
    )
    assert district_wide.status_code == 201


async def test_a_document_about_a_member_is_theirs_to_read_when_its_type_lets_them(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    user = uuid.uuid4()
    member = await _subject(district_a, SubjectKind.MEMBER, f"{district_a.streets[0]}g2/", user_id=user)
    staff = bearer(street_admin(issuer, district_a))
    data = pdf()
    card, confirmed = await upload(client, staff, _about("member", member, "member_card"), data)  # visibility: subject
    assert confirmed.status_code == 200
    _minutes, confirmed = await upload(client, staff, _about("member", member, "minutes"), data)  # internal
    assert confirmed.status_code == 200
    theirs = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=user))
    listed = await client.get("/api/documents/documents", headers=theirs)
    assert [row["id"] for row in listed.json()["items"]] == [card["document"]["id"]]


async def test_the_hotline_files_about_tickets_it_knows(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(issuer.token(tenant=district_a.id, roles=["hotline_operator"]))
    ticket = await _subject(district_a, SubjectKind.TICKET, f"{district_a.streets[1]}g3/")
    filed = await client.post(UPLOADS, json=_about("ticket", ticket, "callback_record"), headers=headers)
    assert filed.status_code == 201, filed.text
    unknown = await client.post(UPLOADS, json=_about("ticket", uuid.uuid4(), "callback_record"), headers=headers)
    assert unknown.status_code == 404
    on_a_unit = await client.post(
        UPLOADS, json=file_body("minutes", pdf(), "application/pdf", unitPath=district_a.streets[0]), headers=headers
    )
    assert on_a_unit.status_code == 422
    assert on_a_unit.json()["errors"][0]["field"] == "body.subjectKind"


async def test_members_file_only_documents_about_themselves(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    user = uuid.uuid4()
    me = await _subject(district_a, SubjectKind.MEMBER, f"{district_a.streets[0]}g4/", user_id=user)
    someone = await _subject(district_a, SubjectKind.MEMBER, f"{district_a.streets[0]}g4/", user_id=uuid.uuid4())
    headers = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=user))
    data = pdf()
    mine, confirmed = await upload(client, headers, _about("member", me, "mobile_certificate"), data)
    assert confirmed.status_code == 200, confirmed.text
    assert (
        await client.post(UPLOADS, json=_about("member", someone, "mobile_certificate"), headers=headers)
    ).status_code == 404
    internal = await client.post(UPLOADS, json=_about("member", me, "minutes"), headers=headers)
    assert internal.status_code == 422
    assert internal.json()["errors"][0]["field"] == "body.typeCode"
    on_a_unit = await client.post(
        UPLOADS,
        json=file_body("mobile_certificate", data, "application/pdf", unitPath=district_a.streets[0]),
        headers=headers,
    )
    assert on_a_unit.status_code == 404
    # without a subject: about themselves, read by them (and the district's admins), not by the street's staff
    own, confirmed = await upload(client, headers, file_body("mobile_certificate", data, "application/pdf"), data)
    assert confirmed.status_code == 200
    ids = [row["id"] for row in (await client.get("/api/documents/documents", headers=headers)).json()["items"]]
    assert sorted(ids) == sorted([mine["document"]["id"], own["document"]["id"]])
    street = bearer(street_admin(issuer, district_a))
    seen = [row["id"] for row in (await client.get("/api/documents/documents", headers=street)).json()["items"]]
    assert mine["document"]["id"] in seen
    assert own["document"]["id"] not in seen
