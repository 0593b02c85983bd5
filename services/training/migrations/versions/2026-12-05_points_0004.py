"""The points ledger and accountability records (issue 13): points categories with their crediting rules, the
append-only ledger, credits waiting for their person, and the append-only accountability records.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls, make_append_only

NEW_TABLES = ("points_category", "points_entry", "points_pending", "accountability_record")
APPEND_ONLY = ("points_entry", "accountability_record")
PATH = sa.String(length=400, collation="C")

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "points_category",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_category")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_points_category_tenant_code"),
    )
    op.create_index(
        "uq_points_category_tenant_source",
        "points_category",
        ["tenant_id", "source"],
        unique=True,
        postgresql_where=sa.text("source IS NOT NULL"),
    )
    op.create_table(
        "points_entry",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("source_kind", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_points_entry_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_entry")),
        sa.UniqueConstraint("tenant_id", "source_kind", "source_id", name="uq_points_entry_tenant_source"),
    )
    op.create_index(
        "ix_points_entry_tenant_person", "points_entry", ["tenant_id", "person_id", "occurred_at", "id"], unique=False
    )
    op.create_index("ix_points_entry_tenant_occurred", "points_entry", ["tenant_id", "occurred_at"], unique=False)
    op.create_table(
        "points_pending",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("source_kind", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_pending")),
        sa.UniqueConstraint("tenant_id", "source_kind", "source_id", name="uq_points_pending_tenant_source"),
    )
    op.create_index("ix_points_pending_tenant_member", "points_pending", ["tenant_id", "member_id"], unique=False)
    op.create_index("ix_points_pending_tenant_user", "points_pending", ["tenant_id", "user_id"], unique=False)
    op.create_table(
        "accountability_record",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("warning", sa.String(length=10), nullable=False),
        sa.Column("clock", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("unit_path", PATH, nullable=True),
        sa.Column("unit_name", sa.String(length=200), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_record")),
        sa.UniqueConstraint(
            "tenant_id",
            "ticket_id",
            "warning",
            "clock",
            "level",
            "due_at",
            name="uq_accountability_record_tenant_warning",
        ),
    )
    op.create_index(
        "ix_accountability_record_tenant_warned",
        "accountability_record",
        ["tenant_id", "warned_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_accountability_record_tenant_unit_path",
        "accountability_record",
        ["tenant_id", "unit_path", "warned_at"],
        unique=False,
    )
    op.create_index(
        "ix_accountability_record_tenant_member",
        "accountability_record",
        ["tenant_id", "member_id", "warned_at"],
        unique=False,
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)
    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
    op.drop_index("ix_accountability_record_tenant_member", table_name="accountability_record")
    op.drop_index("ix_accountability_record_tenant_unit_path", table_name="accountability_record")
    op.drop_index("ix_accountability_record_tenant_warned", table_name="accountability_record")
    op.drop_table("accountability_record")
    op.drop_index("ix_points_pending_tenant_user", table_name="points_pending")
    op.drop_index("ix_points_pending_tenant_member", table_name="points_pending")
    op.drop_table("points_pending")
    op.drop_index("ix_points_entry_tenant_occurred", table_name="points_entry")
    op.drop_index("ix_points_entry_tenant_person", table_name="points_entry")
    op.drop_table("points_entry")
    op.drop_index(
        "uq_points_category_tenant_source", table_name="points_category", postgresql_where=sa.text("source IS NOT NULL")
    )
    op.drop_table("points_category")
