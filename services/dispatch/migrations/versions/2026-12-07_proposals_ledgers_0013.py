"""Shenzhen proposals and delegate ledgers (issue 16, DSP-29/30/19): the member proposal box with its seminars and
history (resolution tiers community → street → district), and the delegates' and studios' opinion ledger. The
requester scores per department (DSP-19) are read from ``feedback``: no table of their own.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")


def upgrade() -> None:
    op.create_table(
        "proposal",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("proposer_member_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("proposer_names", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=False),
        sa.Column("community_name", sa.String(length=200), nullable=False),
        sa.Column("community_path", PATH, nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("street_name", sa.String(length=200), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("classified_by_name", sa.String(length=80), nullable=True),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    op.create_index("ix_proposal_filed", "proposal", ["tenant_id", "filed_on"])
    op.create_index("ix_proposal_community", "proposal", ["tenant_id", "community_id", "status"])
    op.create_table(
        "proposal_seminar",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_proposal_seminar_proposal_id_proposal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_seminar")),
    )
    op.create_index("ix_proposal_seminar_proposal", "proposal_seminar", ["tenant_id", "proposal_id", "held_on"])
    op.create_table(
        "proposal_step",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_proposal_step_proposal_id_proposal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_step")),
    )
    op.create_index("ix_proposal_step_proposal", "proposal_step", ["tenant_id", "proposal_id", "position"])
    op.create_table(
        "delegate_opinion",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("collector_id", sa.Uuid(), nullable=False),
        sa.Column("collector_name", sa.String(length=100), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("fed_back_on", sa.Date(), nullable=True),
        sa.Column("evaluation", sa.String(length=20), nullable=True),
        sa.Column("evaluation_note", sa.Text(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["collector_id"],
            ["provider.id"],
            name=op.f("fk_delegate_opinion_collector_id_provider"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegate_opinion")),
    )
    op.create_index("ix_delegate_opinion_collector", "delegate_opinion", ["tenant_id", "collector_id", "collected_on"])
    op.create_index("ix_delegate_opinion_collected", "delegate_opinion", ["tenant_id", "collected_on"])
    for table in ("proposal", "proposal_seminar", "proposal_step", "delegate_opinion"):
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("delegate_opinion")
    op.drop_table("proposal_step")
    op.drop_table("proposal_seminar")
    op.drop_table("proposal")
