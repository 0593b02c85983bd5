"""Level schemas, node history, members, households, red-cell and guidance links, cadres, groupings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

NEW_TABLES = (
    "district_settings",
    "org_level",
    "org_node_version",
    "post",
    "member",
    "membership_transfer",
    "grid_leader",
    "household",
    "household_link",
    "household_event",
    "guidance_link",
    "guidance_contact",
    "cadre_posting",
    "grouping",
    "grouping_member",
)

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "district_settings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dual_network", sa.Boolean(), nullable=False),
        sa.Column("household_links_min", sa.Integer(), nullable=False),
        sa.Column("household_links_max", sa.Integer(), nullable=False),
        sa.Column("guided_members_min", sa.Integer(), nullable=False),
        sa.Column("guided_members_max", sa.Integer(), nullable=False),
        sa.Column("guidance_contacts_per_month", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_settings")),
        sa.UniqueConstraint("tenant_id", name="uq_district_settings_tenant"),
    )
    op.create_index(op.f("ix_district_settings_tenant_id"), "district_settings", ["tenant_id"], unique=False)
    op.create_table(
        "membership_transfer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("from_branch_id", sa.Uuid(), nullable=True),
        sa.Column("to_branch_id", sa.Uuid(), nullable=True),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_transfer")),
    )
    op.create_index(
        "ix_membership_transfer_member",
        "membership_transfer",
        ["tenant_id", "member_id", "transferred_on"],
        unique=False,
    )
    op.create_index(op.f("ix_membership_transfer_tenant_id"), "membership_transfer", ["tenant_id"], unique=False)
    op.create_table(
        "org_level",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tree", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("parent_codes", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("is_grid", sa.Boolean(), nullable=False),
        sa.Column("is_village", sa.Boolean(), nullable=False),
        sa.Column("holds_members", sa.Boolean(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_level")),
        sa.UniqueConstraint("tenant_id", "tree", "code", name="uq_org_level_tenant_tree_code"),
    )
    op.create_index(op.f("ix_org_level_tenant_id"), "org_level", ["tenant_id"], unique=False)
    op.create_table(
        "org_node_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("node_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("tree", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_node_version")),
    )
    op.create_index(op.f("ix_org_node_version_node_id"), "org_node_version", ["node_id"], unique=False)
    op.create_index(
        "ix_org_node_version_parent", "org_node_version", ["tenant_id", "parent_id", "valid_from"], unique=False
    )
    op.create_index(op.f("ix_org_node_version_tenant_id"), "org_node_version", ["tenant_id"], unique=False)
    op.create_table(
        "post",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_post_tenant_code"),
    )
    op.create_index(op.f("ix_post_tenant_id"), "post", ["tenant_id"], unique=False)
    op.create_table(
        "household",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("grid_path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("head_name_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("head_name_masked", sa.String(length=100), nullable=True),
        sa.Column("address_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("address_masked", sa.String(length=200), nullable=True),
        sa.Column("phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("phone_index", sa.LargeBinary(), nullable=True),
        sa.Column("phone_masked", sa.String(length=20), nullable=True),
        sa.Column("categories", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("is_member_hub", sa.Boolean(), nullable=False),
        sa.Column("plaque", sa.String(length=40), nullable=True),
        sa.Column("plaque_issued_on", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["org_node.id"], name=op.f("fk_household_grid_id_org_node"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    op.create_index("ix_household_tenant_grid_path", "household", ["tenant_id", "grid_path", "id"], unique=False)
    op.create_index("ix_household_tenant_phone_index", "household", ["tenant_id", "phone_index"], unique=False)
    op.create_table(
        "member",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_card_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("id_card_index", sa.LargeBinary(), nullable=True),
        sa.Column("id_card_masked", sa.String(length=20), nullable=True),
        sa.Column("phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("phone_index", sa.LargeBinary(), nullable=True),
        sa.Column("phone_masked", sa.String(length=20), nullable=True),
        sa.Column("classification", sa.String(length=20), nullable=False),
        sa.Column("flags", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("info_card", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=True),
        sa.Column("grid_path", sa.String(length=400, collation="C"), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("branch_path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("post_code", sa.String(length=40), nullable=True),
        sa.Column("post_method", sa.String(length=30), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["org_node.id"], name=op.f("fk_member_branch_id_org_node"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["org_node.id"], name=op.f("fk_member_grid_id_org_node"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("tenant_id", "id_card_index", name="uq_member_tenant_id_card_index"),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_member_tenant_user_id"),
    )
    op.create_index("ix_member_tenant_branch_path", "member", ["tenant_id", "branch_path", "id"], unique=False)
    op.create_index("ix_member_tenant_grid_path", "member", ["tenant_id", "grid_path", "id"], unique=False)
    op.create_index("ix_member_tenant_phone_index", "member", ["tenant_id", "phone_index"], unique=False)
    op.create_table(
        "cadre_posting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("village_id", sa.Uuid(), nullable=False),
        sa.Column("village_path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("cross_appointed", sa.Boolean(), nullable=False),
        sa.Column("one_shoulder", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_cadre_posting_member_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["org_node.id"], name=op.f("fk_cadre_posting_village_id_org_node"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadre_posting")),
        sa.UniqueConstraint("tenant_id", "member_id", "village_id", "kind", name="uq_cadre_posting_member_village"),
    )
    op.create_index(op.f("ix_cadre_posting_tenant_id"), "cadre_posting", ["tenant_id"], unique=False)
    op.create_index("ix_cadre_posting_village_path", "cadre_posting", ["tenant_id", "village_path"], unique=False)
    op.create_table(
        "grid_leader",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("grid_id", sa.Uuid(), nullable=False),
        sa.Column("grid_path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["org_node.id"], name=op.f("fk_grid_leader_grid_id_org_node"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_grid_leader_member_id_member"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_leader")),
        sa.UniqueConstraint("tenant_id", "grid_id", name="uq_grid_leader_tenant_grid"),
    )
    op.create_index(op.f("ix_grid_leader_grid_path"), "grid_leader", ["grid_path"], unique=False)
    op.create_index(op.f("ix_grid_leader_tenant_id"), "grid_leader", ["tenant_id"], unique=False)
    op.create_table(
        "grouping",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("anchor_id", sa.Uuid(), nullable=False),
        sa.Column("anchor_path", sa.String(length=400, collation="C"), nullable=False),
        sa.Column("contact_member_id", sa.Uuid(), nullable=True),
        sa.Column("hub_household_id", sa.Uuid(), nullable=True),
        sa.Column("chat_group_ref", sa.String(length=200), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["anchor_id"], ["org_node.id"], name=op.f("fk_grouping_anchor_id_org_node"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["contact_member_id"], ["member.id"], name=op.f("fk_grouping_contact_member_id_member"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["hub_household_id"],
            ["household.id"],
            name=op.f("fk_grouping_hub_household_id_household"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grouping")),
    )
    op.create_index("ix_grouping_anchor_path", "grouping", ["tenant_id", "anchor_path"], unique=False)
    op.create_index(op.f("ix_grouping_tenant_id"), "grouping", ["tenant_id"], unique=False)
    op.create_table(
        "guidance_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cadre_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cadre_id"], ["member.id"], name=op.f("fk_guidance_link_cadre_id_member"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_guidance_link_member_id_member"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_link")),
        sa.UniqueConstraint("tenant_id", "cadre_id", "member_id", name="uq_guidance_link_cadre_member"),
    )
    op.create_index(op.f("ix_guidance_link_tenant_id"), "guidance_link", ["tenant_id"], unique=False)
    op.create_table(
        "household_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_event_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_event")),
    )
    op.create_index(op.f("ix_household_event_household_id"), "household_event", ["household_id"], unique=False)
    op.create_index(op.f("ix_household_event_tenant_id"), "household_event", ["tenant_id"], unique=False)
    op.create_table(
        "household_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_link_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_household_link_member_id_member"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_link")),
        sa.UniqueConstraint("tenant_id", "member_id", "household_id", name="uq_household_link_member_household"),
    )
    op.create_index("ix_household_link_household", "household_link", ["tenant_id", "household_id"], unique=False)
    op.create_index(op.f("ix_household_link_tenant_id"), "household_link", ["tenant_id"], unique=False)
    op.create_table(
        "grouping_member",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("grouping_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grouping_id"], ["grouping.id"], name=op.f("fk_grouping_member_grouping_id_grouping"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_grouping_member_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_grouping_member_member_id_member"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grouping_member")),
        sa.UniqueConstraint("tenant_id", "grouping_id", "member_id", "household_id", name="uq_grouping_member_entry"),
    )
    op.create_index(op.f("ix_grouping_member_tenant_id"), "grouping_member", ["tenant_id"], unique=False)
    op.create_table(
        "guidance_contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("link_id", sa.Uuid(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["guidance_link.id"],
            name=op.f("fk_guidance_contact_link_id_guidance_link"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_contact")),
    )
    op.create_index(
        "ix_guidance_contact_link_date", "guidance_contact", ["tenant_id", "link_id", "contacted_on"], unique=False
    )
    op.create_index(op.f("ix_guidance_contact_tenant_id"), "guidance_contact", ["tenant_id"], unique=False)
    op.add_column("org_node", sa.Column("linked_node_id", sa.Uuid(), nullable=True))
    op.add_column("org_node", sa.Column("formation_basis", sa.String(length=40), nullable=True))
    op.add_column(
        "org_node",
        sa.Column("flags", postgresql.ARRAY(sa.String(length=40)), nullable=False, server_default=sa.text("'{}'")),
    )
    op.create_foreign_key(
        op.f("fk_org_node_linked_node_id_org_node"),
        "org_node",
        "org_node",
        ["linked_node_id"],
        ["id"],
        ondelete="SET NULL",
    )
    # The big tables' composite indexes all lead with tenant_id; a bare tenant_id index only misleads the planner.
    op.drop_index("ix_org_node_tenant_id", table_name="org_node")
    for table in NEW_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    op.create_index("ix_org_node_tenant_id", "org_node", ["tenant_id"])
    op.drop_constraint(op.f("fk_org_node_linked_node_id_org_node"), "org_node", type_="foreignkey")
    op.drop_column("org_node", "flags")
    op.drop_column("org_node", "formation_basis")
    op.drop_column("org_node", "linked_node_id")
    op.drop_index(op.f("ix_guidance_contact_tenant_id"), table_name="guidance_contact")
    op.drop_index("ix_guidance_contact_link_date", table_name="guidance_contact")
    op.drop_table("guidance_contact")
    op.drop_index(op.f("ix_grouping_member_tenant_id"), table_name="grouping_member")
    op.drop_table("grouping_member")
    op.drop_index(op.f("ix_household_link_tenant_id"), table_name="household_link")
    op.drop_index("ix_household_link_household", table_name="household_link")
    op.drop_table("household_link")
    op.drop_index(op.f("ix_household_event_tenant_id"), table_name="household_event")
    op.drop_index(op.f("ix_household_event_household_id"), table_name="household_event")
    op.drop_table("household_event")
    op.drop_index(op.f("ix_guidance_link_tenant_id"), table_name="guidance_link")
    op.drop_table("guidance_link")
    op.drop_index(op.f("ix_grouping_tenant_id"), table_name="grouping")
    op.drop_index("ix_grouping_anchor_path", table_name="grouping")
    op.drop_table("grouping")
    op.drop_index(op.f("ix_grid_leader_tenant_id"), table_name="grid_leader")
    op.drop_index(op.f("ix_grid_leader_grid_path"), table_name="grid_leader")
    op.drop_table("grid_leader")
    op.drop_index("ix_cadre_posting_village_path", table_name="cadre_posting")
    op.drop_index(op.f("ix_cadre_posting_tenant_id"), table_name="cadre_posting")
    op.drop_table("cadre_posting")
    op.drop_index("ix_member_tenant_phone_index", table_name="member")
    op.drop_index("ix_member_tenant_grid_path", table_name="member")
    op.drop_index("ix_member_tenant_branch_path", table_name="member")
    op.drop_table("member")
    op.drop_index("ix_household_tenant_phone_index", table_name="household")
    op.drop_index("ix_household_tenant_grid_path", table_name="household")
    op.drop_table("household")
    op.drop_index(op.f("ix_post_tenant_id"), table_name="post")
    op.drop_table("post")
    op.drop_index(op.f("ix_org_node_version_tenant_id"), table_name="org_node_version")
    op.drop_index("ix_org_node_version_parent", table_name="org_node_version")
    op.drop_index(op.f("ix_org_node_version_node_id"), table_name="org_node_version")
    op.drop_table("org_node_version")
    op.drop_index(op.f("ix_org_level_tenant_id"), table_name="org_level")
    op.drop_table("org_level")
    op.drop_index(op.f("ix_membership_transfer_tenant_id"), table_name="membership_transfer")
    op.drop_index("ix_membership_transfer_member", table_name="membership_transfer")
    op.drop_table("membership_transfer")
    op.drop_index(op.f("ix_district_settings_tenant_id"), table_name="district_settings")
    op.drop_table("district_settings")
