"""Training: people, the programme catalogue and its categories, sessions and attendance.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import create_kernel_tables, drop_kernel_tables, enable_tenant_rls

NEW_TABLES = ("person", "programme", "training_category", "training_session", "attendance")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kernel_tables("training")
    op.create_table(
        "person",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("phone_index", sa.LargeBinary(), nullable=True),
        sa.Column("phone_masked", sa.String(length=20), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("branch_path", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("classification", sa.String(length=20), nullable=True),
        sa.Column("flags", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("duties", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_index("ix_person_tenant_branch_path", "person", ["tenant_id", "branch_path", "id"], unique=False)
    op.create_index("ix_person_tenant_grid_path", "person", ["tenant_id", "grid_path", "id"], unique=False)
    op.create_index("ix_person_tenant_phone_index", "person", ["tenant_id", "phone_index"], unique=False)
    op.create_index("uq_person_tenant_member", "person", ["tenant_id", "member_id"], unique=True)
    op.create_index("uq_person_tenant_user", "person", ["tenant_id", "user_id"], unique=True)
    op.create_table(
        "programme",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=True),
        sa.Column("cadence", sa.String(length=60), nullable=True),
        sa.Column("default_credit_hours", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("counts", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_programme_tenant_code"),
    )
    op.create_table(
        "training_category",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_category")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_training_category_tenant_code"),
    )
    op.create_table(
        "training_session",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkin_opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkin_closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organiser_unit_id", sa.Uuid(), nullable=True),
        sa.Column("organiser_unit_name", sa.String(length=200), nullable=True),
        sa.Column("organiser_unit_path", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("credit_hours", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("training_days", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_training_session_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
    )
    op.create_index(
        "ix_training_session_tenant_programme",
        "training_session",
        ["tenant_id", "programme_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        "ix_training_session_tenant_starts", "training_session", ["tenant_id", "starts_at", "id"], unique=False
    )
    op.create_index(
        "ix_training_session_tenant_unit_path",
        "training_session",
        ["tenant_id", "organiser_unit_path", "starts_at"],
        unique=False,
    )
    op.create_table(
        "attendance",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_name", sa.String(length=100), nullable=True),
        sa.Column("credit_hours", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("training_days", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("counts", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_attendance_person_id_person"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_attendance_session_id_training_session"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("tenant_id", "session_id", "person_id", name="uq_attendance_tenant_session_person"),
    )
    op.create_index(
        "ix_attendance_tenant_person_checked_in",
        "attendance",
        ["tenant_id", "person_id", "checked_in_at"],
        unique=False,
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_index("ix_attendance_tenant_person_checked_in", table_name="attendance")
    op.drop_table("attendance")
    op.drop_index("ix_training_session_tenant_unit_path", table_name="training_session")
    op.drop_index("ix_training_session_tenant_starts", table_name="training_session")
    op.drop_index("ix_training_session_tenant_programme", table_name="training_session")
    op.drop_table("training_session")
    op.drop_table("training_category")
    op.drop_table("programme")
    op.drop_index("uq_person_tenant_user", table_name="person")
    op.drop_index("uq_person_tenant_member", table_name="person")
    op.drop_index("ix_person_tenant_phone_index", table_name="person")
    op.drop_index("ix_person_tenant_grid_path", table_name="person")
    op.drop_index("ix_person_tenant_branch_path", table_name="person")
    op.drop_table("person")
    drop_kernel_tables()
