"""Households, by grid and label, each with its HouseholdPlaced event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import uuid_utils.compat
from sqlalchemy import insert, select

from services.orgtree.bulk.columns import (
    LABELS,
    RESTRICTED,
    BulkKind,
    choices,
    identity_text,
    parse_bool,
    parse_date,
    text,
)
from services.orgtree.bulk.importers.frame import BATCH, LOOKUP_CHUNK, Importer, RowView, coded, short_text, table_of
from services.orgtree.bulk.protect import is_masked
from services.orgtree.bulk.tree import Unit
from services.orgtree.households.rules import HOUSEHOLD_PERSONAL_COLUMNS, household_personal_columns
from services.orgtree.households.services import check_household_fields
from services.orgtree.models import Household
from shared.context import require_tenant
from shared.contracts.orgtree import HouseholdPlaced
from shared.http.problems import FieldErrors
from shared.messaging.outbox import publish_many
from shared.privacy import TenantKeys, data_key


@dataclass(slots=True)
class HouseholdRow:
    row: int
    grid: Unit
    label: str
    head_name: str | None
    address: str | None
    phone: str | None
    categories: list[str]
    is_member_hub: bool
    plaque: str | None
    plaque_issued_on: date | None


HOUSEHOLD_FIELDS = {
    "phone": "phone",
    "categories": "categories",
    "plaque": "plaque",
    "plaqueIssuedOn": "plaque_issued_on",
}


def unmasked(parse: Callable[[object], str | None]) -> Callable[[object], str | None]:
    """``parse``, except that a masked value (an export's) reads as not given."""

    def read(raw: object) -> str | None:
        value = text(raw)
        return None if value is None or is_masked(value) else parse(value)

    return read


class HouseholdImporter(Importer):
    """Households by grid and label (``3组12号``). Masked values (an export's ``张*``, ``138****5678``) and the
    ``受限`` placeholder for restricted categories are read as "not given", so an export re-imports."""

    kind = BulkKind.HOUSEHOLDS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        self.grid = await self.grid_parser()
        self.accepted: list[HouseholdRow] = []
        self.seen: dict[tuple[uuid.UUID, str], int] = {}

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        grid = self.take(row, view, "grid", self.grid)
        label = self.take(row, view, "label", short_text(100))
        head_name = self.take(row, view, "head_name", unmasked(short_text(100)))
        address = self.take(row, view, "address", unmasked(short_text(500)))
        phone = self.take(row, view, "phone", unmasked(identity_text))
        categories = self.take(
            row,
            view,
            "categories",
            lambda raw: choices(text(raw), LABELS["categories"], ignore=frozenset({RESTRICTED})),
        )
        hub = self.take(row, view, "is_member_hub", lambda raw: parse_bool(text(raw)))
        plaque = self.take(row, view, "plaque", coded(LABELS["plaque"]))
        issued = self.take(row, view, "plaque_issued_on", parse_date)
        if self.errors.count > before:
            return
        problems = FieldErrors()
        check_household_fields(
            problems, phone=phone, categories=categories or [], plaque=plaque, plaque_issued_on=issued
        )
        self.fail_fields(row, problems, HOUSEHOLD_FIELDS, "label")
        if problems:
            return
        assert grid is not None
        assert label is not None
        first = self.seen.setdefault((grid.id, label), row)
        if first != row:
            self.fail(row, "label", f"row {first} has the same household in the same grid")
            return
        self.accepted.append(
            HouseholdRow(row, grid, label, head_name, address, phone, categories or [], bool(hub), plaque, issued)
        )

    async def check_stored(self) -> None:
        grids = list({h.grid.id for h in self.accepted if h.grid.planned_row is None})
        stored: set[tuple[uuid.UUID, str]] = set()
        for start in range(0, len(grids), LOOKUP_CHUNK):
            found = await self.session.execute(
                select(Household.grid_id, Household.label).where(
                    Household.grid_id.in_(grids[start : start + LOOKUP_CHUNK])
                )
            )
            stored.update((row.grid_id, row.label) for row in found)
        for h in self.accepted:
            if (h.grid.id, h.label) in stored:
                self.fail(h.row, "label", "this grid already has a household with this label")

    async def write(self) -> dict[str, int]:
        tenant = require_tenant()
        for start in range(0, len(self.accepted), BATCH):
            rows = [
                {
                    "id": uuid_utils.compat.uuid7(),
                    "tenant_id": tenant,
                    "grid_id": h.grid.id,
                    "grid_path": h.grid.path,
                    "label": h.label,
                    "categories": h.categories,
                    "is_member_hub": h.is_member_hub,
                    "plaque": h.plaque,
                    "plaque_issued_on": h.plaque_issued_on,
                    **dict.fromkeys(HOUSEHOLD_PERSONAL_COLUMNS),
                    **household_personal_columns(self.keys, head_name=h.head_name, address=h.address, phone=h.phone),
                }
                for h in self.accepted[start : start + BATCH]
            ]
            await self.session.execute(insert(table_of(Household)), rows)
            # dispatch places tickets by household: it learns each household's grid from this event
            placed = [HouseholdPlaced(tenant_id=tenant, household_id=r["id"], grid_id=r["grid_id"]) for r in rows]
            await publish_many(self.session, placed)
            await self.progress.storing(min(start + BATCH, len(self.accepted)), len(self.accepted))
        return {"households": len(self.accepted)}
