"""Red Flag Community evaluations, assessments and open organisational-life bases (issue 16, TRN-14/11/15): each
community's evaluation per year with its steps; the district's indicator sets, score sheets per subject, period and
kind, and the year-end democratic poll of a member (who voted and the counters, kept apart); the bases (orgtree's
venues), their menus of activities and the branches' bookings with attendance.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

PATH = sa.String(length=400, collation="C")
TABLES = (
    "red_flag_evaluation",
    "red_flag_step",
    "assessment_set",
    "assessment_sheet",
    "assessment_poll",
    "assessment_poll_voter",
    "assessment_poll_tally",
    "org_life_base",
    "base_activity",
    "base_booking",
)

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _text(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "red_flag_evaluation",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.String(length=4), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("self_score", sa.Numeric(5, 2), nullable=True),
        _text("self_check_note"),
        _text("application_note"),
        sa.Column("street_score", sa.Numeric(5, 2), nullable=True),
        _text("street_opinion"),
        _text("returned_reason"),
        _text("site_visit_note"),
        _text("document_review_note"),
        _text("interviews_note"),
        sa.Column("acceptance_score", sa.Numeric(5, 2), nullable=True),
        _text("decision_reason"),
        sa.Column("recommended_to_city", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("award_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_evaluation")),
        sa.UniqueConstraint("tenant_id", "unit_id", "year", name="uq_red_flag_evaluation_tenant_unit_year"),
    )
    op.create_index(
        "ix_red_flag_evaluation_tenant_path", "red_flag_evaluation", ["tenant_id", "unit_path", "year"], unique=False
    )
    op.create_index(
        "ix_red_flag_evaluation_tenant_year", "red_flag_evaluation", ["tenant_id", "year", "state"], unique=False
    )
    op.create_table(
        "red_flag_step",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("evaluation_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        _text("note"),
        sa.Column("taken_by", sa.Uuid(), nullable=False),
        sa.Column("taken_by_name", sa.String(length=100), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["red_flag_evaluation.id"],
            name=op.f("fk_red_flag_step_evaluation_id_red_flag_evaluation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_step")),
    )
    op.create_index(
        "ix_red_flag_step_tenant_evaluation", "red_flag_step", ["tenant_id", "evaluation_id", "taken_at"], unique=False
    )
    op.create_table(
        "assessment_set",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("domain", sa.String(length=20), nullable=True),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_set")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_assessment_set_tenant_code"),
    )
    op.create_table(
        "assessment_sheet",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("set_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("subject_path", PATH, nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("total", sa.Numeric(6, 2), nullable=False),
        _text("note"),
        sa.Column("scored_by", sa.Uuid(), nullable=False),
        sa.Column("scored_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["assessment_set.id"],
            name=op.f("fk_assessment_sheet_set_id_assessment_set"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_assessment_sheet_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_sheet")),
        sa.UniqueConstraint(
            "tenant_id",
            "set_id",
            "subject_id",
            "period",
            "kind",
            name="uq_assessment_sheet_tenant_set_subject_period_kind",
        ),
    )
    op.create_index(
        "ix_assessment_sheet_tenant_period_path",
        "assessment_sheet",
        ["tenant_id", "period", "subject_path"],
        unique=False,
    )
    op.create_table(
        "assessment_poll",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("subject_name", sa.String(length=100), nullable=False),
        sa.Column("subject_path", PATH, nullable=False),
        sa.Column("year", sa.String(length=4), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("opened_by_name", sa.String(length=100), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_assessment_poll_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_poll")),
        sa.UniqueConstraint("tenant_id", "person_id", "year", name="uq_assessment_poll_tenant_person_year"),
    )
    op.create_table(
        "assessment_poll_voter",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("poll_id", sa.Uuid(), nullable=False),
        sa.Column("voter_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["assessment_poll.id"],
            name=op.f("fk_assessment_poll_voter_poll_id_assessment_poll"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", "voter_id", name=op.f("pk_assessment_poll_voter")),
    )
    op.create_table(
        "assessment_poll_tally",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("poll_id", sa.Uuid(), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["assessment_poll.id"],
            name=op.f("fk_assessment_poll_tally_poll_id_assessment_poll"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", "grade", name=op.f("pk_assessment_poll_tally")),
    )
    op.create_table(
        "org_life_base",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_life_base")),
        sa.UniqueConstraint("tenant_id", "venue_id", name="uq_org_life_base_tenant_venue"),
    )
    op.create_index("ix_org_life_base_tenant_path", "org_life_base", ["tenant_id", "unit_path"], unique=False)
    op.create_table(
        "base_activity",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("base_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        _text("description"),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_id"], ["org_life_base.id"], name=op.f("fk_base_activity_base_id_org_life_base"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_activity")),
    )
    op.create_index("ix_base_activity_tenant_base", "base_activity", ["tenant_id", "base_id"], unique=False)
    op.create_table(
        "base_booking",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("base_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("branch_path", PATH, nullable=False),
        sa.Column("branch_name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attended", sa.Integer(), nullable=True),
        _text("attendance_note"),
        sa.Column("booked_by", sa.Uuid(), nullable=False),
        sa.Column("booked_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["base_id"], ["org_life_base.id"], name=op.f("fk_base_booking_base_id_org_life_base"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["base_activity.id"],
            name=op.f("fk_base_booking_activity_id_base_activity"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_booking")),
    )
    op.create_index(
        "uq_base_booking_tenant_base_start",
        "base_booking",
        ["tenant_id", "base_id", "starts_at"],
        unique=True,
        postgresql_where=sa.text("state <> 'cancelled'"),
    )
    op.create_index(
        "ix_base_booking_tenant_branch", "base_booking", ["tenant_id", "branch_path", "starts_at"], unique=False
    )
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
