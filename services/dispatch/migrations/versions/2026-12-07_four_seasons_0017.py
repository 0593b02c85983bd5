"""Ouhai's four-season programmes (issue 16, [004], DSP-13): a programme per year and season, its activities per
village or street, and the summer programme's free herbal-tea points with the member volunteers on duty.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")
TABLES = ("season_programme", "season_activity", "tea_point")


def _unit_columns() -> list[Any]:
    return [
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_level", sa.String(length=10), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("street_name", sa.String(length=200), nullable=False),
    ]


def _programme_key(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["season_programme.id"],
            name=op.f(f"fk_{table}_programme_id_season_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "season_programme",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("season", sa.String(length=6), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_name", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_programme")),
        sa.UniqueConstraint("tenant_id", "year", "season", name="uq_season_programme_year_season"),
    )
    op.create_table(
        "season_activity",
        *_programme_key("season_activity"),
        sa.Column("held_on", sa.Date(), nullable=False),
        *_unit_columns(),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_season_activity_programme", "season_activity", ["tenant_id", "programme_id", "held_on"])
    op.create_table(
        "tea_point",
        *_programme_key("tea_point"),
        sa.Column("place", sa.String(length=200), nullable=False),
        *_unit_columns(),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("on_duty_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("on_duty_names", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("cups", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=80), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tea_point_programme", "tea_point", ["tenant_id", "programme_id", "street_name"])
    for table in TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
