"""Public boards and their publish and withdraw log; the district's public slug; the subject directory's grids,
branches and removals.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls, make_append_only

NEW_TABLES = ("board", "publication", "publication_log", "public_district")
PATH = sa.String(length=400, collation="C")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=True),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_board_tenant_code"),
    )
    op.create_table(
        "publication",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("board_code", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("published_by_name", sa.String(length=100), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_by_name", sa.String(length=100), nullable=True),
        sa.Column("withdraw_reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
    )
    op.create_index(
        "ix_publication_tenant_board_unit", "publication", ["tenant_id", "board_code", "state", "unit_path"]
    )
    op.create_index("ix_publication_tenant_document", "publication", ["tenant_id", "document_id"])
    op.create_index(
        "uq_publication_live",
        "publication",
        ["tenant_id", "board_code", "document_id", "unit_path"],
        unique=True,
        postgresql_where=sa.text("state = 'published'"),
    )
    op.create_index(
        "uq_publication_tenant_source",
        "publication",
        ["tenant_id", "source_key"],
        unique=True,
        postgresql_where=sa.text("source_key IS NOT NULL"),
    )
    op.create_table(
        "publication_log",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("publication_id", sa.Uuid(), nullable=False),
        sa.Column("board_code", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_log")),
    )
    op.create_index("ix_publication_log_tenant_board", "publication_log", ["tenant_id", "board_code", "at", "id"])
    make_append_only("publication_log")
    op.create_table(
        "public_district",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_public_district")),
        sa.UniqueConstraint("slug", name="uq_public_district_slug"),
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)
    # the public pages find a district by its slug before they know its tenant: anyone may read the slugs and names
    op.execute('CREATE POLICY public_lookup ON "public_district" FOR SELECT USING (true)')

    # the subject directory: a member's grid and branch paths (the path is the grid's, else the branch's), the grid
    # a household or ticket waits on when its grid has not arrived yet, and a removed member's removal
    op.add_column("subject", sa.Column("grid_id", sa.Uuid(), nullable=True))
    op.add_column("subject", sa.Column("grid_path", PATH, nullable=True))
    op.add_column("subject", sa.Column("branch_path", PATH, nullable=True))
    op.add_column("subject", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_subject_tenant_grid", "subject", ["tenant_id", "grid_id"])
    op.create_index("ix_subject_tenant_kind_path", "subject", ["tenant_id", "kind", "path"])


def downgrade() -> None:
    op.drop_index("ix_subject_tenant_kind_path", table_name="subject")
    op.drop_index("ix_subject_tenant_grid", table_name="subject")
    for column in ("removed_at", "branch_path", "grid_path", "grid_id"):
        op.drop_column("subject", column)
    op.execute('DROP TRIGGER IF EXISTS publication_log_append_only ON "publication_log"')
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
