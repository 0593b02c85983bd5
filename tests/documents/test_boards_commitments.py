"""EVT-17: a commitment published in training goes up on the commitment board of its holder's unit, once, as a
commitment letter record (its public fields, no file yet); a member's is about the member and reads like them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.boards.actors
import services.documents.subjects.actors  # noqa: F401 - both register their handlers on the consumer
from services.documents.boards.models import Publication
from services.documents.events import consumer
from services.documents.library.models import Document
from shared.contracts.orgtree import GridCreated, MemberCreated
from shared.contracts.training import CommitmentPublished
from shared.settings import Settings
from tests.documents.boards_support import Client, open_boards, staff
from tests.documents.builders import District, admin, bearer
from tests.documents.generated_support import deliver
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer


def commitment(district: District, path: str, **overrides: Any) -> CommitmentPublished:
    values: dict[str, Any] = {
        "tenant_id": district.id,
        "commitment_id": uuid.uuid4(),
        "holder_kind": "party_group",
        "holder_id": uuid.uuid4(),
        "holder_path": path,
        "period": "2026",
        "title": "每月走访结对户不少于两次",
        "published_at": datetime(2026, 3, 1, 9, tzinfo=UTC),
        **overrides,
    }
    return CommitmentPublished(**values)


async def rows(district: District, key: str) -> tuple[list[Document], list[Publication]]:
    async def read(session: AsyncSession) -> tuple[list[Document], list[Publication]]:
        documents = list(await session.scalars(select(Document).where(Document.source_key == key)))
        posted = list(await session.scalars(select(Publication).where(Publication.source_key == key)))
        return documents, posted

    found: tuple[list[Document], list[Publication]] = await district.run(read)
    return found


async def test_a_published_commitment_is_posted_once_on_its_units_commitment_board(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    slug = await open_boards(district_a)
    grid = f"{district_a.streets[0]}c1/g1/"
    placed = GridCreated(
        tenant_id=district_a.id,
        grid_id=uuid.uuid4(),
        parent_id=uuid.uuid4(),
        level="grid",
        party_group_id=None,
        name="示例一村第一网格",
        path=grid,
    )
    await deliver(settings, placed)
    event = commitment(district_a, grid)
    raw = envelope(event)
    assert await consumer.handle(raw) is True
    assert await consumer.handle(raw) is False  # the inbox drops the same envelope
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # a replay posts nothing new

    key = f"training.CommitmentPublished:{event.commitment_id}"
    [letter], [posted] = await rows(district_a, key)
    assert (letter.type_code, letter.state, letter.current_version) == ("commitment_letter", "active", 0)
    assert letter.fields == {"title": "每月走访结对户不少于两次", "period": "2026"}
    assert (letter.unit_id, letter.anchor_path) == (event.holder_id, grid)
    assert (posted.board_code, posted.unit_path, posted.unit_name) == ("commitment_board", grid, "示例一村第一网格")

    board = (await client.get(f"/api/documents/public/{slug}/boards/commitment_board")).json()
    [shown] = board["items"]
    assert shown["title"] == "每月走访结对户不少于两次"
    assert shown["fields"] == {"title": "每月走访结对户不少于两次", "period": "2026"}
    assert (shown["hasFile"], shown["unitName"]) == (False, "示例一村第一网格")
    assert shown["publishedAt"].startswith("2026-03-01T09:00:00")
    log = await client.get("/api/documents/boards/commitment_board/log", headers=bearer(admin(issuer, district_a)))
    assert [(e["action"], e["actorId"]) for e in log.json()["items"]] == [("published", None)]


async def test_a_members_commitment_is_about_the_member_and_a_withdrawn_one_is_not_posted_again(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    slug = await open_boards(district_a)
    grid = f"{district_a.streets[0]}c1/g1/"
    member_id, user_id = uuid.uuid4(), uuid.uuid4()
    created = MemberCreated(
        tenant_id=district_a.id,
        member_id=member_id,
        grid_id=uuid.uuid4(),
        branch_id=uuid.uuid4(),
        classification="regular",
        user_id=user_id,
        name="林晓红",
        branch_path=district_a.streets[0],
        grid_path=grid,
    )
    await deliver(settings, created)
    event = commitment(district_a, grid, holder_kind="member", holder_id=uuid.uuid4(), member_id=member_id)
    await deliver(settings, event)
    key = f"training.CommitmentPublished:{event.commitment_id}"
    [letter], [posted] = await rows(district_a, key)
    assert (letter.subject_kind, letter.subject_id, letter.about_user_id) == ("member", member_id, user_id)

    member = bearer(issuer.token(tenant=district_a.id, roles=["member"], user_id=user_id))
    mine = await client.get("/api/documents/documents", headers=member)
    assert [row["id"] for row in mine.json()["items"]] == [str(letter.id)]
    other_street = staff(issuer, district_a, "street_admin", district_a.streets[1])
    assert (await client.get(f"/api/documents/documents/{letter.id}", headers=other_street)).status_code == 404
    elsewhere = bearer(admin(issuer, district_b))
    assert (await client.get(f"/api/documents/documents/{letter.id}", headers=elsewhere)).status_code == 404
    assert (await client.get(f"/api/documents/publications/{posted.id}", headers=elsewhere)).status_code == 404

    withdrawn = await client.post(
        f"/api/documents/publications/{posted.id}/withdraw",
        json={"reason": "承诺已兑现"},
        headers=bearer(admin(issuer, district_a)),
    )
    assert withdrawn.status_code == 200
    await deliver(settings, event)  # redelivered under a new envelope
    assert (await client.get(f"/api/documents/public/{slug}/boards/commitment_board")).json()["items"] == []
    documents, publications = await rows(district_a, key)
    assert (len(documents), len(publications)) == (1, 1)
