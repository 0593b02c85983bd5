"""The idle-item swap (issue 16, DSP-27 [003]): items registered at a community with their owner encrypted, the
monthly swap days (one per community or street and month), the items brought to each, and each item's steps; an
item is settled once (swapped or donated), which a check on the row holds.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")
TABLES = ("swap_event", "swap_item", "swap_event_item", "swap_step")
SETTLED_ONCE = (
    "(state = 'available' AND swapped_for_id IS NULL AND household_id IS NULL)"
    " OR (state = 'swapped' AND swapped_for_id IS NOT NULL AND settled_on IS NOT NULL"
    " AND household_id IS NULL)"
    " OR (state = 'donated' AND household_id IS NOT NULL AND settled_on IS NOT NULL"
    " AND swapped_for_id IS NULL)"
)


def upgrade() -> None:
    op.create_table(
        "swap_event",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_level", sa.String(length=10), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_event")),
        sa.UniqueConstraint("tenant_id", "unit_id", "month", name="uq_swap_event_unit_month"),
    )
    op.create_index("ix_swap_event_held", "swap_event", ["tenant_id", "held_on"])
    op.create_table(
        "swap_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("condition", sa.String(length=12), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("community_id", sa.Uuid(), nullable=False),
        sa.Column("community_name", sa.String(length=200), nullable=False),
        sa.Column("community_path", PATH, nullable=False),
        sa.Column("street_name", sa.String(length=200), nullable=True),
        sa.Column("owner_name_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("owner_name_masked", sa.String(length=50), nullable=False),
        sa.Column("owner_phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("owner_phone_index", sa.LargeBinary(), nullable=True),
        sa.Column("owner_phone_masked", sa.String(length=20), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("swapped_for_id", sa.Uuid(), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("registered_by_name", sa.String(length=80), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(SETTLED_ONCE, name=op.f("ck_swap_item_settled_once")),
        sa.ForeignKeyConstraint(
            ["swapped_for_id"],
            ["swap_item.id"],
            name=op.f("fk_swap_item_swapped_for_id_swap_item"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["swap_event.id"], name=op.f("fk_swap_item_event_id_swap_event"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_item")),
    )
    op.create_index("ix_swap_item_community", "swap_item", ["tenant_id", "community_path", "received_on"])
    op.create_index("ix_swap_item_owner_phone", "swap_item", ["tenant_id", "owner_phone_index"])
    op.create_table(
        "swap_event_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("brought_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["swap_event.id"], name=op.f("fk_swap_event_item_event_id_swap_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["swap_item.id"], name=op.f("fk_swap_event_item_item_id_swap_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_event_item")),
        sa.UniqueConstraint("tenant_id", "event_id", "item_id", name="uq_swap_event_item"),
    )
    op.create_table(
        "swap_step",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["swap_item.id"], name=op.f("fk_swap_step_item_id_swap_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_step")),
    )
    op.create_index("ix_swap_step_item", "swap_step", ["tenant_id", "item_id", "at"])
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
