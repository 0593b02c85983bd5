"""A district as documents sees it: the seeded registry, and documents written straight to the database (uploads
themselves are tested through the API)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.types.catalogue import seed_registry
from shared.clock import now
from shared.context import tenant_scope
from shared.db.engine import make_sessionmaker
from shared.storage import tenant_key
from tests.platform.tokens import TestIssuer


@dataclass
class District:
    id: uuid.UUID
    engine: AsyncEngine
    name: str = ""
    # two streets of one district, as C-collated orgtree paths
    root: str = ""
    streets: list[str] = field(default_factory=list)

    def session(self) -> AsyncSession:
        return make_sessionmaker(self.engine)()

    async def run(self, work: Any) -> Any:
        """Run ``await work(session)`` in one transaction of this district."""
        with tenant_scope(self.id):
            async with self.session() as session, session.begin():
                return await work(session)

    async def add_document(
        self,
        title: str = "瑶溪街道会议纪要",
        *,
        type_code: str = "minutes",
        anchor_path: str | None = None,
        subject_kind: str | None = None,
        subject_id: uuid.UUID | None = None,
        created_by: uuid.UUID | None = None,
        about_user_id: uuid.UUID | None = None,
        retention_class: str = "ten_years",
        immutable: bool = False,
        fields: dict[str, Any] | None = None,
        unit_name: str | None = None,
        state: str = DocumentState.ACTIVE,
    ) -> Document:
        """An active document with one stored version (its object is not in the store)."""

        async def add(session: AsyncSession) -> Document:
            path = anchor_path or self.streets[0]
            document = Document(
                type_code=type_code,
                title=title,
                unit_path=path if subject_kind is None else None,
                unit_name=unit_name,
                subject_kind=subject_kind,
                subject_id=subject_id,
                subject_path=path if subject_kind else None,
                anchor_path=path,
                about_user_id=about_user_id,
                state=state,
                current_version=1,
                fields=fields or {},
                retention_class=retention_class,
                immutable=immutable,
                created_by=created_by,
                created_by_name="测试",
            )
            session.add(document)
            await session.flush()
            body = title.encode()
            session.add(
                DocumentVersion(
                    document_id=document.id,
                    number=1,
                    state=VersionState.STORED,
                    object_key=tenant_key(self.id, "documents", document.id, 1),
                    filename="minutes.pdf",
                    content_type="application/pdf",
                    declared_bytes=len(body),
                    size_bytes=len(body),
                    sha256=hashlib.sha256(body).digest(),
                    stored_at=now(),
                )
            )
            return document

        result: Document = await self.run(add)
        return result


async def make_district(engine: AsyncEngine, name: str) -> District:
    district = District(id=uuid.uuid4(), engine=engine, name=name)
    district.root = f"/{district.id.hex[:8]}/"
    district.streets = [f"{district.root}{uuid.uuid4().hex[:8]}/" for _ in range(2)]
    await district.run(seed_registry)
    return district


def admin(issuer: TestIssuer, district: District, **claims: Any) -> str:
    return issuer.token(tenant=district.id, roles=["district_admin"], **claims)


def street_admin(issuer: TestIssuer, district: District, street: int = 0, **claims: Any) -> str:
    return issuer.token(tenant=district.id, roles=["street_admin"], scope=district.streets[street], **claims)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
