"""Red-cell links carry their household's grid path and their member's branch path, kept by triggers (issue 15).

Why: a unit's link count joined every link to its household or member; on a street of 50,000 members and 15,000
households ``GET /nodes/{id}/subtree-count`` took p99 191 ms. With the paths on the link it is an index-only range
count like the unit's other counts. The copies are kept by triggers so that whatever writes a link (the API, the
bulk importer, the demo builder, a COPY) or moves its household or member (a transfer, a unit's move rewriting the
paths under it) leaves them right in the same transaction. The triggers run as the caller (SECURITY INVOKER):
under RLS they see and write only the caller's district, which is where a link's household and member are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")

# A new link (or one re-pointed at another household or member) takes both paths from its two ends. An end that is
# missing, or belongs to another district, is the foreign key's error, raised here before the NOT NULL one would be.
FILL_LINK_PATHS = """
CREATE FUNCTION household_link_fill_paths() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT h.grid_path, m.branch_path INTO NEW.grid_path, NEW.branch_path
    FROM household h, member m
   WHERE h.id = NEW.household_id AND h.tenant_id = NEW.tenant_id
     AND m.id = NEW.member_id AND m.tenant_id = NEW.tenant_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'household_link: household % or member % is not in district %',
      NEW.household_id, NEW.member_id, NEW.tenant_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
"""
FOLLOW_HOUSEHOLD = """
CREATE FUNCTION household_link_follow_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE household_link SET grid_path = NEW.grid_path WHERE tenant_id = NEW.tenant_id AND household_id = NEW.id;
  RETURN NULL;
END $$;
"""
FOLLOW_MEMBER = """
CREATE FUNCTION household_link_follow_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE household_link SET branch_path = NEW.branch_path WHERE tenant_id = NEW.tenant_id AND member_id = NEW.id;
  RETURN NULL;
END $$;
"""
TRIGGERS = {  # name: (table, definition)
    "household_link_paths_filled": (
        "household_link",
        "BEFORE INSERT OR UPDATE OF household_id, member_id ON household_link "
        "FOR EACH ROW EXECUTE FUNCTION household_link_fill_paths()",
    ),
    "household_link_grid_path_followed": (
        "household",
        "AFTER UPDATE OF grid_path ON household FOR EACH ROW "
        "WHEN (OLD.grid_path IS DISTINCT FROM NEW.grid_path) EXECUTE FUNCTION household_link_follow_household()",
    ),
    "household_link_branch_path_followed": (
        "member",
        "AFTER UPDATE OF branch_path ON member FOR EACH ROW "
        "WHEN (OLD.branch_path IS DISTINCT FROM NEW.branch_path) EXECUTE FUNCTION household_link_follow_member()",
    ),
}
FUNCTIONS = ("household_link_fill_paths", "household_link_follow_household", "household_link_follow_member")
BACKFILL = """
UPDATE household_link l SET grid_path = h.grid_path, branch_path = m.branch_path
  FROM household h, member m WHERE h.id = l.household_id AND m.id = l.member_id
"""


def upgrade() -> None:
    op.add_column("household_link", sa.Column("grid_path", PATH, nullable=True))
    op.add_column("household_link", sa.Column("branch_path", PATH, nullable=True))
    # The backfill reads and writes every district: as the owner, with RLS not forced for this statement.
    for table in ("household_link", "household", "member"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    for table in ("household_link", "household", "member"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.alter_column("household_link", "grid_path", nullable=False)  # both ends' paths are NOT NULL
    op.alter_column("household_link", "branch_path", nullable=False)
    op.create_index("ix_household_link_tenant_grid_path", "household_link", ["tenant_id", "grid_path"])
    op.create_index("ix_household_link_tenant_branch_path", "household_link", ["tenant_id", "branch_path"])
    for sql in (FILL_LINK_PATHS, FOLLOW_HOUSEHOLD, FOLLOW_MEMBER):
        op.execute(sql)
    for name, (_table, definition) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")


def downgrade() -> None:
    for name, (table, _definition) in TRIGGERS.items():
        op.execute(f'DROP TRIGGER {name} ON "{table}"')
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}()")
    op.drop_index("ix_household_link_tenant_branch_path", table_name="household_link")
    op.drop_index("ix_household_link_tenant_grid_path", table_name="household_link")
    op.drop_column("household_link", "branch_path")
    op.drop_column("household_link", "grid_path")
