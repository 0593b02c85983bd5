"""The registry every district starts with: the seeds' documents and records (domain-from-seeds.md section 5) as
types, and the retention classes they are kept under. Seeding again adds only what is missing; the district edits
its copy afterwards."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.types.models import DocumentType, Origin, RetentionClass, Visibility
from shared.context import require_tenant

MiB = 1024 * 1024
PDF = "application/pdf"
IMAGES = ("image/jpeg", "image/png")
OFFICE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
PAPERS = (PDF, *OFFICE, *IMAGES)  # a record kept on paper arrives scanned or photographed

# code, name, years (None: permanent), immutable
RETENTION_CLASSES: tuple[tuple[str, str, int | None, bool], ...] = (
    ("permanent", "永久", None, True),
    ("long", "长期（30年）", 30, True),
    ("ten_years", "定期10年", 10, False),
    ("three_years", "定期3年", 3, False),
    ("one_year", "定期1年", 1, False),
)

INTERNAL, SUBJECT, PUBLIC = Visibility.INTERNAL, Visibility.SUBJECT, Visibility.PUBLIC
U, G = Origin.UPLOADED, Origin.GENERATED
# code, name, owner, origin, template, retention class, visibility, public fields, content types, max MiB, refresh
TYPES: tuple[
    tuple[str, str, str, Origin, str | None, str, Visibility, tuple[str, ...], tuple[str, ...], int, int | None], ...
] = (
    ("referral_notice", "抄告单", "dispatch", G, "referral_notice", "ten_years", INTERNAL, (), (PDF,), 20, None),
    ("callback_record", "电话回访记录", "dispatch", U, None, "three_years", INTERNAL, (), PAPERS, 20, None),
    ("feedback_form", "服务意见反馈单", "dispatch", U, None, "three_years", INTERNAL, (), PAPERS, 20, None),
    ("service_photo", "服务照片", "dispatch", U, None, "three_years", INTERNAL, (), IMAGES, 10, None),
    ("wish_evidence", "微心愿圆梦照片", "dispatch", U, None, "three_years", PUBLIC, ("title",), IMAGES, 10, None),
    (
        "monthly_report",
        "党员考绩月报表",
        "training",
        G,
        "monthly_report",
        "ten_years",
        SUBJECT,
        ("title", "month"),
        (PDF,),
        20,
        None,
    ),
    ("mobile_certificate", "流动党员证", "training", U, None, "ten_years", SUBJECT, (), PAPERS, 20, None),
    (
        "commitment_letter",
        "党员公开承诺书",
        "training",
        U,
        None,
        "ten_years",
        PUBLIC,
        ("title", "period"),
        PAPERS,
        20,
        None,
    ),
    (
        "award_certificate",
        "荣誉证书",
        "training",
        G,
        "award_certificate",
        "permanent",
        PUBLIC,
        ("title", "period"),
        (PDF,),
        20,
        None,
    ),
    ("member_card", "党员信息卡", "orgtree", U, None, "long", SUBJECT, (), PAPERS, 20, None),
    ("household_archive", "群众档案（户表）", "orgtree", U, None, "long", INTERNAL, (), PAPERS, 50, 6),
    ("ledger", "工作台账", "district", U, None, "ten_years", INTERNAL, (), PAPERS, 50, None),
    ("review_report", "点评报告（鉴定单）", "district", U, None, "long", INTERNAL, (), PAPERS, 50, None),
    ("poll_sheet", "民主测评表", "district", U, None, "ten_years", INTERNAL, (), PAPERS, 50, None),
    ("rectification_list", "整改清单", "district", U, None, "ten_years", PUBLIC, ("title",), PAPERS, 50, None),
    (
        "regulation",
        "规章制度",
        "district",
        U,
        None,
        "permanent",
        PUBLIC,
        ("title", "effectiveFrom", "trial"),
        PAPERS,
        50,
        None,
    ),
    ("minutes", "会议纪要", "district", U, None, "ten_years", INTERNAL, (), PAPERS, 50, None),
    ("photo", "活动照片", "district", U, None, "three_years", PUBLIC, ("title",), IMAGES, 10, None),
    ("acceptance_dossier", "验收材料", "district", U, None, "long", INTERNAL, (), PAPERS, 100, None),
    ("policy", "政策文件", "district", U, None, "permanent", PUBLIC, ("title",), PAPERS, 50, None),
)


async def seed_registry(session: AsyncSession) -> bool:
    """Insert the missing retention classes and types; True when any was added."""
    tenant = require_tenant()
    classes = [
        {"tenant_id": tenant, "code": code, "name": name, "years": years, "immutable": immutable}
        for code, name, years, immutable in RETENTION_CLASSES
    ]
    types = [
        {
            "tenant_id": tenant,
            "code": code,
            "name": name,
            "owner": owner,
            "origin": origin,
            "template": template,
            "retention_class": retention,
            "visibility": visibility,
            "public_fields": list(public),
            "content_types": list(content),
            "max_bytes": mib * MiB,
            "refresh_months": refresh,
        }
        for code, name, owner, origin, template, retention, visibility, public, content, mib, refresh in TYPES
    ]
    added = await session.execute(
        pg_insert(RetentionClass).values(classes).on_conflict_do_nothing().returning(RetentionClass.id)
    )
    added_types = await session.execute(
        pg_insert(DocumentType).values(types).on_conflict_do_nothing().returning(DocumentType.id)
    )
    return bool(added.all()) | bool(added_types.all())
