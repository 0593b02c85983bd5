"""Cadre attendance (ORG-25): the duty roster with one cadre per village and working day, leave requests,
attendance per cadre and day, the district's escalation thresholds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("attendance_threshold", "duty_roster_entry", "leave_request", "cadre_attendance")


def _keys() -> list[sa.Column[object]]:
    return [sa.Column("id", sa.Uuid(), nullable=False), sa.Column("tenant_id", sa.Uuid(), nullable=False)]


def _on(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "attendance_threshold",
        *_keys(),
        sa.Column("reminder", sa.SmallInteger(), nullable=False),
        sa.Column("criticism", sa.SmallInteger(), nullable=False),
        sa.Column("fine", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_threshold")),
        sa.UniqueConstraint("tenant_id", name="uq_attendance_threshold_tenant"),
    )
    op.create_table(
        "duty_roster_entry",
        *_keys(),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("duty_day", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_roster_entry")),
        _on("duty_roster_entry", "unit_id", "org_node"),
        _on("duty_roster_entry", "member_id", "member"),
        sa.UniqueConstraint("tenant_id", "unit_id", "duty_day", name="uq_duty_roster_entry_unit_day"),
    )
    op.create_index("ix_duty_roster_entry_member", "duty_roster_entry", ["tenant_id", "member_id", "duty_day"])
    op.create_table(
        "leave_request",
        *_keys(),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_request")),
        _on("leave_request", "unit_id", "org_node"),
        _on("leave_request", "member_id", "member"),
    )
    op.create_index("ix_leave_request_unit", "leave_request", ["tenant_id", "unit_id", "first_day"])
    op.create_index("ix_leave_request_member", "leave_request", ["tenant_id", "member_id", "first_day"])
    op.create_table(
        "cadre_attendance",
        *_keys(),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("leave_request_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadre_attendance")),
        _on("cadre_attendance", "unit_id", "org_node"),
        _on("cadre_attendance", "member_id", "member"),
        _on("cadre_attendance", "leave_request_id", "leave_request", "SET NULL"),
        sa.UniqueConstraint("tenant_id", "member_id", "day", name="uq_cadre_attendance_member_day"),
    )
    op.create_index("ix_cadre_attendance_unit_day", "cadre_attendance", ["tenant_id", "unit_id", "day"])
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
