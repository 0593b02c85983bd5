"""The lost-contact member return programme (失联党员归队工程 [001/ZJ], issue 16): one case per lost member with
how contact was lost and where the case stands, and each step of searching, finding and regrouping; the services a
Pudong Sunshine station offers (阳光驿站 [001/PD]), on the venue.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db.migrations import enable_tenant_rls

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("lost_member_case", "lost_member_step")
PATH = sa.String(length=400, collation="C")


def _keys() -> list[sa.Column[object]]:
    return [sa.Column("id", sa.Uuid(), nullable=False), sa.Column("tenant_id", sa.Uuid(), nullable=False)]


def upgrade() -> None:
    venue_services: sa.Column[list[str]] = sa.Column(
        "services", ARRAY(sa.String(length=40)), nullable=False, server_default="{}"
    )
    op.add_column("venue", venue_services)
    op.create_table(
        "lost_member_case",
        *_keys(),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("how_lost", sa.String(length=30), nullable=False),
        sa.Column("lost_since", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("regrouped_by", sa.String(length=20), nullable=True),
        sa.Column("to_branch_id", sa.Uuid(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_member_case")),
    )
    op.create_index("ix_lost_member_case_unit_path", "lost_member_case", ["tenant_id", "unit_path"])
    op.create_index(
        "uq_lost_member_case_open",
        "lost_member_case",
        ["tenant_id", "member_id"],
        unique=True,
        postgresql_where=sa.text("state IN ('searching', 'found')"),
    )
    op.create_table(
        "lost_member_step",
        *_keys(),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_member_step")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["lost_member_case.id"],
            name=op.f("fk_lost_member_step_case_id_lost_member_case"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_lost_member_step_case", "lost_member_step", ["tenant_id", "case_id", "recorded_at"])
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
    op.drop_column("venue", "services")
