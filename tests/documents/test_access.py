"""Who reads which document (DOC-02), per role and scope: each caller lists exactly the documents they may read, and
every other document of the district is a 404 by id, as is every document of another district."""

from __future__ import annotations

import uuid

from services.documents.library.models import Document, SubjectKind
from tests.documents.boards_support import Client, staff
from tests.documents.builders import District, admin, bearer
from tests.platform.tokens import TestIssuer


async def test_each_role_reads_exactly_what_its_scope_and_subjects_allow(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    first, second = district_a.streets
    village = f"{first}c1/"
    grid = f"{village}g1/"
    member_one, member_two, resident = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    add = district_a.add_document
    docs: dict[str, Document] = {
        "district": await add("全区工作台账", type_code="ledger", anchor_path="/"),
        "street0": await add("第一街道会议纪要", anchor_path=first),
        "street1": await add("第二街道会议纪要", anchor_path=second),
        "village": await add("示例一村会议纪要", anchor_path=village),
        "grid": await add("第一网格台账", type_code="ledger", anchor_path=grid),
        "ticket": await add(
            "抄告单",
            type_code="referral_notice",
            anchor_path=grid,
            subject_kind=SubjectKind.TICKET,
            subject_id=uuid.uuid4(),
        ),
        "household": await add(
            "群众档案",
            type_code="household_archive",
            anchor_path=grid,
            subject_kind=SubjectKind.HOUSEHOLD,
            subject_id=uuid.uuid4(),
        ),
        "card_one": await add(
            "党员信息卡（一）",
            type_code="member_card",
            anchor_path=grid,
            subject_kind=SubjectKind.MEMBER,
            subject_id=uuid.uuid4(),
            about_user_id=member_one,
        ),
        "card_two": await add(
            "党员信息卡（二）",
            type_code="member_card",
            anchor_path=second,
            subject_kind=SubjectKind.MEMBER,
            subject_id=uuid.uuid4(),
            about_user_id=member_two,
        ),
        "resident": await add("服务意见反馈单", type_code="feedback_form", anchor_path=second, created_by=resident),
    }
    elsewhere = await district_b.add_document("另一个区的纪要")

    def token(role: str, scope: str | None = None, user: uuid.UUID | None = None) -> dict[str, str]:
        return bearer(issuer.token(tenant=district_a.id, roles=[role], scope=scope, user_id=user or uuid.uuid4()))

    below_grid = {"grid", "ticket", "household", "card_one"}
    expected: dict[str, tuple[dict[str, str], set[str]]] = {
        "district admin": (bearer(admin(issuer, district_a)), set(docs)),
        "street admin 0": (staff(issuer, district_a, "street_admin", first), {"street0", "village", *below_grid}),
        "street admin 1": (staff(issuer, district_a, "street_admin", second), {"street1", "card_two", "resident"}),
        "community cadre": (token("community_cadre", village), {"village", *below_grid}),
        "grid leader": (token("grid_leader", grid), below_grid),
        "hotline operator": (token("hotline_operator"), {"ticket"}),
        "member one": (token("member", user=member_one), {"card_one"}),
        "member two": (token("member", user=member_two), {"card_two"}),
        "resident": (token("resident", user=resident), {"resident"}),
        "another resident": (token("resident"), set()),
    }
    for who, (headers, readable) in expected.items():
        listed = await client.get("/api/documents/documents", headers=headers)
        assert listed.status_code == 200, (who, listed.text)
        titles = {row["id"] for row in listed.json()["items"]}
        assert titles == {str(docs[name].id) for name in readable}, who
        for name, document in docs.items():
            one = await client.get(f"/api/documents/documents/{document.id}", headers=headers)
            assert one.status_code == (200 if name in readable else 404), (who, name)
        assert (await client.get(f"/api/documents/documents/{elsewhere.id}", headers=headers)).status_code == 404
    other_admin = bearer(admin(issuer, district_b))
    for document in docs.values():
        assert (await client.get(f"/api/documents/documents/{document.id}", headers=other_admin)).status_code == 404
