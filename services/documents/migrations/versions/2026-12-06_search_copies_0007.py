"""Search reads one table: the document's facts a search filters and orders by, copied onto its search row by
triggers, and an index to walk a district's matches newest first.

Why: a search used to join every match to ``document`` for the access filter and rank all of them; a word found in
a third of a million-document district took over a second (docs/benchmarks.md, "Documents search"). Now it takes the
newest matches the caller may read from ``document_search`` alone (walking the new index for a common word, the GIN
index for a rare one) and ranks those. The copies are kept by triggers so that whatever code writes a document (an
upload, a subject moved by an event, a deletion, a loader) the search row is right in the same transaction.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH = sa.String(length=400, collation="C")
COPIED = "created_at, anchor_path, state, created_by, about_user_id, type_code, subject_kind"

# The lexemes that say who may find a row (search/access.py builds the queries that use them): every subtree its
# anchor lies in, who made it, whom it is about, its subject's kind and its type. Text never yields them: the parser
# splits words at ':' and '/'.
ACCESS_LEXEMES = """
CREATE FUNCTION documents_access_lexemes(s document_search) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(lexeme) FROM (
    SELECT 'in:' || left(s.anchor_path, p) FROM generate_series(2, length(s.anchor_path)) AS p
     WHERE substr(s.anchor_path, p, 1) = '/'
    UNION ALL SELECT 'by:' || s.created_by WHERE s.created_by IS NOT NULL
    UNION ALL SELECT 'about:' || s.about_user_id WHERE s.about_user_id IS NOT NULL
    UNION ALL SELECT 'on:' || s.subject_kind WHERE s.subject_kind IS NOT NULL
    UNION ALL SELECT 'type:' || s.type_code
  ) AS access(lexeme)
$$;
"""
# A new search row takes its document's facts (the indexer writes only the vector and the text); any write of the
# row puts the access lexemes of its facts into its vector, in place of the ones it had.
FILL_SEARCH_ROW = """
CREATE FUNCTION documents_fill_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT d.created_at, d.anchor_path, d.state, d.created_by, d.about_user_id, d.type_code, d.subject_kind
      INTO NEW.created_at, NEW.anchor_path, NEW.state, NEW.created_by, NEW.about_user_id, NEW.type_code,
           NEW.subject_kind
      FROM document d WHERE d.id = NEW.document_id;
  END IF;
  NEW.vector := ts_delete(NEW.vector, ARRAY(
      SELECT lexeme FROM unnest(tsvector_to_array(NEW.vector)) AS lexeme WHERE lexeme ~ '^(in|by|about|on|type):'))
    || array_to_tsvector(documents_access_lexemes(NEW));
  RETURN NEW;
END $$;
"""
# A document's change reaches its search row.
COPY_TO_SEARCH_ROW = """
CREATE FUNCTION documents_copy_to_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE document_search s
     SET (created_at, anchor_path, state, created_by, about_user_id, type_code, subject_kind)
       = (NEW.created_at, NEW.anchor_path, NEW.state, NEW.created_by, NEW.about_user_id, NEW.type_code,
          NEW.subject_kind)
   WHERE s.document_id = NEW.id;
  RETURN NULL;
END $$;
"""
COPY_ON_CHANGE = """
CREATE TRIGGER search_row_copied AFTER UPDATE OF created_at, anchor_path, state, created_by, about_user_id, type_code,
  subject_kind ON document FOR EACH ROW
  WHEN ((OLD.created_at, OLD.anchor_path, OLD.state, OLD.created_by, OLD.about_user_id, OLD.type_code,
         OLD.subject_kind)
        IS DISTINCT FROM
        (NEW.created_at, NEW.anchor_path, NEW.state, NEW.created_by, NEW.about_user_id, NEW.type_code,
         NEW.subject_kind))
  EXECUTE FUNCTION documents_copy_to_search_row()
"""
STRIP_ACCESS_LEXEMES = """
UPDATE document_search SET vector = ts_delete(vector, ARRAY(
  SELECT lexeme FROM unnest(tsvector_to_array(vector)) AS lexeme WHERE lexeme ~ '^(in|by|about|on|type):'))
"""
BACKFILL = """
UPDATE document_search s
   SET (created_at, anchor_path, state, created_by, about_user_id, type_code, subject_kind)
     = (d.created_at, d.anchor_path, d.state, d.created_by, d.about_user_id, d.type_code, d.subject_kind)
  FROM document d WHERE d.id = s.document_id
"""


def upgrade() -> None:
    op.add_column("document_search", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("document_search", sa.Column("anchor_path", PATH, nullable=True))
    op.add_column("document_search", sa.Column("state", sa.String(length=20), nullable=True))
    op.add_column("document_search", sa.Column("created_by", sa.Uuid(), nullable=True))
    op.add_column("document_search", sa.Column("about_user_id", sa.Uuid(), nullable=True))
    op.add_column("document_search", sa.Column("type_code", sa.String(length=40), nullable=True))
    op.add_column("document_search", sa.Column("subject_kind", sa.String(length=30), nullable=True))
    op.execute(ACCESS_LEXEMES)
    op.execute(FILL_SEARCH_ROW)
    op.execute(
        "CREATE TRIGGER search_row_filled BEFORE INSERT OR UPDATE ON document_search "
        "FOR EACH ROW EXECUTE FUNCTION documents_fill_search_row()"
    )
    for table in ("document", "document_search"):  # the backfill reads and writes every district
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)  # through the trigger: the access lexemes go in too
    for table in ("document", "document_search"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for column in ("created_at", "anchor_path", "state", "type_code"):
        op.alter_column("document_search", column, nullable=False)
    op.create_index(
        "ix_document_search_tenant_newest",
        "document_search",
        ["tenant_id", sa.text("created_at DESC"), sa.text("document_id DESC")],
    )
    op.execute(COPY_TO_SEARCH_ROW)
    op.execute(COPY_ON_CHANGE)


def downgrade() -> None:
    op.execute("DROP TRIGGER search_row_copied ON document")
    op.execute("DROP FUNCTION documents_copy_to_search_row()")
    op.execute("DROP TRIGGER search_row_filled ON document_search")
    op.execute("DROP FUNCTION documents_fill_search_row()")
    op.execute("DROP FUNCTION documents_access_lexemes(document_search)")
    op.execute("ALTER TABLE document_search NO FORCE ROW LEVEL SECURITY")
    op.execute(STRIP_ACCESS_LEXEMES)
    op.execute("ALTER TABLE document_search FORCE ROW LEVEL SECURITY")
    op.drop_index("ix_document_search_tenant_newest", table_name="document_search")
    for column in reversed(COPIED.split(", ")):
        op.drop_column("document_search", column)
