"""What the star-rating tests share: rows a district's other areas would hold (commitments, ledger entries),
rounds made through the API, the notice's end moved in the database (never the clock), and the outbox read back."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Commitment, PointsEntry, StarRating
from shared.clock import now
from tests.training.builders import District, bearer

Client = AsyncTestClient[Any]
API = "/api/training"
MEMBER_SCORES = {"political_faith": 22, "rules_discipline": 20, "morals_conduct": 21.5, "dedication_results": 23}


async def add_commitment(
    district: District,
    person_id: uuid.UUID | None = None,
    *,
    unit_id: uuid.UUID | None = None,
    year: str = "2026",
    score: str | None = None,
    title: str = "每月走访独居老人两次",
) -> Commitment:
    async def add(session: AsyncSession) -> Commitment:
        row = Commitment(
            holder_kind="member" if person_id else "party_group",
            person_id=person_id,
            unit_id=unit_id,
            holder_path=district.branch_path,
            holder_name="承诺人",
            period=year,
            title=title,
            content="按月走访并记录",
            basis="post" if person_id else "annual_plan",
            state="evaluated" if score is not None else "published",
            score=Decimal(score) if score is not None else None,
        )
        session.add(row)
        await session.flush()
        return row

    found: Commitment = await district.run(add)
    return found


async def add_points(
    district: District, person_id: uuid.UUID, points: int, at: datetime, *, source_kind: str = "manual"
) -> None:
    async def add(session: AsyncSession) -> None:
        entry_id = uuid.uuid4()
        session.add(
            PointsEntry(
                person_id=person_id,
                category="service" if source_kind != "manual" else "manual",
                points=points,
                reason="测试",
                source_kind=source_kind,
                source_id=entry_id,
                occurred_at=at,
            )
        )

    await district.run(add)


async def template_id(client: Client, token: str, code: str) -> str:
    answer = await client.get(f"{API}/rating-templates", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return next(t["id"] for t in answer.json() if t["code"] == code)


async def new_round(
    client: Client, token: str, district: District, *, kind: str = "member", period: str = "2026H1", **fields: Any
) -> dict[str, Any]:
    code = {"member": "four_speaks_four_haves", "grid_group": "five_goods_grid_group"}.get(
        kind, "five_goods_village_branch"
    )
    body = {
        "name": "2026年上半年党员星级评定",
        "subjectKind": kind,
        "period": period,
        "templateId": await template_id(client, token, code),
        "unitPath": district.branch_path,
        **fields,
    }
    answer = await client.post(f"{API}/ratings", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def score(
    client: Client, token: str, rating_id: str, person_id: uuid.UUID, scores: dict[str, Any] | None = None
) -> Any:
    body = {"personId": str(person_id), "scores": scores or MEMBER_SCORES}
    return await client.post(f"{API}/ratings/{rating_id}/entries", json=body, headers=bearer(token))


async def end_notice(district: District, rating_id: str, *, ago: timedelta = timedelta(minutes=1)) -> None:
    """The notice's days pass: its end moved into the past in the database."""

    async def move(session: AsyncSession) -> None:
        await session.execute(
            update(StarRating).where(StarRating.id == uuid.UUID(rating_id)).values(notice_ends_at=now() - ago)
        )

    await district.run(move)


async def outbox(district: District, event: str) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        rows = await session.execute(
            text("SELECT payload FROM outbox_message WHERE event = :e ORDER BY seq"), {"e": event}
        )
        return [dict(row[0]) for row in rows]

    found: list[dict[str, Any]] = await district.run(read)
    return found


async def count(district: District, model: Any) -> int:
    async def read(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    found: int = await district.run(read)
    return found
