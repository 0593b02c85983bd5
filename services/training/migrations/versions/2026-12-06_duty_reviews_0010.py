"""Secretary duty reviews and rectification lists (issue 16, TRN-12/13): the district's review settings, monthly
rounds with their reproducible draw, each drawn secretary's review, its question list, the anonymous poll (who voted
and the counters, kept apart), and rectification items with their monthly progress notes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

PATH = sa.String(length=400, collation="C")
TABLES = (
    "duty_review_settings",
    "duty_review_round",
    "duty_review",
    "duty_review_question",
    "duty_poll_voter",
    "duty_poll_tally",
    "rectification_item",
    "rectification_progress",
)

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "duty_review_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("monthly_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_duty_review_settings")),
    )
    op.create_table(
        "duty_review_round",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("candidate_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("excluded_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_review_round")),
        sa.UniqueConstraint("tenant_id", "month", "unit_path", name="uq_duty_review_round_tenant_month_unit"),
    )
    op.create_index(
        "ix_duty_review_round_tenant_unit", "duty_review_round", ["tenant_id", "unit_path", "id"], unique=False
    )
    op.create_index(
        "ix_duty_review_round_tenant_created", "duty_review_round", ["tenant_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "duty_review",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("secretary_name", sa.String(length=100), nullable=False),
        sa.Column("branch_path", PATH, nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("questionnaire_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("questionnaire_count", sa.Integer(), nullable=True),
        sa.Column("questionnaire_note", sa.Text(), nullable=False),
        sa.Column("report_note", sa.Text(), nullable=False),
        sa.Column("report_seconds", sa.Integer(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("poll_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["duty_review_round.id"],
            name=op.f("fk_duty_review_round_id_duty_review_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_duty_review_person_id_person"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_review")),
        sa.UniqueConstraint("tenant_id", "round_id", "person_id", name="uq_duty_review_tenant_round_person"),
    )
    op.create_index(
        "ix_duty_review_tenant_round", "duty_review", ["tenant_id", "round_id", "secretary_name"], unique=False
    )
    op.create_index("ix_duty_review_tenant_person", "duty_review", ["tenant_id", "person_id"], unique=False)
    op.create_index("ix_duty_review_tenant_state", "duty_review", ["tenant_id", "state"], unique=False)
    op.create_table(
        "duty_review_question",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("asked_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["duty_review.id"],
            name=op.f("fk_duty_review_question_review_id_duty_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_review_question")),
    )
    op.create_index(
        "ix_duty_review_question_tenant_review",
        "duty_review_question",
        ["tenant_id", "review_id", "position"],
        unique=False,
    )
    op.create_table(
        "duty_poll_voter",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("voter_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["duty_review.id"], name=op.f("fk_duty_poll_voter_review_id_duty_review"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("review_id", "voter_id", name=op.f("pk_duty_poll_voter")),
    )
    op.create_table(
        "duty_poll_tally",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("aspect", sa.String(length=40), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["duty_review.id"], name=op.f("fk_duty_poll_tally_review_id_duty_review"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("review_id", "aspect", "grade", name=op.f("pk_duty_poll_tally")),
    )
    op.create_table(
        "rectification_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("leader", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.Column("done_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["duty_review.id"],
            name=op.f("fk_rectification_item_review_id_duty_review"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_item")),
    )
    op.create_index(
        "ix_rectification_item_tenant_open",
        "rectification_item",
        ["tenant_id", "done_at", "deadline", "id"],
        unique=False,
    )
    op.create_index(
        "ix_rectification_item_tenant_unit", "rectification_item", ["tenant_id", "unit_path", "deadline"], unique=False
    )
    op.create_index(
        "ix_rectification_item_tenant_review", "rectification_item", ["tenant_id", "review_id"], unique=False
    )
    op.create_table(
        "rectification_progress",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["rectification_item.id"],
            name=op.f("fk_rectification_progress_item_id_rectification_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_progress")),
        sa.UniqueConstraint("tenant_id", "item_id", "month", name="uq_rectification_progress_tenant_item_month"),
    )
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
