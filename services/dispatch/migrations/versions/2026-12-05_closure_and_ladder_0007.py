"""closure and ladder (issue 12): names beside user ids, how feedback was collected, points per resolution,
and each clock's configured limit.

Every new column on an existing row is nullable (or has a constant default): the tables are under forced
row-level security and two of them are append-only, so nothing is back-filled; rows written before this
revision read as "not recorded".

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = (
    ("ticket_history", "actor_name"),
    ("callback", "by_name"),
    ("feedback", "given_by_name"),
    ("referral_notice", "issued_by_name"),
    ("extension", "requested_by_name"),
    ("extension", "decided_by_name"),
)


def upgrade() -> None:
    # People, not ids: the display name (or provider name) at the time of writing.
    for table, column in NAMES:
        op.add_column(table, sa.Column(column, sa.String(80)))
    op.add_column("ticket_history", sa.Column("actor_kind", sa.String(10)))  # staff | provider | resident | system
    # How the served person's feedback reached us: sms | page | phone.
    op.add_column("feedback", sa.Column("via", sa.String(10)))
    # Points follow the ticket: one credit and at most one reversal per resolution ("round").
    op.add_column("timebank_entry", sa.Column("round", sa.Integer(), nullable=False, server_default=sa.text("1")))
    op.drop_constraint("uq_timebank_entry_ticket_kind", "timebank_entry", type_="unique")
    op.create_unique_constraint(
        "uq_timebank_entry_ticket_kind_round", "timebank_entry", ["tenant_id", "ticket_id", "kind", "round"]
    )
    # A clock's configured limit, so a warning can say what it was (a due time may have been extended).
    op.add_column("deadline", sa.Column("limit_minutes", sa.Integer()))
    op.add_column("deadline", sa.Column("working_time", sa.Boolean()))


def downgrade() -> None:
    op.drop_column("deadline", "working_time")
    op.drop_column("deadline", "limit_minutes")
    op.drop_constraint("uq_timebank_entry_ticket_kind_round", "timebank_entry", type_="unique")
    op.create_unique_constraint("uq_timebank_entry_ticket_kind", "timebank_entry", ["tenant_id", "ticket_id", "kind"])
    op.drop_column("timebank_entry", "round")
    op.drop_column("feedback", "via")
    op.drop_column("ticket_history", "actor_kind")
    for table, column in reversed(NAMES):
        op.drop_column(table, column)
