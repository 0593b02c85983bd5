"""Member → household service links (ORG-08), by the member's ID number and the household's grid and label."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

import uuid_utils.compat
from sqlalchemy import insert, select

from services.orgtree.bulk.columns import BulkKind, identity_text, parse_date
from services.orgtree.bulk.importers.frame import BATCH, LOOKUP_CHUNK, Importer, RowView, short_text, table_of
from services.orgtree.bulk.tree import Unit
from services.orgtree.levels.services import district_settings
from services.orgtree.members.rules import check_id_card
from services.orgtree.models import Household, HouseholdLink, Member
from shared.clock import china_today
from shared.context import require_tenant
from shared.contracts.orgtree import HouseholdLinked
from shared.http.problems import FieldErrors
from shared.messaging.outbox import publish_many
from shared.privacy import TenantKeys, blind_index, data_key, normalize_id_card


@dataclass(slots=True)
class LinkRow:
    row: int
    id_index: bytes
    member_name: str | None
    grid: Unit
    label: str
    since: date | None
    member_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None


class LinkImporter(Importer):
    """Member → household service links (ORG-08): every member named ends within the district's range."""

    kind = BulkKind.LINKS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        self.grid = await self.grid_parser()
        self.settings = await district_settings(self.session)
        self.accepted: list[LinkRow] = []

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        id_card = self.take(row, view, "id_card", identity_text)
        member_name = self.take(row, view, "member_name", short_text(100))
        grid = self.take(row, view, "grid", self.grid)
        label = self.take(row, view, "label", short_text(100))
        since = self.take(row, view, "since", parse_date)
        if self.errors.count > before:
            return
        assert id_card is not None
        assert grid is not None
        assert label is not None
        problems = FieldErrors()
        check_id_card(problems, "idCard", id_card)  # as a member's is checked
        if problems:
            self.fail(row, "id_card", problems.items[0]["message"])
            return
        index = blind_index(self.keys, "member.id_card", normalize_id_card(id_card), normalize_id_card)
        self.accepted.append(LinkRow(row, index, member_name, grid, label, since))

    async def check_stored(self) -> None:
        members = await self._members()
        households = await self._households()
        for link in self.accepted:
            found = members.get(link.id_index)
            if found is None:
                self.fail(link.row, "id_card", "no member with this ID number")
            elif link.member_name is not None and link.member_name != found[1]:
                self.fail(link.row, "member_name", "does not match the name of the member with this ID number")
            else:
                link.member_id = found[0]
            link.household_id = households.get((link.grid.id, link.label))
            if link.household_id is None:
                self.fail(link.row, "label", f"no household '{link.label}' in this grid")
        linked = [link for link in self.accepted if link.member_id and link.household_id]
        stored = await self._stored_links({link.member_id for link in linked if link.member_id})
        counts: Counter[uuid.UUID] = Counter(member for member, _ in stored)
        seen: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        last_row: dict[uuid.UUID, int] = {}
        low, high = self.settings.household_links_min, self.settings.household_links_max
        district_range = f"(this district's range is {low}-{high})"
        for link in linked:
            assert link.member_id is not None
            assert link.household_id is not None
            pair = (link.member_id, link.household_id)
            if pair in stored:
                self.fail(link.row, "label", "this member already serves this household")
                continue
            first = seen.setdefault(pair, link.row)
            if first != link.row:
                self.fail(link.row, "label", f"the same link as row {first}")
                continue
            counts[link.member_id] += 1
            last_row[link.member_id] = link.row
            if counts[link.member_id] == high + 1:
                self.fail(link.row, "id_card", f"this member would serve more than {high} households {district_range}")
        for member, row in last_row.items():
            if counts[member] < low:
                self.fail(row, "id_card", f"this member would serve only {counts[member]} households {district_range}")

    async def _members(self) -> dict[bytes, tuple[uuid.UUID, str]]:
        """The members named, if the caller may see them (by grid or by branch, as MemberService); others are
        not found. Row-locked, as a single claim through the API does, so concurrent claims count in turn."""
        indexes = list({link.id_index for link in self.accepted})
        found: dict[bytes, tuple[uuid.UUID, str]] = {}
        see = self.principal.may_see_path
        for start in range(0, len(indexes), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(Member.id, Member.name, Member.id_card_index, Member.grid_path, Member.branch_path)
                .where(Member.id_card_index.in_(indexes[start : start + LOOKUP_CHUNK]))
                .order_by(Member.id)
                .with_for_update()
            )
            for row in rows:
                if row.id_card_index is not None and (see(row.branch_path) or (row.grid_path and see(row.grid_path))):
                    found[row.id_card_index] = (row.id, row.name)
        return found

    async def _households(self) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
        grids = list({link.grid.id for link in self.accepted})
        found: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        for start in range(0, len(grids), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(Household.id, Household.grid_id, Household.label).where(
                    Household.grid_id.in_(grids[start : start + LOOKUP_CHUNK])
                )
            )
            found.update({(row.grid_id, row.label): row.id for row in rows})
        return found

    async def _stored_links(self, members: set[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
        ids = list(members)
        pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(HouseholdLink.member_id, HouseholdLink.household_id).where(
                    HouseholdLink.member_id.in_(ids[start : start + LOOKUP_CHUNK])
                )
            )
            pairs.update((row.member_id, row.household_id) for row in rows)
        return pairs

    async def write(self) -> dict[str, int]:
        tenant = require_tenant()
        today = china_today()
        for start in range(0, len(self.accepted), BATCH):
            batch = self.accepted[start : start + BATCH]
            rows = [
                {
                    "id": uuid_utils.compat.uuid7(),
                    "tenant_id": tenant,
                    "member_id": link.member_id,
                    "household_id": link.household_id,
                    "since": link.since or today,
                }
                for link in batch
            ]
            await self.session.execute(insert(table_of(HouseholdLink)), rows)
            linked = [
                HouseholdLinked(tenant_id=tenant, household_id=link.household_id, member_id=link.member_id)
                for link in batch
                if link.household_id is not None and link.member_id is not None
            ]
            await publish_many(self.session, linked)
            await self.progress.storing(min(start + BATCH, len(self.accepted)), len(self.accepted))
        return {"links": len(self.accepted)}
