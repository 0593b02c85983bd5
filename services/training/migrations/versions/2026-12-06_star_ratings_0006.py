"""Star ratings, public notice, objections and titles (issue 13, TRN-08, TRN-10): the district's criteria templates,
rating rounds (with the notice's end as a row's time), entries, objections, the titles it awards, the awards
themselves and the district's rating settings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

NEW_TABLES = (
    "rating_template",
    "star_rating",
    "rating_entry",
    "rating_objection",
    "award_title",
    "award",
    "rating_settings",
)
PATH = sa.String(length=400, collation="C")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rating_template",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("criteria", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("levels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("level_notes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_template")),
    )
    op.create_index(
        "uq_rating_template_tenant_code",
        "rating_template",
        ["tenant_id", "code"],
        unique=True,
        postgresql_where=sa.text("code IS NOT NULL"),
    )
    op.create_index(
        "ix_rating_template_tenant_kind", "rating_template", ["tenant_id", "subject_kind", "name"], unique=False
    )
    op.create_table(
        "star_rating",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("template_name", sa.String(length=100), nullable=False),
        sa.Column("criteria", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("levels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("level_notes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("notice_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["rating_template.id"],
            name=op.f("fk_star_rating_template_id_rating_template"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_star_rating")),
    )
    op.create_index("ix_star_rating_tenant_unit_path", "star_rating", ["tenant_id", "unit_path", "id"], unique=False)
    op.create_index(
        "ix_star_rating_tenant_state", "star_rating", ["tenant_id", "state", "notice_ends_at"], unique=False
    )
    op.create_table(
        "rating_entry",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("subject_path", PATH, nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("commitment_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("services", sa.Integer(), nullable=False),
        sa.Column("service_points", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("scored_by", sa.Uuid(), nullable=False),
        sa.Column("scored_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_rating_entry_person_id_person"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["star_rating.id"], name=op.f("fk_rating_entry_rating_id_star_rating"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_entry")),
        sa.UniqueConstraint("tenant_id", "rating_id", "subject_id", name="uq_rating_entry_tenant_rating_subject"),
    )
    op.create_index(
        "ix_rating_entry_tenant_rating_level",
        "rating_entry",
        ["tenant_id", "rating_id", "level", "subject_name"],
        unique=False,
    )
    op.create_table(
        "rating_objection",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.Uuid(), nullable=False),
        sa.Column("raised_by_name", sa.String(length=100), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Uuid(), nullable=True),
        sa.Column("answered_by_name", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["rating_entry.id"],
            name=op.f("fk_rating_objection_entry_id_rating_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["star_rating.id"],
            name=op.f("fk_rating_objection_rating_id_star_rating"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_objection")),
    )
    op.create_index(
        "ix_rating_objection_tenant_rating", "rating_objection", ["tenant_id", "rating_id", "raised_at"], unique=False
    )
    op.create_table(
        "award_title",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_title")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_award_title_tenant_code"),
    )
    op.create_table(
        "award",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("title_name", sa.String(length=60), nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("subject_path", PATH, nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("awarded_by", sa.Uuid(), nullable=False),
        sa.Column("awarded_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_award_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award")),
        sa.UniqueConstraint("tenant_id", "title", "subject_id", "period", name="uq_award_tenant_title_subject_period"),
    )
    op.create_index("ix_award_tenant_subject", "award", ["tenant_id", "subject_id", "awarded_on"], unique=False)
    op.create_index("ix_award_tenant_awarded", "award", ["tenant_id", "awarded_on", "id"], unique=False)
    op.create_table(
        "rating_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_rating_settings")),
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("rating_settings")
    op.drop_index("ix_award_tenant_awarded", table_name="award")
    op.drop_index("ix_award_tenant_subject", table_name="award")
    op.drop_table("award")
    op.drop_table("award_title")
    op.drop_index("ix_rating_objection_tenant_rating", table_name="rating_objection")
    op.drop_table("rating_objection")
    op.drop_index("ix_rating_entry_tenant_rating_level", table_name="rating_entry")
    op.drop_table("rating_entry")
    op.drop_index("ix_star_rating_tenant_state", table_name="star_rating")
    op.drop_index("ix_star_rating_tenant_unit_path", table_name="star_rating")
    op.drop_table("star_rating")
    op.drop_index("ix_rating_template_tenant_kind", table_name="rating_template")
    op.drop_index(
        "uq_rating_template_tenant_code", table_name="rating_template", postgresql_where=sa.text("code IS NOT NULL")
    )
    op.drop_table("rating_template")
