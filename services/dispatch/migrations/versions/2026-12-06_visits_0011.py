"""Micro-visits and mandatory visits (issue 16, DSP-24/25, EVT-12): visit records with their matters (each a
note or a ticket), visit tasks raised by orgtree's household events, and the district's two visit settings.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")


def upgrade() -> None:
    op.add_column(
        "dispatch_settings", sa.Column("visit_interval_days", sa.Integer(), server_default="7", nullable=False)
    )
    op.add_column("dispatch_settings", sa.Column("visit_task_days", sa.Integer(), server_default="3", nullable=False))
    op.create_table(
        "visit",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("visitor_name", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("visited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    op.create_index("ix_visit_household", "visit", ["tenant_id", "household_id", "visited_at"])
    op.create_index("ix_visit_member", "visit", ["tenant_id", "member_id", "visited_at"])
    op.create_table(
        "visit_matter",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("ticket_number", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_matter_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_visit_matter_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_matter")),
    )
    op.create_index("ix_visit_matter_visit", "visit_matter", ["tenant_id", "visit_id", "position"])
    op.create_table(
        "visit_task",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_as", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_visit_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_visit_id"],
            ["visit.id"],
            name=op.f("fk_visit_task_closed_by_visit_id_visit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_task")),
        sa.UniqueConstraint("tenant_id", "source_event_id", "member_id", name="uq_visit_task_event_member"),
    )
    op.create_index("ix_visit_task_household", "visit_task", ["tenant_id", "household_id"])
    op.create_index(
        "ix_visit_task_open_due", "visit_task", ["tenant_id", "due_at"], postgresql_where=sa.text("closed_at IS NULL")
    )
    for table in ("visit", "visit_matter", "visit_task"):
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("visit_task")
    op.drop_table("visit_matter")
    op.drop_table("visit")
    op.drop_column("dispatch_settings", "visit_task_days")
    op.drop_column("dispatch_settings", "visit_interval_days")
