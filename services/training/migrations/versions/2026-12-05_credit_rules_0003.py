"""Credit-hour rules and standing (issue 13): the district's rules; per-person totals per year; and the roll the
below-target list reads, one row per person, kept by triggers on person and attendance.

Why triggers: the list of a million-member district must read one narrow row per person (its rules' inputs and this
year's totals together), not join people to a year of attendance (ten million rows and more), and the roll must be
right the moment a person or an attendance changes, whichever code wrote it (orgtree's events, QR check-in, by hand,
a loader). docs/benchmarks.md, "Training standing", has the figures. Years are China's (Asia/Shanghai), as in
``services/training/credits/rules.py``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import enable_tenant_rls

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")

# A person's facts the rules depend on, copied onto the roll as they change.
ROLL_PERSON = """
CREATE FUNCTION training_roll_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO credit_roll AS r (tenant_id, person_id, kind, name, duties, flags, active, branch_path, grid_path)
  VALUES (NEW.tenant_id, NEW.id, NEW.kind, NEW.name, NEW.duties, NEW.flags, NEW.active, NEW.branch_path,
          NEW.grid_path)
  ON CONFLICT (tenant_id, person_id) DO UPDATE
     SET kind = EXCLUDED.kind, name = EXCLUDED.name, duties = EXCLUDED.duties, flags = EXCLUDED.flags,
         active = EXCLUDED.active, branch_path = EXCLUDED.branch_path, grid_path = EXCLUDED.grid_path;
  RETURN NULL;
