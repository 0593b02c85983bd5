"""Retention and legal hold, the deletion log, the regulation library and acceptance dossiers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

NEW_TABLES = ("document_deletion", "legal_hold", "regulation", "dossier", "dossier_item", "dossier_note")
PATH = sa.String(length=400, collation="C")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_deletion",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("retention_class", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("versions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted_by", sa.Uuid(), nullable=False),
        sa.Column("deleted_by_name", sa.String(length=100), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_deletion_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_deletion")),
    )
    op.create_index(
        "ix_document_deletion_tenant_deleted", "document_deletion", ["tenant_id", "deleted_at", "id"], unique=False
    )
    op.create_table(
        "legal_hold",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("placed_by", sa.Uuid(), nullable=False),
        sa.Column("placed_by_name", sa.String(length=100), nullable=True),
        sa.Column("placed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("release_reason", sa.String(length=500), nullable=True),
        sa.Column("released_by", sa.Uuid(), nullable=True),
        sa.Column("released_by_name", sa.String(length=100), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_legal_hold_document_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_hold")),
    )
    op.create_index(
        "uq_legal_hold_document_current",
        "legal_hold",
        ["document_id"],
        unique=True,
        postgresql_where=sa.text("released_at IS NULL"),
    )
    op.create_index("ix_legal_hold_tenant_placed", "legal_hold", ["tenant_id", "placed_at", "id"], unique=False)
    op.create_table(
        "regulation",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("trial", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.Uuid(), nullable=True),
        sa.Column("registered_by", sa.Uuid(), nullable=False),
        sa.Column("registered_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_regulation_document_id_document")),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["regulation.document_id"], name=op.f("fk_regulation_superseded_by_regulation")
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_regulation")),
    )
    op.create_index(
        "ix_regulation_tenant_unit", "regulation", ["tenant_id", "unit_path", "effective_from"], unique=False
    )
    op.create_table(
        "dossier",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=100), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_name", sa.String(length=100), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
    )
    op.create_index("ix_dossier_tenant_unit", "dossier", ["tenant_id", "unit_path", "id"], unique=False)
    op.create_table(
        "dossier_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=False),
        sa.Column("added_by_name", sa.String(length=100), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_dossier_item_dossier_id_dossier"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_dossier_item_document_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_item")),
        sa.UniqueConstraint("dossier_id", "document_id", name="uq_dossier_item_document"),
    )
    op.create_index("ix_dossier_item_tenant_document", "dossier_item", ["tenant_id", "document_id"], unique=False)
    op.create_table(
        "dossier_note",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_dossier_note_dossier_id_dossier"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_note")),
    )
    op.create_index("ix_dossier_note_dossier", "dossier_note", ["dossier_id", "created_at"], unique=False)

    for table in NEW_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
