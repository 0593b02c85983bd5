"""Imports run as jobs by orgtree's worker: queued with the file, progress visible from other connections while the
import's transaction is open, nothing stored when a row fails (the report names it), the rows there once fixed;
refusals as problem+json; another district's (or another user's) job is a 404."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import services.orgtree.bulk.actors  # noqa: F401  - registers the job handler on the consumer
from services.orgtree.bulk import runner, stalls
from services.orgtree.bulk.models import ImportJob
from services.orgtree.events import consumer
from services.orgtree.models import Member
from shared.context import tenant_scope
from shared.contracts.orgtree import ImportQueued
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.orgtree.conftest import District, bearer
from tests.orgtree.test_bulk import ADMIN, MEMBER_HEADER, XLSX, count, member_row, setup_units, xlsx
from tests.platform.events import envelope
from tests.platform.tokens import TestIssuer

PROBLEM = "application/problem+json"


async def queue(
    client: AsyncTestClient, headers: dict[str, str], kind: str, body: bytes, query: str = ""
) -> dict[str, Any]:
    response = await client.post(
        f"/api/orgtree/imports/{kind}/jobs{query}", content=body, headers={**headers, "Content-Type": XLSX}
    )
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


async def work(settings: Settings, district: District, job: dict[str, Any]) -> None:
    """What orgtree's worker does with the job's ImportQueued event."""
    consumer._settings = settings
    assert await consumer.handle(envelope(ImportQueued(tenant_id=district.id, job_id=uuid.UUID(job["id"]))))


async def job_of(client: AsyncTestClient, headers: dict[str, str], job: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/api/orgtree/imports/jobs/{job['id']}", headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def test_a_bad_row_stores_nothing_and_its_report_names_it_then_the_fixed_file_goes_in(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings, orgtree_db: AsyncEngine
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    await setup_units(client, issuer, district_a)
    rows = [member_row(seq) for seq in range(1, 31)]
    rows[6][5] = "老党员"  # not a classification: row 8 as Excel shows it
    queued = await queue(client, admin, "members", xlsx(MEMBER_HEADER, rows, "党员"))
    assert (queued["state"], queued["total"], queued["checked"], queued["format"]) == ("queued", 30, 0, "xlsx")

    await work(settings, district_a, queued)
    failed = await job_of(client, admin, queued)
    assert (failed["state"], failed["errorCount"], failed["stored"]) == ("failed", 1, 0)
    assert [(e["row"], e["column"]) for e in failed["errors"]] == [(8, "党员类别")]
    assert await count(orgtree_db, district_a.id, Member) == 0
    report = await client.get(f"/api/orgtree/imports/jobs/{queued['id']}/report", headers=admin)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith(XLSX)
    sheet = load_workbook(io.BytesIO(report.content), read_only=True).worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert lines[0] == ["行号", "列", "问题"]
    assert [line[:2] for line in lines[1:]] == [[8, "党员类别"]]
    assert "老党员" in lines[1][2]
    problems = (await client.get(f"/api/orgtree/imports/jobs/{queued['id']}/problems", headers=admin)).json()
    assert problems["errors"] == [{"row": 8, "column": "党员类别", "message": lines[1][2]}]  # every one, as JSON

    rows[6][5] = "在职党员"
    fixed = await queue(client, admin, "members", xlsx(MEMBER_HEADER, rows, "党员"))
    await work(settings, district_a, fixed)
    done = await job_of(client, admin, fixed)
    assert (done["state"], done["total"], done["checked"], done["stored"]) == ("succeeded", 30, 30, 30)
    assert done["created"] == {"members": 30, "membershipTransfers": 30}
    assert done["errors"] == []
    assert done["finishedAt"] is not None
    assert await count(orgtree_db, district_a.id, Member) == 30
    not_failed = await client.get(f"/api/orgtree/imports/jobs/{fixed['id']}/report", headers=admin)
    assert not_failed.status_code == 409
    listed = (await client.get("/api/orgtree/imports/jobs", headers=admin)).json()
    assert [j["id"] for j in listed][:2] == [fixed["id"], queued["id"]]
    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            kept = await session.scalars(select(ImportJob.content).where(ImportJob.id.in_([queued["id"], fixed["id"]])))
            assert list(kept) == [None, None]  # the files are dropped once the jobs end
    # a second delivery of the same event (a new envelope) finds the job finished and does nothing
    await work(settings, district_a, fixed)
    assert await count(orgtree_db, district_a.id, Member) == 30


class Watched:
    """Reads the job from a third connection right after each progress write: what the console would see."""

    def __init__(self, settings: Settings, job_id: str) -> None:
        self.engine = make_engine(settings, "orgtree", "app", pool_size=1)
        self.job_id = job_id
        self.seen: list[tuple[str, int, int, int | None]] = []

    async def look(self, tenant: uuid.UUID) -> None:
        with tenant_scope(tenant):
            async with make_sessionmaker(self.engine)() as session, session.begin():
                job = await session.get(ImportJob, uuid.UUID(self.job_id))
                assert job is not None
                self.seen.append((job.state, job.checked, job.stored, job.total))


async def test_progress_is_visible_while_the_import_runs(  # noqa: PLR0917 - pytest fixtures
    client: AsyncTestClient,
    issuer: TestIssuer,
    district_a: District,
    settings: Settings,
    orgtree_db: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    await setup_units(client, issuer, district_a)
    queued = await queue(client, admin, "members", xlsx(MEMBER_HEADER, [member_row(s) for s in range(1, 501)], "党员"))
    watched = Watched(settings, queued["id"])
    writes = runner.JobProgress.write

    async def write_and_look(self: runner.JobProgress, *, force: bool = False, **values: object) -> None:
        await writes(self, force=True, **values)  # every report written, to see each one
        await watched.look(district_a.id)

    monkeypatch.setattr(runner.JobProgress, "write", write_and_look)
    try:
        await work(settings, district_a, queued)
    finally:
        await watched.engine.dispose()
    states = [seen[0] for seen in watched.seen]
    assert states[0] == "checking"
    assert "storing" in states
    assert "succeeded" not in states
    checked = [c for state, c, _, _ in watched.seen if state == "checking"]
    assert checked == sorted(checked)
    assert any(0 < c < 500 for c in checked)
    assert checked[-1] == 500
    stored = [s for state, _, s, _ in watched.seen if state == "storing"]
    assert stored[0] == 0
    assert stored[-1] == 500
    assert {total for *_, total in watched.seen} == {500}
    assert (await job_of(client, admin, queued))["state"] == "succeeded"


async def test_refusals_are_problems_and_jobs_are_their_requesters(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District, settings: Settings
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    body = xlsx(MEMBER_HEADER, [member_row(1)], "党员")

    unknown = await client.post("/api/orgtree/imports/people/jobs", content=body, headers=admin)
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith(PROBLEM)
    assert "kind" in unknown.text

    for wrong, why in ((b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a spreadsheet"), (b"PK\x03\x04broken", ".xlsx")):
        refused = await client.post("/api/orgtree/imports/members/jobs", content=wrong, headers=admin)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith(PROBLEM)
        assert [e["field"] for e in refused.json()["errors"]] == ["file"]
        assert why in refused.json()["detail"]

    too_large = await client.post(
        "/api/orgtree/imports/members/jobs", content=b"a" * (64 * 1024 * 1024 + 1), headers=admin
    )
    assert too_large.status_code == 413
    assert too_large.headers["content-type"].startswith(PROBLEM)

    not_a_flag = await client.post("/api/orgtree/imports/members/jobs?dryRun=perhaps", content=body, headers=admin)
    assert not_a_flag.status_code == 422
    assert "dryRun" in not_a_flag.text

    grid_leader = bearer(issuer, district_a.id, ["grid_leader"])
    refused = await client.post("/api/orgtree/imports/members/jobs", content=body, headers=grid_leader)
    assert refused.status_code == 403

    queued = await queue(client, admin, "members", body, "?dryRun=true")
    assert queued["dryRun"] is True
    other_district = bearer(issuer, district_b.id, ADMIN)
    someone_else = bearer(issuer, district_a.id, ["street_admin"], scope=district_a.root.path)
    for headers in (other_district, someone_else):
        for path in (
            f"/api/orgtree/imports/jobs/{queued['id']}",
            f"/api/orgtree/imports/jobs/{queued['id']}/report",
            f"/api/orgtree/imports/jobs/{queued['id']}/problems",
        ):
            missing = await client.get(path, headers=headers)
            assert missing.status_code == 404
            assert missing.headers["content-type"].startswith(PROBLEM)
    assert (await client.get("/api/orgtree/imports/jobs", headers=other_district)).json() == []
    assert (await client.get(f"/api/orgtree/imports/jobs/{uuid.uuid4()}", headers=admin)).status_code == 404
    for asked in ("report", "problems"):
        running = await client.get(f"/api/orgtree/imports/jobs/{queued['id']}/{asked}", headers=admin)
        assert running.status_code == 409
        assert "queued" in running.json()["detail"]


@asynccontextmanager
async def system_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = make_engine(settings, "orgtree", "system")
    try:
        sessions: async_sessionmaker[AsyncSession] = make_sessionmaker(engine)
        async with sessions() as session:
            yield session
    finally:
        await engine.dispose()


async def test_the_queued_event_names_the_job_only(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    queued = await queue(client, admin, "members", xlsx(MEMBER_HEADER, [member_row(1)], "党员"))
    async with system_session(settings) as session:
        payloads = await session.execute(
            text("SELECT payload FROM outbox_message WHERE tenant_id = :t AND event = 'orgtree.ImportQueued'"),
            {"t": district_a.id},
        )
        assert [dict(row[0]) for row in payloads] == [{"version": 1, "job_id": queued["id"]}]


async def test_a_job_whose_progress_stopped_is_failed_by_the_sweep_and_left_alone_by_a_late_worker(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings, orgtree_db: AsyncEngine
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    await setup_units(client, issuer, district_a)
    body = xlsx(MEMBER_HEADER, [member_row(seq) for seq in range(1, 4)], "党员")
    stopped, waiting = await queue(client, admin, "members", body), await queue(client, admin, "members", body)
    with tenant_scope(district_a.id):  # its worker died a quarter of an hour ago while checking
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            since = func.now() - timedelta(minutes=16)
            job_id = uuid.UUID(stopped["id"])
            await session.execute(
                update(ImportJob).where(ImportJob.id == job_id).values(state="checking", progressed_at=since)
            )

    assert await stalls.sweep_stalled_imports(settings) >= 1
    failed = await job_of(client, admin, stopped)
    assert (failed["state"], failed["errorCount"], failed["stored"]) == ("failed", 1, 0)
    assert failed["detail"] == stalls.STALLED
    assert (await job_of(client, admin, waiting))["state"] == "queued"  # a job that just came is not touched
    report = await client.get(f"/api/orgtree/imports/jobs/{stopped['id']}/report", headers=admin)
    sheet = load_workbook(io.BytesIO(report.content), read_only=True).worksheets[0]
    assert [list(row) for row in sheet.iter_rows(values_only=True)][1] == [None, None, stalls.STALLED]

    await work(settings, district_a, stopped)  # its message comes back after all: the job stays as it was told
    assert (await job_of(client, admin, stopped))["state"] == "failed"
    assert await count(orgtree_db, district_a.id, Member) == 0


def cut_short(body: bytes) -> bytes:
    """The workbook with its sheet's XML cut in the middle: the container and the header row read, the rest not."""
    source, out = zipfile.ZipFile(io.BytesIO(body)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, content[: len(content) // 2] if item.filename.endswith("sheet1.xml") else content)
    return out.getvalue()


async def test_a_sheet_damaged_after_its_header_fails_the_job_in_words(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, settings: Settings, orgtree_db: AsyncEngine
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    await setup_units(client, issuer, district_a)
    body = cut_short(xlsx(MEMBER_HEADER, [member_row(seq) for seq in range(1, 200)], "党员"))
    queued = await queue(client, admin, "members", body)  # its header row is readable: queued

    await work(settings, district_a, queued)
    failed = await job_of(client, admin, queued)
    assert (failed["state"], failed["errorCount"], failed["errors"]) == ("failed", 1, [])
    assert re.fullmatch(r"the sheet cannot be read after row \d+ \(ParseError\)", failed["detail"])
    assert await count(orgtree_db, district_a.id, Member) == 0
