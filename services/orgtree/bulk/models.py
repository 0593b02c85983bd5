"""An import run as a job: the file waits in the row until the worker has checked (and stored) it, and the row
reports how far the worker has got, so a page can show a progress bar while a large file is imported."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.orgtree.database import PATH, Base
from shared.db.base import TenantScoped, uuid7


class ImportState:
    QUEUED = "queued"  # the file is stored, the worker has not started
    CHECKING = "checking"  # every row is being checked; ``checked`` counts them
    STORING = "storing"  # no row failed; ``stored`` counts the rows written
    SUCCEEDED = "succeeded"  # committed with the rows; ``created`` holds the counts per table
    FAILED = "failed"  # nothing stored; ``errors`` lists the rows' problems

    FINISHED = (SUCCEEDED, FAILED)


class ImportJob(TenantScoped, Base):
    """One uploaded file's import. Progress columns are written on their own connection while the import's
    transaction is open; the outcome is written in that transaction, together with the rows (or nothing)."""

    __tablename__ = "import_job"
    __table_args__ = (
        Index("ix_import_job_requester", "tenant_id", "requested_by", "created_at"),
        Index(
            "ix_import_job_unfinished",
            "progressed_at",
            postgresql_where=text("state IN ('queued', 'checking', 'storing')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    dry_run: Mapped[bool] = mapped_column(nullable=False, default=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=ImportState.QUEUED)
    # the file, read only by the worker (deferred: a status read never loads it); dropped when the job ends
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    file_format: Mapped[str | None] = mapped_column(String(10), nullable=True)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)  # data rows: estimated, then counted
    checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    stored: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False, default=dict)
    unchanged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    detail: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # who asked, as their token said: the worker imports with exactly that scope and names them in the audit log
    requested_by: Mapped[uuid.UUID] = mapped_column(nullable=False)
    requester_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    requester_roles: Mapped[str] = mapped_column(String(200), nullable=False)
    requester_scope: Mapped[str | None] = mapped_column(PATH, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # when the progress last changed (queued: when the file came); the stall sweep's clock (bulk/stalls.py)
    progressed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
