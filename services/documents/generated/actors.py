"""The events that call for a generated document (EVT-03, EVT-13, EVT-16): each handler gathers the facts its
template prints and where the document hangs, and files it once per source (``filing.py``).

- ``dispatch.ReferralIssued`` -> 抄告单 about the referral (subject ``referral``), filed at the case's grid.
- ``training.TitleAwarded`` -> 荣誉证书 about the member (subject ``member``), or on the unit that holds the title.
- ``training.MonthlyReportGenerated`` -> 党员考绩月报表 about the member (subject ``member``); a report generated
  again (new figures) becomes the document's next version.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.events import consumer
from services.documents.generated.filing import Generated, file_generated, store_for
from services.documents.generated.render import require_font
from services.documents.library.models import DISTRICT, SubjectKind
from services.documents.subjects.directory import find
from shared.contracts.dispatch import ReferralIssued
from shared.contracts.training import MonthlyReportGenerated, TitleAwarded

require_font()  # a worker without the CJK font refuses to start instead of rendering boxes

HALVES = {"H1": "上半年", "H2": "下半年"}
QUARTERS = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}


def day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def period_label(period: str) -> str:
    """ "2026Q3" -> 2026年第三季度, "2026H1" -> 2026年上半年, "2026" -> 2026年度, "2026-11" -> 2026年11月."""
    found = re.fullmatch(r"(\d{4})(?:(Q[1-4]|H[12])|-(\d{2}))?", period)
    if found is None:
        return period
    year, part, month = found.groups()
    if month:
        return f"{year}年{int(month)}月"
    return f"{year}年{QUARTERS.get(part or '') or HALVES.get(part or '') or '度'}"


def number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@consumer.on(ReferralIssued)
async def referral_issued(session: AsyncSession, event: ReferralIssued) -> None:
    ticket = await find(session, SubjectKind.TICKET, event.ticket_id)
    path = ticket.path if ticket and ticket.path != DISTRICT else event.ticket_path or DISTRICT
    facts = {
        "number": event.number,
        "ticketNumber": event.ticket_number or "",
        "ticketTitle": event.ticket_title or "",
        "meeting": event.meeting or "",
        "responsibleUnit": event.responsible_unit or "",
        "responsiblePerson": event.responsible_person or "",
        "dueOn": day(event.due_on),
        "issuedOn": day(event.issued_on),
    }
    fields = {"number": event.number, "ticketId": str(event.ticket_id), "dueOn": event.due_on.isoformat()}
    spec = Generated(
        source_key=f"{ReferralIssued.NAME}:{event.referral_id}",
        type_code="referral_notice",
        facts=facts,
        fields={**fields, "title": event.ticket_title} if event.ticket_title else fields,
        unit_name=event.responsible_unit,
        subject_kind=SubjectKind.REFERRAL,
        subject_id=event.referral_id,
        subject_path=path,
    )
    await file_generated(session, store_for(consumer.settings), spec)


@consumer.on(TitleAwarded)
async def title_awarded(session: AsyncSession, event: TitleAwarded) -> None:
    to_member = event.subject_kind == SubjectKind.MEMBER
    known = await find(session, SubjectKind.MEMBER, event.subject_id) if to_member else None
    recipient = event.subject_name or (known.name if known else None) or ""
    facts = {
        "titleName": event.title_name,
        "recipient": recipient,
        "period": period_label(event.period),
        "awardedOn": day(event.awarded_on),
    }
    fields = {"title": event.title_name, "period": event.period, "awardId": str(event.award_id)}
    spec = Generated(f"{TitleAwarded.NAME}:{event.award_id}", "award_certificate", facts, fields)
    if to_member:  # about the member, who reads it (the type is public)
        path = known.path if known else event.subject_path or DISTRICT
        user = known.user_id if known else None
        spec = replace(
            spec, subject_kind=SubjectKind.MEMBER, subject_id=event.subject_id, subject_path=path, about_user_id=user
        )
    else:  # filed on the unit that holds the title
        path = event.subject_path or DISTRICT
        spec = replace(spec, unit_id=event.subject_id, unit_path=path, unit_name=recipient[:100] or None)
    await file_generated(session, store_for(consumer.settings), spec)


@consumer.on(MonthlyReportGenerated)
async def monthly_report_generated(session: AsyncSession, event: MonthlyReportGenerated) -> None:
    known = await find(session, SubjectKind.MEMBER, event.member_id) if event.member_id else None
    name = event.member_name or (known.name if known else None) or ""
    facts = {
        "member": name,
        "month": period_label(event.month),
        "services": number(event.services),
        "wishes": number(event.wishes),
        "serviceHours": number(event.service_hours, 1),
        "sessions": number(event.sessions),
        "creditHours": number(event.credit_hours, 1),
        "commitmentsPublished": number(event.commitments_published),
        "commitmentsEvaluated": number(event.commitments_evaluated),
        "commitmentScore": number(event.commitment_score, 2),
        "points": number(event.points),
        "generatedOn": day(event.generated_at.date()),
    }
    fields = {"title": f"党员考绩月报表 {name} {event.month}", "month": event.month, "reportId": str(event.report_id)}
    path = known.path if known else event.branch_path or DISTRICT
    about = known.user_id if known else None
    if event.member_id is not None:
        subject = (SubjectKind.MEMBER, event.member_id)
    else:  # a member training knows but orgtree does not: the report is its own subject
        subject = (SubjectKind.MONTHLY_REPORT, event.report_id)
    spec = Generated(
        source_key=f"{MonthlyReportGenerated.NAME}:{event.report_id}",
        type_code="monthly_report",
        facts=facts,
        fields=fields,
        subject_kind=subject[0],
        subject_id=subject[1],
        subject_path=path,
        about_user_id=about,
        revision=event.generated_at.astimezone(UTC).isoformat(),  # generated again: the next version
    )
    await file_generated(session, store_for(consumer.settings), spec)
