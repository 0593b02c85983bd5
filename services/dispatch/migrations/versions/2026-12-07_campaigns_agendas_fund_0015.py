"""Yaoxi campaign days, meeting agendas and the micro-fund (issue 16, DSP-13/21/23): the district's campaign
calendar, campaign days with their rosters, meetings with the agenda drawn for each, and the village micro-fund
ledger (its balance kept at zero or above by a check on every line).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")
TABLES = ("campaign_calendar", "campaign_day", "campaign_duty", "fund_entry", "agenda_meeting", "agenda_item")


def upgrade() -> None:
    op.create_table(
        "campaign_calendar",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mass_service_day", sa.Integer(), nullable=False),
        sa.Column("red_vest_weekday", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_calendar")),
        sa.UniqueConstraint("tenant_id", name="uq_campaign_calendar_tenant"),
    )
    op.create_table(
        "campaign_day",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_level", sa.String(length=10), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_day")),
        sa.UniqueConstraint("tenant_id", "unit_id", "kind", "held_on", name="uq_campaign_day_unit_kind_day"),
    )
    op.create_index("ix_campaign_day_held", "campaign_day", ["tenant_id", "held_on"])
    op.create_table(
        "campaign_duty",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_day_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("person_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=14), nullable=False),
        sa.Column("vest", sa.String(length=40), nullable=False),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_day_id"],
            ["campaign_day.id"],
            name=op.f("fk_campaign_duty_campaign_day_id_campaign_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_campaign_duty_provider_id_provider"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_duty")),
    )
    op.create_index("ix_campaign_duty_day", "campaign_duty", ["tenant_id", "campaign_day_id", "starts_at"])
    op.create_table(
        "fund_entry",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("village_id", sa.Uuid(), nullable=False),
        sa.Column("village_name", sa.String(length=200), nullable=False),
        sa.Column("village_path", PATH, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("balance_after", sa.Numeric(12, 2), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=False),
        sa.Column("donor", sa.String(length=100), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("wish_id", sa.Uuid(), nullable=True),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("linked_title", sa.String(length=200), nullable=True),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fund_entry_amount_positive")),
        sa.CheckConstraint("balance_after >= 0", name=op.f("ck_fund_entry_balance_not_negative")),
        sa.CheckConstraint(
            "kind = 'donation' OR wish_id IS NOT NULL OR ticket_id IS NOT NULL",
            name=op.f("ck_fund_entry_disbursement_linked"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_entry")),
    )
    op.create_index("ix_fund_entry_village", "fund_entry", ["tenant_id", "village_id", "booked_at"])
    op.create_table(
        "agenda_meeting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("attendees", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_meeting")),
    )
    op.create_index("ix_agenda_meeting_held", "agenda_meeting", ["tenant_id", "held_on"])
    op.create_table(
        "agenda_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_number", sa.String(length=20), nullable=False),
        sa.Column("ticket_title", sa.String(length=200), nullable=False),
        sa.Column("status_then", sa.String(length=12), nullable=False),
        sa.Column("level_then", sa.Integer(), nullable=False),
        sa.Column("warning_then", sa.String(length=10), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("referral_number", sa.String(length=40), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["agenda_meeting.id"],
            name=op.f("fk_agenda_item_meeting_id_agenda_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_agenda_item_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
        sa.UniqueConstraint("tenant_id", "meeting_id", "ticket_id", name="uq_agenda_item_meeting_ticket"),
    )
    op.create_index("ix_agenda_item_meeting", "agenda_item", ["tenant_id", "meeting_id", "position"])
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