END $$;
"""
PERSON_COLUMNS = "kind, name, duties, flags, active, branch_path, grid_path"
# The roll holds the person's latest year of totals and the first pre-service training (looked up again only when
# the attendance that changed counted it).
REFRESH_ROLL = """
CREATE FUNCTION training_refresh_roll(p_tenant uuid, p_person uuid, p_pre_service boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credit_roll r
     SET (year, credit_hours, classes) = (
           SELECT t.year, t.credit_hours, t.classes FROM credit_total t
            WHERE t.tenant_id = p_tenant AND t.person_id = p_person ORDER BY t.year DESC LIMIT 1),
         pre_service_at = CASE WHEN p_pre_service THEN (
           SELECT min(a.checked_in_at) FROM attendance a
            WHERE a.tenant_id = p_tenant AND a.person_id = p_person AND 'pre_service' = ANY(a.counts))
           ELSE r.pre_service_at END
   WHERE r.tenant_id = p_tenant AND r.person_id = p_person;
END $$;
"""
# An attendance's year is its check-in's in China's time: an insert adds to that year's totals, a delete takes off.
COUNT_ATTENDANCE = """
CREATE FUNCTION training_count_attendance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE credit_total t
       SET credit_hours = t.credit_hours - OLD.credit_hours, sessions = t.sessions - 1,
           classes = t.classes - ('secretary_class' = ANY(OLD.counts))::int
     WHERE t.tenant_id = OLD.tenant_id AND t.person_id = OLD.person_id
       AND t.year = extract(year FROM OLD.checked_in_at AT TIME ZONE 'Asia/Shanghai')::smallint;
    PERFORM training_refresh_roll(OLD.tenant_id, OLD.person_id, 'pre_service' = ANY(OLD.counts));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO credit_total AS t (tenant_id, person_id, year, credit_hours, sessions, classes)
    VALUES (NEW.tenant_id, NEW.person_id, extract(year FROM NEW.checked_in_at AT TIME ZONE 'Asia/Shanghai')::smallint,
            NEW.credit_hours, 1, ('secretary_class' = ANY(NEW.counts))::int)
    ON CONFLICT (tenant_id, person_id, year) DO UPDATE
       SET credit_hours = t.credit_hours + EXCLUDED.credit_hours, sessions = t.sessions + 1,
           classes = t.classes + EXCLUDED.classes;
    PERFORM training_refresh_roll(NEW.tenant_id, NEW.person_id, 'pre_service' = ANY(NEW.counts));
  END IF;
  RETURN NULL;
END $$;
"""
# The same from what is already recorded (also what the benchmark's loader runs after its COPY).
BACKFILL_TOTALS = """
INSERT INTO credit_total (tenant_id, person_id, year, credit_hours, sessions, classes)
SELECT a.tenant_id, a.person_id, extract(year FROM a.checked_in_at AT TIME ZONE 'Asia/Shanghai')::smallint,
       sum(a.credit_hours), count(*), count(*) FILTER (WHERE 'secretary_class' = ANY(a.counts))
  FROM attendance a GROUP BY 1, 2, 3
"""
BACKFILL_ROLL = """
INSERT INTO credit_roll (tenant_id, person_id, kind, name, duties, flags, active, branch_path, grid_path, year,
                         credit_hours, classes, pre_service_at)
SELECT p.tenant_id, p.id, p.kind, p.name, p.duties, p.flags, p.active, p.branch_path, p.grid_path, t.year,
       coalesce(t.credit_hours, 0), coalesce(t.classes, 0),
       (SELECT min(a.checked_in_at) FROM attendance a
         WHERE a.tenant_id = p.tenant_id AND a.person_id = p.id AND 'pre_service' = ANY(a.counts))
  FROM person p
  LEFT JOIN LATERAL (SELECT * FROM credit_total t WHERE t.tenant_id = p.tenant_id AND t.person_id = p.id
                      ORDER BY t.year DESC LIMIT 1) t ON true
"""


def upgrade() -> None:
    op.create_table(
        "credit_rule",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("required", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("window_years", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_rule")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_credit_rule_tenant_code"),
    )
    op.create_table(
        "credit_total",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("credit_hours", sa.Numeric(precision=7, scale=1), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("classes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "person_id", "year", name=op.f("pk_credit_total")),
    )
    op.create_table(
        "credit_roll",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("duties", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("flags", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("branch_path", PATH, nullable=True),
        sa.Column("grid_path", PATH, nullable=True),
        sa.Column("year", sa.SmallInteger(), nullable=True),
        sa.Column("credit_hours", sa.Numeric(precision=7, scale=1), server_default="0", nullable=False),
        sa.Column("classes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("pre_service_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "person_id", name=op.f("pk_credit_roll")),
    )
    op.create_index("ix_credit_roll_tenant_branch_path", "credit_roll", ["tenant_id", "branch_path", "person_id"])
    op.create_index("ix_credit_roll_tenant_grid_path", "credit_roll", ["tenant_id", "grid_path", "person_id"])
    # What is already recorded, across districts: as the owner, with RLS not forced for these statements.
    for table in ("person", "attendance"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL_TOTALS)
    op.execute(BACKFILL_ROLL)
    for table in ("person", "attendance"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for table in ("credit_rule", "credit_total", "credit_roll"):
        enable_tenant_rls(table)
    op.execute(ROLL_PERSON)
    op.execute(
        f"CREATE TRIGGER person_rolls AFTER INSERT OR UPDATE OF {PERSON_COLUMNS} ON person "
        "FOR EACH ROW EXECUTE FUNCTION training_roll_person()"
    )
    op.execute(REFRESH_ROLL)
    op.execute(COUNT_ATTENDANCE)
    op.execute(
        "CREATE TRIGGER attendance_counts AFTER INSERT OR DELETE "
        "OR UPDATE OF person_id, checked_in_at, credit_hours, counts ON attendance "
        "FOR EACH ROW EXECUTE FUNCTION training_count_attendance()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER attendance_counts ON attendance")
    op.execute("DROP FUNCTION training_count_attendance()")
    op.execute("DROP FUNCTION training_refresh_roll(uuid, uuid, boolean)")
    op.execute("DROP TRIGGER person_rolls ON person")
    op.execute("DROP FUNCTION training_roll_person()")
    op.drop_index("ix_credit_roll_tenant_grid_path", table_name="credit_roll")
    op.drop_index("ix_credit_roll_tenant_branch_path", table_name="credit_roll")
    op.drop_table("credit_roll")
    op.drop_table("credit_total")
    op.drop_table("credit_rule")
