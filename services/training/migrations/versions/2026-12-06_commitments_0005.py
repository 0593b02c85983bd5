"""Commitments (issue 13, TRN-09): party groups' and members' yearly commitments through define, publish, fulfil
and evaluate, and their append-only progress notes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls, make_append_only

NEW_TABLES = ("commitment", "commitment_progress")
APPEND_ONLY = ("commitment_progress",)
PATH = sa.String(length=400, collation="C")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commitment",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("holder_kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("holder_path", PATH, nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("branch_path", PATH, nullable=True),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("letter_document_id", sa.Uuid(), nullable=True),
        sa.Column("defined_by", sa.Uuid(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluated_by", sa.Uuid(), nullable=True),
        sa.Column("evaluated_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name=op.f("ck_commitment_score_range")),
        sa.CheckConstraint(
            "(holder_kind = 'member' AND person_id IS NOT NULL AND unit_id IS NULL)"
            " OR (holder_kind = 'party_group' AND unit_id IS NOT NULL AND person_id IS NULL)",
            name=op.f("ck_commitment_one_holder"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_commitment_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
    )
    op.create_index(
        "ix_commitment_tenant_period_path", "commitment", ["tenant_id", "period", "holder_path", "id"], unique=False
    )
    op.create_index("ix_commitment_tenant_path", "commitment", ["tenant_id", "holder_path", "id"], unique=False)
    op.create_index("ix_commitment_tenant_branch_path", "commitment", ["tenant_id", "branch_path", "id"], unique=False)
    op.create_index("ix_commitment_tenant_person", "commitment", ["tenant_id", "person_id", "period"], unique=False)
    op.create_index("ix_commitment_tenant_unit", "commitment", ["tenant_id", "unit_id", "period"], unique=False)
    op.create_table(
        "commitment_progress",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commitment_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("noted_by", sa.Uuid(), nullable=True),
        sa.Column("noted_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_progress_commitment_id_commitment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_progress")),
    )
    op.create_index(
        "ix_commitment_progress_tenant_commitment",
        "commitment_progress",
        ["tenant_id", "commitment_id", "noted_at"],
        unique=False,
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)
    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
    op.drop_index("ix_commitment_progress_tenant_commitment", table_name="commitment_progress")
    op.drop_table("commitment_progress")
    op.drop_index("ix_commitment_tenant_unit", table_name="commitment")
    op.drop_index("ix_commitment_tenant_person", table_name="commitment")
    op.drop_index("ix_commitment_tenant_branch_path", table_name="commitment")
    op.drop_index("ix_commitment_tenant_path", table_name="commitment")
    op.drop_index("ix_commitment_tenant_period_path", table_name="commitment")
    op.drop_table("commitment")
