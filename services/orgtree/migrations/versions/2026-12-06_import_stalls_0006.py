"""An import job records when its progress last changed, so a sweep can fail a job nobody works on any more.

Why: a job whose worker was killed on it (again and again, or until its message was dead-lettered) stayed
"checking" for ever and its page polled for ever. ``progressed_at`` is the sweep's clock (bulk/stalls.py); the
partial index keeps the sweep's look across districts to the unfinished jobs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "import_job",
        sa.Column("progressed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index(
        "ix_import_job_unfinished",
        "import_job",
        ["progressed_at"],
        postgresql_where=sa.text("state IN ('queued', 'checking', 'storing')"),
    )


def downgrade() -> None:
    op.drop_index("ix_import_job_unfinished", table_name="import_job")
    op.drop_column("import_job", "progressed_at")
