"""Bulk files in and out: an import is checked whole and stored in the request's transaction; an export
covers the caller's view."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.columns import BulkKind
from services.orgtree.bulk.exporter import ExportFile, run_export
from services.orgtree.bulk.formats import ExportFormat
from services.orgtree.bulk.importers.frame import NO_PROGRESS, Importer, ImportResult, Progress, check_and_store
from services.orgtree.bulk.importers.households import HouseholdImporter
from services.orgtree.bulk.importers.links import LinkImporter
from services.orgtree.bulk.importers.members import MemberImporter
from services.orgtree.bulk.importers.units import UnitImporter
from services.orgtree.nodes.services import NodeService
from shared.auth.principal import Principal
from shared.http.di import build_service

IMPORTERS: dict[BulkKind, type[Importer]] = {
    BulkKind.UNITS: UnitImporter,
    BulkKind.MEMBERS: MemberImporter,
    BulkKind.HOUSEHOLDS: HouseholdImporter,
    BulkKind.LINKS: LinkImporter,
}


class BulkService:
    def __init__(self, session: AsyncSession, principal: Principal, nodes: NodeService) -> None:
        self.session = session
        self.principal = principal
        self.nodes = nodes  # units are added as through the API, by NodeService.create_child

    async def import_sheet(
        self, kind: BulkKind, body: bytes, *, dry_run: bool, progress: Progress = NO_PROGRESS
    ) -> ImportResult:
        """Check the whole file, then (unless ``dry_run``) store it in the session's transaction."""
        return await check_and_store(
            IMPORTERS[kind], self.session, self.principal, self.nodes, body, dry_run=dry_run, progress=progress
        )

    async def export_sheet(self, kind: BulkKind, file_format: ExportFormat, within: UUID | None) -> ExportFile:
        return await run_export(self.session, self.principal, kind, file_format, within)


async def run_import(
    session: AsyncSession, principal: Principal, kind: BulkKind, body: bytes, *, dry_run: bool
) -> ImportResult:
    """An import outside HTTP (benchmarks, scripts), with the service built as a request builds it."""
    return await build_service(BulkService, session, principal).import_sheet(kind, body, dry_run=dry_run)
