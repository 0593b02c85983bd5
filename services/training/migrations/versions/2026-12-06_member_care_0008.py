"""Mobile-member certificate reviews and re-education cases (issue 13): certificates, their append-only reviews,
the review deadlines the scheduler sweeps, the tasks an overdue review opens, the district's warning days, and
warned members' re-education cases.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls, make_append_only

NEW_TABLES = (
    "mobile_certificate",
    "certificate_review",
    "certificate_deadline",
    "care_task",
    "care_setting",
    "re_education_case",
)

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mobile_certificate",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("last_outcome", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_mobile_certificate_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobile_certificate")),
        sa.UniqueConstraint("tenant_id", "person_id", name="uq_mobile_certificate_tenant_person"),
    )
    op.create_index(
        "uq_mobile_certificate_tenant_number",
        "mobile_certificate",
        ["tenant_id", "number"],
        unique=True,
        postgresql_where=sa.text("number IS NOT NULL"),
    )
    op.create_index(
        "ix_mobile_certificate_tenant_due", "mobile_certificate", ["tenant_id", "review_due_on", "id"], unique=False
    )
    op.create_table(
        "certificate_review",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("reviewer_id", sa.Uuid(), nullable=True),
        sa.Column("reviewer_name", sa.String(length=100), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["mobile_certificate.id"],
            name=op.f("fk_certificate_review_certificate_id_mobile_certificate"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_review")),
    )
    op.create_index(
        "ix_certificate_review_tenant_certificate",
        "certificate_review",
        ["tenant_id", "certificate_id", "reviewed_on"],
        unique=False,
    )
    op.create_index("ix_certificate_review_tenant_due", "certificate_review", ["tenant_id", "due_on"], unique=False)
    op.create_table(
        "certificate_deadline",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["mobile_certificate.id"],
            name=op.f("fk_certificate_deadline_certificate_id_mobile_certificate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_deadline")),
        sa.UniqueConstraint("tenant_id", "certificate_id", "due_on", "kind", name="uq_certificate_deadline_tenant_due"),
    )
    op.create_index(
        "ix_certificate_deadline_unfired",
        "certificate_deadline",
        ["due_on"],
        unique=False,
        postgresql_where=sa.text("fired_at IS NULL"),
    )
    op.create_table(
        "care_task",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_review_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["mobile_certificate.id"],
            name=op.f("fk_care_task_certificate_id_mobile_certificate"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_care_task_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_task")),
        sa.UniqueConstraint("tenant_id", "certificate_id", "due_on", name="uq_care_task_tenant_due"),
    )
    op.create_index("ix_care_task_tenant_state_due", "care_task", ["tenant_id", "state", "due_on", "id"], unique=False)
    op.create_table(
        "care_setting",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("review_warning_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_care_setting")),
    )
    op.create_table(
        "re_education_case",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("warned_on", sa.Date(), nullable=False),
        sa.Column("educated_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("conclusion_note", sa.String(length=500), nullable=True),
        sa.Column("concluded_by", sa.Uuid(), nullable=True),
        sa.Column("concluded_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_re_education_case_person_id_person"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_re_education_case_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_re_education_case")),
        sa.UniqueConstraint("tenant_id", "member_id", "warned_on", name="uq_re_education_case_tenant_warning"),
    )
    op.create_index(
        "uq_re_education_case_tenant_open",
        "re_education_case",
        ["tenant_id", "person_id"],
        unique=True,
        postgresql_where=sa.text("concluded_at IS NULL"),
    )
    op.create_index(
        "ix_re_education_case_tenant_opened", "re_education_case", ["tenant_id", "opened_at", "id"], unique=False
    )
    for table in NEW_TABLES:
        enable_tenant_rls(table)
    make_append_only("certificate_review")


def downgrade() -> None:
    op.execute('DROP TRIGGER IF EXISTS certificate_review_append_only ON "certificate_review"')
    op.drop_index("ix_re_education_case_tenant_opened", table_name="re_education_case")
    op.drop_index(
        "uq_re_education_case_tenant_open",
        table_name="re_education_case",
        postgresql_where=sa.text("concluded_at IS NULL"),
    )
    op.drop_table("re_education_case")
    op.drop_table("care_setting")
    op.drop_index("ix_care_task_tenant_state_due", table_name="care_task")
    op.drop_table("care_task")
    op.drop_index(
        "ix_certificate_deadline_unfired",
        table_name="certificate_deadline",
        postgresql_where=sa.text("fired_at IS NULL"),
    )
    op.drop_table("certificate_deadline")
    op.drop_index("ix_certificate_review_tenant_due", table_name="certificate_review")
    op.drop_index("ix_certificate_review_tenant_certificate", table_name="certificate_review")
    op.drop_table("certificate_review")
    op.drop_index("ix_mobile_certificate_tenant_due", table_name="mobile_certificate")
    op.drop_index(
        "uq_mobile_certificate_tenant_number",
        table_name="mobile_certificate",
        postgresql_where=sa.text("number IS NOT NULL"),
    )
    op.drop_table("mobile_certificate")
