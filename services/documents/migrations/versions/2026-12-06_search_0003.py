"""Chinese full-text search: segmented vectors, extracted text, OCR.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_search",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("vector", postgresql.TSVECTOR(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_version", sa.Integer(), nullable=False),
        sa.Column("extraction", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_search_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_search")),
    )
    op.create_index("ix_document_search_vector", "document_search", ["vector"], unique=False, postgresql_using="gin")
    op.create_index("ix_document_search_tenant_document", "document_search", ["tenant_id", "document_id"], unique=False)
    enable_tenant_rls("document_search")


def downgrade() -> None:
    op.drop_table("document_search")
