"""Monthly performance reports and the performance wall (issue 13, TRN-06): one report per member and month, the
district's public wall fields, and the scheduler's progress through each district's month.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

NEW_TABLES = ("monthly_report", "performance_wall", "monthly_report_run")
PATH = sa.String(length=400, collation="C")

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_report",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("branch_path", PATH, nullable=True),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("services", sa.Integer(), nullable=False),
        sa.Column("wishes", sa.Integer(), nullable=False),
        sa.Column("service_hours", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("credit_hours", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("commitments_published", sa.Integer(), nullable=False),
        sa.Column("commitments_evaluated", sa.Integer(), nullable=False),
        sa.Column("commitment_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_monthly_report_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_report")),
        sa.UniqueConstraint("tenant_id", "person_id", "month", name="uq_monthly_report_tenant_person_month"),
    )
    op.create_index(
        "ix_monthly_report_tenant_month_name", "monthly_report", ["tenant_id", "month", "name", "id"], unique=False
    )
    op.create_index(
        "ix_monthly_report_tenant_month_branch_path",
        "monthly_report",
        ["tenant_id", "month", "branch_path"],
        unique=False,
    )
    op.create_index(
        "ix_monthly_report_tenant_month_grid_path", "monthly_report", ["tenant_id", "month", "grid_path"], unique=False
    )
    op.create_table(
        "performance_wall",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("fields", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_performance_wall")),
    )
    op.create_table(
        "monthly_report_run",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("after", sa.Uuid(), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "month", name=op.f("pk_monthly_report_run")),
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("monthly_report_run")
    op.drop_table("performance_wall")
    op.drop_index("ix_monthly_report_tenant_month_grid_path", table_name="monthly_report")
    op.drop_index("ix_monthly_report_tenant_month_branch_path", table_name="monthly_report")
    op.drop_index("ix_monthly_report_tenant_month_name", table_name="monthly_report")
    op.drop_table("monthly_report")
