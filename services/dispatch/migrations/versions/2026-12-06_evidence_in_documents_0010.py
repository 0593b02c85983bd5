"""evidence in documents (issue 14): photos of a ticket's work and of a fulfilled wish are filed in the documents
service; dispatch keeps their document ids (from documents' EvidenceFiled). Rows kept by dispatch before keep their
object key; new rows have none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ticket_evidence", sa.Column("document_id", sa.Uuid(), nullable=True))
    op.add_column("ticket_evidence", sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column("ticket_evidence", "object_key", existing_type=sa.String(length=300), nullable=True)
    op.create_unique_constraint("uq_ticket_evidence_tenant_document", "ticket_evidence", ["tenant_id", "document_id"])
    op.add_column("micro_wish", sa.Column("evidence_document_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("micro_wish", "evidence_document_id")
    op.drop_constraint("uq_ticket_evidence_tenant_document", "ticket_evidence", type_="unique")
    # photos filed in documents stay there; only the rows dispatch kept its own photos for fit the old table
    op.execute("DELETE FROM ticket_evidence WHERE object_key IS NULL")
    op.alter_column("ticket_evidence", "object_key", existing_type=sa.String(length=300), nullable=False)
    op.drop_column("ticket_evidence", "taken_at")
    op.drop_column("ticket_evidence", "document_id")
