"""The Huaining dual network and what orgtree keeps for the other seeds (issue 16): instructors of grid party groups
and how many the district asks for (ORG-11), post claims with their history, branch nomination named as the seed
names it (ORG-14), the Red Flag coverage targets (ORG-21), each member's last organisational life (ORG-18), election
records with candidates and rounds (ORG-24).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.migrations import enable_tenant_rls

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = (
    "group_instructor",
    "post_claim",
    "red_flag_target",
    "org_life_attendance",
    "election",
    "election_candidate",
    "election_vote",
)
PATH = sa.String(length=400, collation="C")


def _keys() -> list[sa.Column[object]]:
    return [sa.Column("id", sa.Uuid(), nullable=False), sa.Column("tenant_id", sa.Uuid(), nullable=False)]


def upgrade() -> None:
    for column in ("instructors_from_township", "instructors_from_branch"):
        op.add_column("district_settings", sa.Column(column, sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE member SET post_method = 'branch_nomination' WHERE post_method = 'democratic_nomination'")
    op.create_table(
        "group_instructor",
        *_keys(),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("group_path", PATH, nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_instructor")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["org_node.id"], name=op.f("fk_group_instructor_group_id_org_node"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_group_instructor_member_id_member"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_group_instructor_group_path", "group_instructor", ["tenant_id", "group_path"])
    op.create_index("ix_group_instructor_member", "group_instructor", ["tenant_id", "member_id"])
    op.create_table(
        "post_claim",
        *_keys(),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("post_code", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_claim")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_post_claim_member_id_member"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_post_claim_member", "post_claim", ["tenant_id", "member_id", "claimed_on"])
    op.create_table(
        "red_flag_target",
        *_keys(),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("percent", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_target")),
        sa.UniqueConstraint("tenant_id", "year", name="uq_red_flag_target_year"),
    )
    op.create_table(
        "org_life_attendance",
        *_keys(),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("attendance_id", sa.Uuid(), nullable=False),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_life_attendance")),
        sa.UniqueConstraint("tenant_id", "member_id", name="uq_org_life_attendance_member"),
    )
    op.create_table(
        "election",
        *_keys(),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_path", PATH, nullable=False),
        sa.Column("body", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("seats", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_node.id"], name=op.f("fk_election_unit_id_org_node"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_election_unit_path", "election", ["tenant_id", "unit_path"])
    op.create_table(
        "election_candidate",
        *_keys(),
        sa.Column("election_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("nominated_by", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_candidate")),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
            name=op.f("fk_election_candidate_election_id_election"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_election_candidate_member_id_member"), ondelete="SET NULL"
        ),
    )
    op.create_index("ix_election_candidate_election", "election_candidate", ["tenant_id", "election_id"])
    op.create_table(
        "election_vote",
        *_keys(),
        sa.Column("election_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.SmallInteger(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("elected", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_vote")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_election_vote_election_id_election"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["election_candidate.id"],
            name=op.f("fk_election_vote_candidate_id_election_candidate"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "tenant_id", "election_id", "round", "candidate_id", name="uq_election_vote_round_candidate"
        ),
    )
    for table in NEW_TABLES:
        op.create_index(op.f(f"ix_{table}_tenant_id"), table, ["tenant_id"])
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.drop_table(table)
    op.execute("UPDATE member SET post_method = 'democratic_nomination' WHERE post_method = 'branch_nomination'")
    for column in ("instructors_from_branch", "instructors_from_township"):
        op.drop_column("district_settings", column)
