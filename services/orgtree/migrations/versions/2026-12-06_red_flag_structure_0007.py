"""The Red Flag Communities' structure (issue 16): staffing quotas and staff on units (ORG-20), venues and service
points with their certification history (ORG-22), brands with history (ORG-23).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("staffing_quota", "unit_staff", "venue", "venue_certification", "unit_brand")
PATH = sa.String(length=400, collation="C")


def _keys() -> list[sa.Column[object]]:
    return [sa.Column("id", sa.Uuid(), nullable=False), sa.Column("tenant_id", sa.Uuid(), nullable=False)]


def _on_unit() -> list[sa.Column[object]]:
    return [
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
    ]


def _unit_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["unit_id"], ["org_node.id"], name=op.f(f"fk_{table}_unit_id_org_node"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "staffing_quota",
        *_keys(),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_quota")),
        sa.UniqueConstraint("tenant_id", "level", "role", name="uq_staffing_quota_level_role"),
    )
    op.create_table(
        "unit_staff",
        *_keys(),
        *_on_unit(),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_staff")),
        _unit_key("unit_staff"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_unit_staff_member_id_member"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_unit_staff_unit_path", "unit_staff", ["tenant_id", "unit_path"])
    op.create_table(
        "venue",
        *_keys(),
        *_on_unit(),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("opening_hours", sa.String(length=100), nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("signage", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue")),
        _unit_key("venue"),
    )
    op.create_index("ix_venue_unit_path", "venue", ["tenant_id", "unit_path"])
    op.create_table(
        "venue_certification",
        *_keys(),
        sa.Column("venue_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("signage", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue_certification")),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venue.id"], name=op.f("fk_venue_certification_venue_id_venue"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_venue_certification_venue", "venue_certification", ["tenant_id", "venue_id", "recorded_at"])
    op.create_table(
        "unit_brand",
        *_keys(),
        *_on_unit(),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_brand")),
        _unit_key("unit_brand"),
    )
    op.create_index("ix_unit_brand_unit_path", "unit_brand", ["tenant_id", "unit_path"])
    op.create_index(
        "uq_unit_brand_current",
        "unit_brand",
        ["tenant_id", "unit_id"],
        unique=True,
        postgresql_where=sa.text("replaced_at IS NULL"),
    )
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)  # its indexes, constraints and policy go with it
