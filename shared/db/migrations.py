"""Helpers for service migrations: row-level security, grants and the kernel tables.

Every tenant-owned table is created in a revision that calls ``enable_tenant_rls`` on it.
"""

from __future__ import annotations

from typing import Any

from alembic import op

from shared.db.kernel import KERNEL_TENANT_TABLES, kernel_metadata

TENANT_PREDICATE = "tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid)"


def enable_tenant_rls(table: str) -> None:
    """ENABLE + FORCE row-level security with one policy for reads (USING) and writes (WITH CHECK)."""
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_isolation ON "{table}" USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})'
    )


def make_append_only(table: str) -> None:
    """Refuse UPDATE and DELETE for every role, owner included (audit trails)."""
    op.execute(
        """
        CREATE OR REPLACE FUNCTION redcell_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$;
        """
    )
    op.execute(
        f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION redcell_refuse_change()"
    )


def notify_on_insert(table: str, channel: str) -> None:
    """NOTIFY ``channel`` once per inserting statement; delivered when the transaction commits."""
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {table}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('{channel}', '');
          RETURN NULL;
        END $$;
        """
    )
    op.execute(
        f'CREATE TRIGGER {table}_notify AFTER INSERT ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {table}_notify()'
    )


def outbox_channel(service: str) -> str:
    return f"redcell_outbox_{service}"


def create_kernel_tables(service: str) -> None:
    bind: Any = op.get_bind()
    kernel_metadata.create_all(bind)
    for table in KERNEL_TENANT_TABLES:
        enable_tenant_rls(table)
    make_append_only("audit_event")
    op.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM "{service}_app", "{service}_system"')
    notify_on_insert("outbox_message", outbox_channel(service))


def drop_kernel_tables() -> None:
    bind: Any = op.get_bind()
    op.execute('DROP TRIGGER IF EXISTS audit_event_append_only ON "audit_event"')
    kernel_metadata.drop_all(bind)
    op.execute("DROP FUNCTION IF EXISTS outbox_message_notify()")
    op.execute("DROP FUNCTION IF EXISTS redcell_refuse_change()")
