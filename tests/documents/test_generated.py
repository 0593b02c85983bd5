"""Generated documents (DOC-03): the referral notice, the award certificate and the monthly report rendered to PDF
from the events that call for them, in the district's CJK font, filed once per source."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.events import consumer
from services.documents.generated.filing import document_id_of
from services.documents.generated.render import FontMissingError, require_font
from services.documents.library.models import SubjectKind
from services.documents.settings import DocumentsProcessSettings
from services.documents.subjects.directory import remember
from shared.contracts.dispatch import ReferralIssued
from shared.contracts.training import MonthlyReportGenerated, TitleAwarded
from shared.settings import Settings
from shared.storage import ObjectStore, tenant_key
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.generated_support import Filed, deliver, district_objects, documents_of, filed, object_bytes
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]


def referral(district: District, **overrides: Any) -> ReferralIssued:
    values: dict[str, Any] = {
        "tenant_id": district.id,
        "ticket_id": uuid.uuid4(),
        "referral_id": uuid.uuid4(),
        "number": "抄告〔2026〕7号",
        "due_on": date(2026, 12, 20),
        "ticket_number": "20261202-0007",
        "ticket_title": "瑶溪小区路灯损坏",
        "meeting": "瑶溪街道督办会",
        "responsible_unit": "城市管理执法中队",
        "responsible_person": "李建国",
        "issued_on": date(2026, 12, 6),
    }
    return ReferralIssued(**{**values, **overrides})


async def version_events(district: District) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        query = text("SELECT payload FROM outbox_message WHERE event = 'documents.VersionStored'")
        return [dict(row.payload) for row in await session.execute(query)]

    events: list[dict[str, Any]] = await district.run(read)
    return events


async def test_a_referral_notice_is_rendered_filed_at_the_cases_grid_and_found_by_the_referral(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    event = referral(district_a)
    grid = district_a.streets[0] + "g1/"
    await district_a.run(lambda session: remember(session, SubjectKind.TICKET, event.ticket_id, grid))
    await deliver(settings, event)

    notice = await filed(settings, district_a, f"dispatch.ReferralIssued:{event.referral_id}")
    assert notice.document.type_code == "referral_notice"
    assert notice.document.title == "抄告单 抄告〔2026〕7号"
    assert (notice.document.subject_kind, notice.document.anchor_path) == ("referral", grid)
    assert notice.document.unit_name == "城市管理执法中队"
    assert notice.document.about_user_id is None  # an internal type: nobody reads it as "about me"
    assert (notice.version.state, notice.version.content_type) == ("stored", "application/pdf")
    assert notice.version.size_bytes == len(notice.pdf)
    assert notice.pdf.startswith(b"%PDF")
    for words in ("抄告单", "20261202-0007", "瑶溪小区路灯损坏", "城市管理执法中队", "李建国", "2026年12月20日"):
        assert words in notice.text, words
    # the font travels with the file: every font of the PDF is embedded (a TrueType subset)
    descriptors = notice.fonts()
    assert descriptors
    assert all("/FontFile2" in descriptor for descriptor in descriptors)
    # search reads it through documents' own queue
    [stored] = await version_events(district_a)
    assert (stored["document_id"], stored["type_code"], stored["number"]) == (
        str(notice.document.id),
        "referral_notice",
        1,
    )

    # the library lists it under the referral, for the street's staff and the hotline
    query = {"subjectKind": "referral", "subjectId": str(event.referral_id)}
    for token in (
        street_admin(issuer, district_a),
        issuer.token(tenant=district_a.id, roles=["hotline_operator"]),
    ):
        listed = await client.get("/api/documents/documents", params=query, headers=bearer(token))
        assert listed.status_code == 200, listed.text
        [item] = listed.json()["items"]
        assert (item["id"], item["version"]["contentType"]) == (str(notice.document.id), "application/pdf")
    other_street = await client.get(
        "/api/documents/documents", params=query, headers=bearer(street_admin(issuer, district_a, street=1))
    )
    assert other_street.json()["items"] == []


async def test_a_referral_delivered_twice_files_one_document_and_one_object(
    settings: Settings, district_a: District
) -> None:
    event = referral(district_a)
    raw = await deliver(settings, event)
    assert await consumer.handle(raw) is False  # the inbox drops the same envelope
    assert await consumer.handle({**raw, "id": str(uuid.uuid4())}) is True  # the same referral, replayed

    assert len(await documents_of(district_a, f"dispatch.ReferralIssued:{event.referral_id}")) == 1
    assert len(await district_objects(settings, district_a)) == 1
    assert len(await version_events(district_a)) == 1


async def test_an_object_left_by_an_attempt_that_failed_is_replaced_by_the_redelivery(
    settings: Settings, district_a: District
) -> None:
    event = referral(district_a)
    source = f"dispatch.ReferralIssued:{event.referral_id}"
    key = tenant_key(district_a.id, "documents", document_id_of(district_a.id, source), 1)

    async def orphan(_: AsyncSession) -> None:  # what a transaction that failed at its commit leaves in the store
        async def body() -> Any:
            yield b"%PDF-1.4 half a notice"

        await ObjectStore(settings).put_stream(key, body(), max_bytes=1024)

    await district_a.run(orphan)
    await deliver(settings, event)
    notice = await filed(settings, district_a, source)
    assert notice.version.object_key == key
    assert "李建国" in notice.text
    assert len(await district_objects(settings, district_a)) == 1


async def test_an_award_certificate_is_about_its_member_who_reads_it(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    member, account = uuid.uuid4(), uuid.uuid4()
    grid = district_a.streets[0] + "g2/"
    await district_a.run(
        lambda session: remember(session, SubjectKind.MEMBER, member, grid, name="林志红", user_id=account)
    )
    award = TitleAwarded(
        tenant_id=district_a.id,
        award_id=uuid.uuid4(),
        title="most_beautiful_red_cell",
        title_name="最美红色细胞",
        subject_kind="member",
        subject_id=member,
        subject_path=grid,
        period="2026Q3",
        awarded_on=date(2026, 10, 8),
        subject_name="林志红",
    )
    await deliver(settings, award)

    certificate = await filed(settings, district_a, f"training.TitleAwarded:{award.award_id}")
    assert (certificate.document.subject_kind, certificate.document.subject_id) == ("member", member)
    assert certificate.document.about_user_id == account
    assert certificate.document.immutable is True  # kept permanently, as the type's retention class says
    for words in ("荣誉证书", "林志红", "最美红色细胞", "2026年第三季度", "2026年10月8日"):
        assert words in certificate.text, words
    assert all("/FontFile2" in descriptor for descriptor in certificate.fonts())

    mine = issuer.token(tenant=district_a.id, roles=["member"], user_id=account)
    query = {"subjectKind": "member", "subjectId": str(member), "type": "award_certificate"}
    listed = await client.get("/api/documents/documents", params=query, headers=bearer(mine))
    assert [item["id"] for item in listed.json()["items"]] == [str(certificate.document.id)]
    branch = district_a.streets[1] + "b2/"  # a title held by a unit: the certificate is filed on the unit
    unit = {"subject_kind": "unit", "subject_id": uuid.uuid4(), "subject_path": branch, "subject_name": "上河村党支部"}
    unit_award = msgspec.structs.replace(award, award_id=uuid.uuid4(), title_name="红旗党支部", **unit)
    await deliver(settings, unit_award)
    held = await filed(settings, district_a, f"training.TitleAwarded:{unit_award.award_id}")
    assert (held.document.unit_id, held.document.anchor_path) == (unit_award.subject_id, branch)
    assert (held.document.subject_kind, held.document.about_user_id) == (None, None)
    assert "上河村党支部" in held.text
    someone_else = issuer.token(tenant=district_a.id, roles=["member"])
    assert (await client.get("/api/documents/documents", params=query, headers=bearer(someone_else))).json()[
        "items"
    ] == []


async def test_a_monthly_report_prints_the_members_figures(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    member, account = uuid.uuid4(), uuid.uuid4()
    branch = district_a.streets[1] + "b1/"
    await district_a.run(
        lambda session: remember(session, SubjectKind.MEMBER, member, branch, name="陈海燕", user_id=account)
    )
    report = MonthlyReportGenerated(
        tenant_id=district_a.id,
        report_id=uuid.uuid4(),
        person_id=uuid.uuid4(),
        member_id=member,
        month="2026-11",
        branch_path=branch,
        generated_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        member_name="陈海燕",
        services=3,
        wishes=1,
        service_hours=4.5,
        sessions=2,
        credit_hours=3.5,
        commitments_published=2,
        commitments_evaluated=1,
        commitment_score=90.0,
        points=37,
    )
    await deliver(settings, report)

    monthly = await filed(settings, district_a, f"training.MonthlyReportGenerated:{report.report_id}")
    assert (monthly.document.subject_kind, monthly.document.anchor_path) == ("member", branch)
    assert monthly.document.fields["month"] == "2026-11"
    for words in ("党员考绩月报表", "陈海燕", "2026年11月", "服务时长（小时）4.5", "培训学时3.5", "积分37"):
        assert words in monthly.text, words
    listed = await client.get(
        "/api/documents/documents",
        params={"subjectKind": "member", "subjectId": str(member), "type": "monthly_report"},
        headers=bearer(admin(issuer, district_a)),
    )
    assert [item["id"] for item in listed.json()["items"]] == [str(monthly.document.id)]

    # generated again with new figures: the same document's next version; the older event arriving late changes nothing
    again = msgspec.structs.replace(report, generated_at=datetime(2026, 12, 2, 2, 0, tzinfo=UTC), points=41)
    await deliver(settings, again)
    await deliver(settings, report)
    [document] = await documents_of(district_a, f"training.MonthlyReportGenerated:{report.report_id}")
    assert document.current_version == 2
    versions = await client.get(
        f"/api/documents/documents/{document.id}/versions", headers=bearer(admin(issuer, district_a))
    )
    assert [row["number"] for row in versions.json()["items"]] == [2, 1]
    latest = await object_bytes(settings, tenant_key(district_a.id, "documents", document.id, 2))
    assert "积分41" in Filed(document, monthly.version, latest).text


def test_a_worker_without_the_cjk_font_refuses_to_start_and_names_the_setting(tmp_path: Path) -> None:
    missing = DocumentsProcessSettings(pdf_font_path=str(tmp_path / "no-such-font.ttc"))
    with pytest.raises(FontMissingError, match="REDCELL_DOCUMENTS__PDF_FONT_PATH"):
        require_font(missing)
