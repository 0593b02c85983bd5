"""Returns by the unit a ticket is placed on, with jurisdiction evidence, and their arbitration by the unit above
(issue 16, DSP-18 退单审定): ``ticket_return`` (one pending per ticket) and the district's ruling limit
``return_setting``; the ruling clock itself is a ``deadline`` row of kind ``arbitration``.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")
TABLES = ("ticket_return", "return_setting")


def upgrade() -> None:
    op.create_table(
        "ticket_return",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("returning_unit_id", sa.Uuid(), nullable=False),
        sa.Column("returning_unit_name", sa.String(length=200), nullable=False),
        sa.Column("returning_unit_path", PATH, nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("evidence_grid_id", sa.Uuid(), nullable=True),
        sa.Column("evidence_grid_name", sa.String(length=200), nullable=True),
        sa.Column("evidence_item_id", sa.Uuid(), nullable=True),
        sa.Column("evidence_item_name", sa.String(length=60), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_unit_id", sa.Uuid(), nullable=True),
        sa.Column("proposed_unit_name", sa.String(length=200), nullable=True),
        sa.Column("filed_by", sa.Uuid(), nullable=False),
        sa.Column("filed_by_name", sa.String(length=80), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ruling_unit_id", sa.Uuid(), nullable=False),
        sa.Column("ruling_unit_name", sa.String(length=200), nullable=False),
        sa.Column("ruling_unit_path", PATH, nullable=False),
        sa.Column("deadline_id", sa.Uuid(), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("ruled_by", sa.Uuid(), nullable=True),
        sa.Column("ruled_by_name", sa.String(length=80), nullable=True),
        sa.Column("ruled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ruling_note", sa.Text(), nullable=True),
        sa.Column("assigned_unit_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_unit_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_return_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_ticket_return_deadline_id_deadline"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_return")),
    )
    op.create_index("ix_ticket_return_ticket", "ticket_return", ["tenant_id", "ticket_id", "filed_at"])
    op.create_index("ix_ticket_return_ruling", "ticket_return", ["tenant_id", "state", "ruling_unit_path"])
    op.create_index(
        "uq_ticket_return_pending",
        "ticket_return",
        ["tenant_id", "ticket_id"],
        unique=True,
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "return_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ruling_minutes", sa.Integer(), nullable=False),
        sa.Column("working_time", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_setting")),
        sa.UniqueConstraint("tenant_id", name="uq_return_setting_tenant"),
    )
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
