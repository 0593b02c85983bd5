"""Imports run as jobs: the uploaded file, the worker's progress and the outcome (issue 15).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("created", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=True),
        sa.Column("requester_roles", sa.String(length=200), nullable=False),
        sa.Column("requester_scope", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_index("ix_import_job_requester", "import_job", ["tenant_id", "requested_by", "created_at"])
    op.create_index(op.f("ix_import_job_tenant_id"), "import_job", ["tenant_id"])
    enable_tenant_rls("import_job")


def downgrade() -> None:
    op.drop_table("import_job")  # its indexes and policy go with it
