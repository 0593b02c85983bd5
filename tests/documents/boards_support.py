"""Boards in a test district: its seeded boards and public slug, staff tokens by role and scope, public documents."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from services.documents.boards.catalogue import prepare_boards
from services.documents.library.models import Document, DocumentState
from tests.documents.builders import District, bearer
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


async def open_boards(district: District) -> str:
    """Seed the district's boards and record a slug of its own (the gateway's TenantProvisioned does this)."""
    slug = f"d-{district.id.hex[:12]}"
    await district.run(lambda session: prepare_boards(session, slug, district.name))
    return slug


def staff(issuer: TestIssuer, district: District, role: str, scope: str | None, name: str = "王主任") -> dict[str, str]:
    return bearer(issuer.token(tenant=district.id, roles=[role], scope=scope, user_id=uuid.uuid4(), name=name))


async def regulation(
    district: District, title: str = "村务公开制度", *, street: int = 0, state: str = DocumentState.ACTIVE
) -> Document:
    """A public regulation on a street, with public fields and one that is not (its drafter)."""
    values = {"effectiveFrom": "2026-01-01", "trial": True, "drafter": "张三"}
    return await district.add_document(
        title,
        type_code="regulation",
        anchor_path=district.streets[street],
        fields=values,
        unit_name="瑶溪街道",
        state=state,
    )


async def publish(
    client: Client, headers: dict[str, str], document: Document, board: str = "three_affairs", **body: Any
) -> Any:
    return await client.post(
        f"/api/documents/boards/{board}/publications", json={"documentId": str(document.id), **body}, headers=headers
    )
