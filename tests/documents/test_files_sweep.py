"""Uploads nobody confirmed (DOC-03): the sweep removes what arrived (and open multipart uploads), marks the version
rejected and drops the pending document it was the first file of."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.files.sweep import JOBS, sweep_pending_uploads
from services.documents.library.models import DocumentVersion
from shared.settings import Settings
from tests.documents.builders import District, admin, bearer
from tests.documents.uploads_support import (
    UPLOADS,
    app_with,
    document_prefix,
    file_body,
    granted,
    incomplete_uploads,
    keys_under,
    pdf,
    send,
    upload,
)
from tests.platform.tokens import TestIssuer

MiB = 1024 * 1024


async def _age(district: District, version_id: str, hours: int = 2) -> None:
    async def move(session: AsyncSession) -> None:
        await session.execute(
            update(DocumentVersion)
            .where(DocumentVersion.id == uuid.UUID(version_id))
            .values(created_at=DocumentVersion.created_at - timedelta(hours=hours))
        )

    await district.run(move)


def test_the_sweep_runs_every_few_minutes() -> None:
    [job] = [job for job in JOBS if job.name == "documents.pending_uploads"]
    assert job.interval_s == 300


async def test_the_sweep_removes_unconfirmed_uploads_and_their_pending_documents(
    settings: Settings, issuer: TestIssuer, district_a: District, monkeypatch: Any
) -> None:
    headers = bearer(admin(issuer, district_a))
    async with app_with(settings, issuer, monkeypatch, multipart_threshold_bytes=6 * MiB, part_bytes=5 * MiB) as app:
        # a whole file sent but never confirmed
        small = pdf()
        on_street = {"unitPath": district_a.streets[0]}
        single = await granted(app, headers, file_body("minutes", small, "application/pdf", **on_street))
        await send(single["upload"], small)
        # a multipart upload with one part sent
        large = pdf(7 * MiB)
        parted = await granted(app, headers, file_body("minutes", large, "application/pdf", **on_street))
        first = parted["upload"]["parts"][0]
        await send({"partBytes": 5 * MiB, "parts": [first]}, large)
        # a new version of a stored document, never sent
        stored, confirmed = await upload(
            app, headers, file_body("minutes", small, "application/pdf", **on_street), small
        )
        assert confirmed.status_code == 200
        change = {"filename": "v2.pdf", "contentType": "application/pdf", "sizeBytes": 100, "changeNote": "改"}
        versions = f"/api/documents/documents/{stored['document']['id']}/versions"
        newer = (await app.post(versions, json=change, headers=headers)).json()
        # a fresh upload stays
        fresh = await granted(app, headers, file_body("minutes", small, "application/pdf", **on_street))

        for grant in (single, parted, newer):
            await _age(district_a, grant["versionId"])
        parted_key = f"{document_prefix(district_a.id, parted['document']['id'])}1"
        assert incomplete_uploads(settings, parted_key) != []

        assert await sweep_pending_uploads(settings) >= 3
        assert keys_under(settings, document_prefix(district_a.id, single["document"]["id"])) == []
        assert incomplete_uploads(settings, parted_key) == []
        for gone in (single, parted):
            answer = await app.get(f"/api/documents/documents/{gone['document']['id']}", headers=headers)
            assert answer.status_code == 404
        kept = await app.get(f"/api/documents/documents/{stored['document']['id']}", headers=headers)
        assert kept.json()["currentVersion"] == 1
        late = await app.post(f"{UPLOADS}/{newer['versionId']}/confirm", json={}, headers=headers)
        assert late.status_code == 409
        # the fresh one was left alone and still confirms
        await send(fresh["upload"], small)
        confirmed = await app.post(f"{UPLOADS}/{fresh['versionId']}/confirm", json={}, headers=headers)
        assert confirmed.status_code == 200
