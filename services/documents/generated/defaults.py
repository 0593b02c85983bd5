"""The templates every district starts with (the seeds' 抄告单, 荣誉证书 and 党员考绩月报表); seeding again adds only
what is missing, so a district's edits stay."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.generated.layout import Layout, Row
from services.documents.generated.models import DocumentTemplate
from shared.context import require_tenant

# code: (name, title pattern, layout)
DEFAULTS: dict[str, tuple[str, str, Layout]] = {
    "referral_notice": (
        "抄告单",
        "抄告单 {number}",
        Layout(
            heading="抄告单",
            subheading="{number}",
            paragraphs=[
                "{responsibleUnit}：",
                "经{meeting}研究，现将{ticketNumber}号案件（{ticketTitle}）抄告你单位，由{responsiblePerson}负责办理，"
                "请于{dueOn}前办结，并将办理情况书面反馈。",
            ],
            table=[
                Row(label="案件编号", value="{ticketNumber}"),
                Row(label="案件名称", value="{ticketTitle}"),
                Row(label="责任单位", value="{responsibleUnit}"),
                Row(label="责任人", value="{responsiblePerson}"),
                Row(label="办结时限", value="{dueOn}"),
            ],
            signature="{meeting}（盖章）",
            date_line="{issuedOn}",
        ),
    ),
    "award_certificate": (
        "荣誉证书",
        "荣誉证书 {titleName} {recipient} {period}",
        Layout(
            heading="荣誉证书",
            paragraphs=["{recipient}：", "在{period}工作中表现突出，被评为“{titleName}”。", "特发此证，以资鼓励。"],
            signature="中共区委组织部（盖章）",
            date_line="{awardedOn}",
        ),
    ),
    "monthly_report": (
        "党员考绩月报表",
        "党员考绩月报表 {member} {month}",
        Layout(
            heading="党员考绩月报表",
            subheading="{month}",
            table=[
                Row(label="党员", value="{member}"),
                Row(label="月份", value="{month}"),
                Row(label="志愿服务（次）", value="{services}"),
                Row(label="服务时长（小时）", value="{serviceHours}"),
                Row(label="微心愿（个）", value="{wishes}"),
                Row(label="参加培训（次）", value="{sessions}"),
                Row(label="培训学时", value="{creditHours}"),
                Row(label="公开承诺（项）", value="{commitmentsPublished}"),
                Row(label="承诺已评（项）", value="{commitmentsEvaluated}"),
                Row(label="承诺评分", value="{commitmentScore}"),
                Row(label="积分", value="{points}"),
            ],
            signature="党支部（盖章）",
            date_line="{generatedOn}",
        ),
    ),
}


def default_row(code: str) -> dict[str, Any]:
    name, title, layout = DEFAULTS[code]
    return {"code": code, "name": name, "title_pattern": title, "body": msgspec.to_builtins(layout)}


async def seed_templates(session: AsyncSession) -> bool:
    """Insert the district's missing templates; True when any was added."""
    tenant = require_tenant()
    rows = [{"tenant_id": tenant, **default_row(code)} for code in DEFAULTS]
    added = await session.execute(
        pg_insert(DocumentTemplate).values(rows).on_conflict_do_nothing().returning(DocumentTemplate.id)
    )
    return bool(added.all())
