"""Hotline: settings and catalogue, directory, providers, tickets and their history, offers, clocks,
referral notices, closure, time bank, micro-wishes, the delivery log and phone verification.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import create_kernel_tables, drop_kernel_tables, enable_tenant_rls, make_append_only

NEW_TABLES = (
    "calendar_day",
    "directory_grid",
    "directory_household",
    "directory_link",
    "dispatch_settings",
    "ladder_level",
    "micro_wish",
    "notification",
    "phone_verification",
    "provider",
    "service_category",
    "ticket_counter",
    "timebank_account",
    "service_item",
    "timebank_entry",
    "ticket",
    "callback",
    "deadline",
    "feedback",
    "offer",
    "referral_notice",
    "ticket_history",
    "extension",
)
# Who did what to a ticket, and every points movement, are history: never rewritten.
APPEND_ONLY = ("ticket_history", "timebank_entry")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kernel_tables("dispatch")
    op.create_table(
        "calendar_day",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_day")),
        sa.UniqueConstraint("tenant_id", "day", name="uq_calendar_day_tenant_day"),
    )
    op.create_index(op.f("ix_calendar_day_tenant_id"), "calendar_day", ["tenant_id"], unique=False)
    op.create_table(
        "directory_grid",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("ancestors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("leader_member_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("grid_id", name=op.f("pk_directory_grid")),
    )
    op.create_table(
        "directory_household",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_directory_household")),
    )
    op.create_table(
        "directory_link",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", "member_id", name=op.f("pk_directory_link")),
    )
    op.create_table(
        "dispatch_settings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hotline_number", sa.String(length=20), nullable=False),
        sa.Column("arrival_limit_minutes", sa.Integer(), nullable=False),
        sa.Column("offer_timeout_seconds", sa.Integer(), nullable=False),
        sa.Column("duplicate_window_days", sa.Integer(), nullable=False),
        sa.Column("red_after_minutes", sa.Integer(), nullable=False),
        sa.Column("working_weekdays", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("work_starts", sa.Time(), nullable=False),
        sa.Column("work_ends", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=40), nullable=False),
        sa.Column("webhook_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_settings")),
        sa.UniqueConstraint("tenant_id", name="uq_dispatch_settings_tenant"),
    )
    op.create_index(op.f("ix_dispatch_settings_tenant_id"), "dispatch_settings", ["tenant_id"], unique=False)
    op.create_table(
        "ladder_level",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("org_level", sa.String(length=20), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("issues_referral", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladder_level")),
        sa.UniqueConstraint("tenant_id", "rank", name="uq_ladder_level_tenant_rank"),
    )
    op.create_index(op.f("ix_ladder_level_tenant_id"), "ladder_level", ["tenant_id"], unique=False)
    op.create_table(
        "micro_wish",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("value_yuan", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_masked", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claimer_kind", sa.String(length=12), nullable=True),
        sa.Column("claimer_user_id", sa.Uuid(), nullable=True),
        sa.Column("claimer_provider_id", sa.Uuid(), nullable=True),
        sa.Column("claimer_unit", sa.String(length=100), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fulfilled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence_note", sa.Text(), nullable=True),
        sa.Column("evidence_key", sa.String(length=300), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_micro_wish")),
    )
    op.create_index("ix_micro_wish_tenant_status", "micro_wish", ["tenant_id", "status", "created_at"], unique=False)
    op.create_table(
        "notification",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("recipient_kind", sa.String(length=12), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=True),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("offer_id", sa.Uuid(), nullable=True),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("first_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(
        "ix_notification_retry",
        "notification",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('pending', 'retrying')"),
    )
    op.create_index("ix_notification_ticket", "notification", ["tenant_id", "ticket_id"], unique=False)
    op.create_table(
        "phone_verification",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("phone_index", sa.LargeBinary(), nullable=False),
        sa.Column("phone_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_verification")),
    )
    op.create_index(
        "ix_phone_verification_phone", "phone_verification", ["tenant_id", "phone_index", "created_at"], unique=False
    )
    op.create_table(
        "provider",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("skills", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("card_number", sa.String(length=40), nullable=True),
        sa.Column("insured", sa.Boolean(), nullable=False),
        sa.Column("fee_mode", sa.String(length=10), nullable=True),
        sa.Column("phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("phone_masked", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("tenant_id", "member_id", name="uq_provider_tenant_member_id"),
    )
    op.create_index("ix_provider_tenant_grid", "provider", ["tenant_id", "grid_id"], unique=False)
    op.create_index("ix_provider_tenant_user", "provider", ["tenant_id", "user_id"], unique=False)
    op.create_table(
        "service_category",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("sign_for_minutes", sa.Integer(), nullable=True),
        sa.Column("arrival_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("working_time", sa.Boolean(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_category")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_service_category_tenant_code"),
    )
    op.create_index(op.f("ix_service_category_tenant_id"), "service_category", ["tenant_id"], unique=False)
    op.create_table(
        "ticket_counter",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "day", name=op.f("pk_ticket_counter")),
    )
    op.create_table(
        "timebank_account",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("holder_kind", sa.String(length=12), nullable=False),
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.Column("balance_points", sa.BigInteger(), nullable=False),
        sa.Column("service_minutes", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("balance_points >= 0", name=op.f("ck_timebank_account_balance_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timebank_account")),
        sa.UniqueConstraint("tenant_id", "holder_kind", "holder_id", name="uq_timebank_account_holder"),
    )
    op.create_table(
        "service_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("handling", sa.String(length=10), nullable=False),
        sa.Column("skill", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_service_item_category_id_service_category"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_item")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_service_item_tenant_code"),
    )
    op.create_index(op.f("ix_service_item_tenant_id"), "service_item", ["tenant_id"], unique=False)
    op.create_table(
        "timebank_entry",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("counterpart_account_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("by_user", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["timebank_account.id"],
            name=op.f("fk_timebank_entry_account_id_timebank_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timebank_entry")),
        sa.UniqueConstraint("tenant_id", "ticket_id", "kind", name="uq_timebank_entry_ticket_kind"),
    )
    op.create_index("ix_timebank_entry_account", "timebank_entry", ["tenant_id", "account_id", "at"], unique=False)
    op.create_table(
        "ticket",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=True),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("scope_kind", sa.String(length=12), nullable=True),
        sa.Column("difficulty", sa.String(length=12), nullable=True),
        sa.Column("caller_name_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("caller_name_masked", sa.String(length=100), nullable=True),
        sa.Column("caller_phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("caller_phone_index", sa.LargeBinary(), nullable=True),
        sa.Column("caller_phone_masked", sa.String(length=20), nullable=True),
        sa.Column("caller_user_id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("address_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("address_index", sa.LargeBinary(), nullable=True),
        sa.Column("address_masked", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("level_rank", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrival_late", sa.Boolean(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_minutes", sa.Integer(), nullable=True),
        sa.Column("material_cost", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("gifts_accepted", sa.String(length=200), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warning", sa.String(length=10), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_category.id"],
            name=op.f("fk_ticket_category_id_service_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["service_item.id"], name=op.f("fk_ticket_item_id_service_item"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["ticket.id"], name=op.f("fk_ticket_merged_into_id_ticket"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_ticket_provider_id_provider"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
        sa.UniqueConstraint("tenant_id", "number", name="uq_ticket_tenant_number"),
    )
    op.create_index("ix_ticket_tenant_address", "ticket", ["tenant_id", "address_index", "created_at"], unique=False)
    op.create_index("ix_ticket_tenant_grid", "ticket", ["tenant_id", "grid_path", "created_at"], unique=False)
    op.create_index("ix_ticket_tenant_household", "ticket", ["tenant_id", "household_id", "created_at"], unique=False)
    op.create_index("ix_ticket_tenant_phone", "ticket", ["tenant_id", "caller_phone_index", "created_at"], unique=False)
    op.create_index("ix_ticket_tenant_provider", "ticket", ["tenant_id", "provider_id", "status"], unique=False)
    op.create_index("ix_ticket_tenant_status", "ticket", ["tenant_id", "status", "created_at"], unique=False)
    op.create_table(
        "callback",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("waiver_reason", sa.Text(), nullable=True),
        sa.Column("by_user", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_callback_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    op.create_index("ix_callback_ticket", "callback", ["tenant_id", "ticket_id", "at"], unique=False)
    op.create_table(
        "deadline",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("level_rank", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_deadline_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline")),
    )
    op.create_index(
        "ix_deadline_due",
        "deadline",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL"),
    )
    op.create_index("ix_deadline_ticket", "deadline", ["tenant_id", "ticket_id"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=False),
        sa.Column("handler_score", sa.Integer(), nullable=True),
        sa.Column("station_score", sa.Integer(), nullable=True),
        sa.Column("process_score", sa.Integer(), nullable=True),
        sa.Column("result_score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("given_by", sa.Uuid(), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_feedback_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_ticket", "feedback", ["tenant_id", "ticket_id", "given_at"], unique=False)
    op.create_table(
        "offer",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("reasons", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_offer_provider_id_provider"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_offer_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
    )
    op.create_index(
        "ix_offer_open_expiry", "offer", ["expires_at"], unique=False, postgresql_where=sa.text("status = 'open'")
    )
    op.create_index(
        "ix_offer_provider_open",
        "offer",
        ["tenant_id", "provider_id"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("ix_offer_ticket", "offer", ["tenant_id", "ticket_id"], unique=False)
    op.create_table(
        "referral_notice",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("meeting", sa.String(length=100), nullable=False),
        sa.Column("responsible_unit", sa.String(length=100), nullable=False),
        sa.Column("responsible_person", sa.String(length=60), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_referral_notice_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_notice")),
        sa.UniqueConstraint("tenant_id", "number", name="uq_referral_notice_tenant_number"),
    )
    op.create_index("ix_referral_notice_ticket", "referral_notice", ["tenant_id", "ticket_id"], unique=False)
    op.create_table(
        "ticket_history",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=True),
        sa.Column("from_level", sa.Integer(), nullable=True),
        sa.Column("to_level", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_history_ticket_id_ticket"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_history")),
    )
    op.create_index("ix_ticket_history_ticket", "ticket_history", ["tenant_id", "ticket_id", "at"], unique=False)
    op.create_table(
        "extension",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("deadline_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_extension_deadline_id_deadline"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_extension_ticket_id_ticket"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension")),
    )
    op.create_index("ix_extension_ticket", "extension", ["tenant_id", "ticket_id"], unique=False)
    for table in NEW_TABLES:
        enable_tenant_rls(table)
    for table in APPEND_ONLY:
        make_append_only(table)


def downgrade() -> None:
    op.drop_index("ix_extension_ticket", table_name="extension")
    op.drop_table("extension")
    op.drop_index("ix_ticket_history_ticket", table_name="ticket_history")
    op.drop_table("ticket_history")
    op.drop_index("ix_referral_notice_ticket", table_name="referral_notice")
    op.drop_table("referral_notice")
    op.drop_index("ix_offer_ticket", table_name="offer")
    op.drop_index("ix_offer_provider_open", table_name="offer", postgresql_where=sa.text("status = 'open'"))
    op.drop_index("ix_offer_open_expiry", table_name="offer", postgresql_where=sa.text("status = 'open'"))
    op.drop_table("offer")
    op.drop_index("ix_feedback_ticket", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_deadline_ticket", table_name="deadline")
    op.drop_index(
        "ix_deadline_due", table_name="deadline", postgresql_where=sa.text("fired_at IS NULL AND cancelled_at IS NULL")
    )
    op.drop_table("deadline")
    op.drop_index("ix_callback_ticket", table_name="callback")
    op.drop_table("callback")
    op.drop_index("ix_ticket_tenant_status", table_name="ticket")
    op.drop_index("ix_ticket_tenant_provider", table_name="ticket")
    op.drop_index("ix_ticket_tenant_phone", table_name="ticket")
    op.drop_index("ix_ticket_tenant_household", table_name="ticket")
    op.drop_index("ix_ticket_tenant_grid", table_name="ticket")
    op.drop_index("ix_ticket_tenant_address", table_name="ticket")
    op.drop_table("ticket")
    op.drop_index("ix_timebank_entry_account", table_name="timebank_entry")
    op.drop_table("timebank_entry")
    op.drop_index(op.f("ix_service_item_tenant_id"), table_name="service_item")
    op.drop_table("service_item")
    op.drop_table("timebank_account")
    op.drop_table("ticket_counter")
    op.drop_index(op.f("ix_service_category_tenant_id"), table_name="service_category")
    op.drop_table("service_category")
    op.drop_index("ix_provider_tenant_user", table_name="provider")
    op.drop_index("ix_provider_tenant_grid", table_name="provider")
    op.drop_table("provider")
    op.drop_index("ix_phone_verification_phone", table_name="phone_verification")
    op.drop_table("phone_verification")
    op.drop_index("ix_notification_ticket", table_name="notification")
    op.drop_index(
        "ix_notification_retry",
        table_name="notification",
        postgresql_where=sa.text("status IN ('pending', 'retrying')"),
    )
    op.drop_table("notification")
    op.drop_index("ix_micro_wish_tenant_status", table_name="micro_wish")
    op.drop_table("micro_wish")
    op.drop_index(op.f("ix_ladder_level_tenant_id"), table_name="ladder_level")
    op.drop_table("ladder_level")
    op.drop_index(op.f("ix_dispatch_settings_tenant_id"), table_name="dispatch_settings")
    op.drop_table("dispatch_settings")
    op.drop_table("directory_link")
    op.drop_table("directory_household")
    op.drop_table("directory_grid")
    op.drop_index(op.f("ix_calendar_day_tenant_id"), table_name="calendar_day")
    op.drop_table("calendar_day")
    drop_kernel_tables()
