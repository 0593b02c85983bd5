"""The household archive (DSP-32): the sheet a stationed cadre keeps per household, its demands (the household's
tickets) with their resolution and feedback forms, every refresh on record, and the six-month reminder.

Zhuji [001/ZHJ]: "初建完成后，要求各驻村干部至少每半年进行一次大走访，并把走访了解到的信息及时更新" — an archive not
refreshed for six months is due, listed by ``due()`` for the cadres' reminder."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.archive.models import ArchiveMember, ArchiveRefresh, HouseholdArchive
from services.dispatch.archive.schemas import (
    ArchivePage,
    ArchiveRow,
    ArchiveView,
    ArchiveWrite,
    AssistanceRecord,
    DemandView,
    FeedbackFormView,
    IncomeSource,
    MemberView,
    RefreshView,
)
from services.dispatch.closure.models import Feedback
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.stages.steps import current_stage
from services.dispatch.tickets.models import OPEN_STATUSES, Ticket, TicketStatus
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.db.paths import under
from shared.http.problems import FieldErrors, missing
from shared.http.views import view
from shared.privacy import data_key, encrypt, mask_name

REFRESH_INTERVAL = timedelta(days=183)  # at least every six months (至少每半年)
ECONOMIC_TYPES = (
    "processing",  # 加工户
    "planting",  # 种植户
    "breeding",  # 养殖户
    "business",  # 经商户
    "migrant_work",  # 打工户
    "low_income",  # 低保户
    "five_guarantees",  # 五保户
    "extreme_hardship",  # 特困户
    "other",
)
INCOME_KINDS = ("land", "crops", "livestock", "business", "migrant_work", "other")
NAME_FIELD = "household_archive.member_name"


def _changed(
    archive: HouseholdArchive, members: list[ArchiveMember], data: ArchiveWrite, names: list[tuple[bytes, str]]
) -> list[str]:
    """Which parts of the sheet a refresh changed (none: the visit confirmed it as it was)."""
    changed = []
    if archive.economic_type != data.economic_type:
        changed.append("economicType")
    before = [(m.name_masked, m.relation, m.birth_year, m.education, m.political_status, m.health) for m in members]
    after = [
        (masked, m.relation.strip(), m.birth_year, m.education, m.political_status, m.health)
        for m, (_, masked) in zip(data.members, names, strict=True)
    ]
    if before != after:
        changed.append("members")
    if archive.income_sources != msgspec.to_builtins(data.income_sources):
        changed.append("incomeSources")
    if archive.assistance != msgspec.to_builtins(data.assistance):
        changed.append("assistance")
    return changed


class ArchiveService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _scoped(self, query: Select[Any]) -> Select[Any]:
        """Cadres read and keep the archives of their subtree; the district's operators all of them."""
        if is_operator(self.principal) or self.principal.scope is None:
            return query
        return query.where(under(HouseholdArchive.grid_path, self.principal.scope))

    async def _household(self, household_id: UUID) -> tuple[DirectoryHousehold, DirectoryGrid | None]:
        """The household of this district and within the caller's scope, else the same 404."""
        household = await self.session.get(DirectoryHousehold, household_id)
        if household is None:
            raise missing("household")
        grid = await self.session.get(DirectoryGrid, household.grid_id) if household.grid_id else None
        scope = self.principal.scope
        if not is_operator(self.principal) and scope is not None and (grid is None or not grid.path.startswith(scope)):
            raise missing("household")
        return household, grid

    async def _archive(self, household_id: UUID, *, for_update: bool = False) -> HouseholdArchive | None:
        query = self._scoped(select(HouseholdArchive).where(HouseholdArchive.household_id == household_id))
        found: HouseholdArchive | None = await self.session.scalar(query.with_for_update() if for_update else query)
        return found

    async def _members(self, archive_id: UUID) -> list[ArchiveMember]:
        query = select(ArchiveMember).where(ArchiveMember.archive_id == archive_id).order_by(ArchiveMember.position)
        return list(await self.session.scalars(query))

    async def write(self, household_id: UUID, data: ArchiveWrite) -> ArchiveView:
        """Create the sheet, or refresh it: the refresh is recorded (who, when, what changed) even when nothing
        changed, since the visit itself is what the six-month rule asks for."""
        errors = FieldErrors()
        errors.choice("economicType", data.economic_type, ECONOMIC_TYPES)
        for index, source in enumerate(data.income_sources):
            errors.choice(f"body.incomeSources[{index}].kind", source.kind, INCOME_KINDS)
        future = [i for i, record in enumerate(data.assistance) if record.on and record.on > now().date()]
        for index in future:
            errors.add(f"body.assistance[{index}].on", "a date in the future")
        errors.raise_if_any("the household archive has invalid fields")
        household, grid = await self._household(household_id)
        archive = await self._archive(household_id, for_update=True)
        stored = await self._members(archive.id) if archive else []
        names = await self._names(data, stored)
        at = now()
        if archive is None:
            archive = HouseholdArchive(household_id=household.household_id, economic_type=data.economic_type)
            self.session.add(archive)
            changed = ["created"]
        else:
            changed = _changed(archive, stored, data, names)
        archive.grid_id, archive.grid_path = (grid.grid_id, grid.path) if grid else (None, None)
        archive.economic_type = data.economic_type
        archive.income_sources = msgspec.to_builtins(data.income_sources)
        archive.assistance = msgspec.to_builtins(data.assistance)
        archive.refreshed_at, archive.refreshed_by, archive.refreshed_by_name = (
            at,
            self.principal.user_id,
            self.principal.name,
        )
        await self.session.flush()
        await self.session.execute(delete(ArchiveMember).where(ArchiveMember.archive_id == archive.id))
        for row in stored:
            self.session.expunge(row)
        known = {row.id for row in stored}
        for position, (member, (cipher, masked)) in enumerate(zip(data.members, names, strict=True)):
            self.session.add(
                ArchiveMember(
                    id=member.id if member.id in known else uuid7(),
                    archive_id=archive.id,
                    position=position,
                    name_cipher=cipher,
                    name_masked=masked,
                    relation=member.relation.strip(),
                    birth_year=member.birth_year,
                    education=member.education,
                    political_status=member.political_status,
                    health=member.health,
                )
            )
        note = (data.note or "").strip() or None
        self.session.add(
            ArchiveRefresh(
                archive_id=archive.id,
                at=at,
                by_user=self.principal.user_id,
                by_name=self.principal.name,
                changed=changed,
                note=note,
            )
        )
        await self.session.flush()
        await audit.record(
            self.session,
            "dispatch.archive.refreshed",
            subject_type="household_archive",
            subject_id=str(archive.id),
            detail={"householdId": str(household_id), "changed": changed},
        )
        return await self._view(archive, grid)

    async def _names(self, data: ArchiveWrite, stored: list[ArchiveMember]) -> list[tuple[bytes, str]]:
        """Each member's encrypted and masked name: typed anew, or kept from the sheet by the member's ``id``; a
        422 naming the member otherwise."""
        kept = {m.id: (m.name_cipher, m.name_masked) for m in stored}
        keys = await data_key(self.session, require_tenant())
        names: list[tuple[bytes, str]] = []
        errors = FieldErrors()
        for index, member in enumerate(data.members):
            if member.name is not None:
                name = member.name.strip()
                names.append((encrypt(keys, NAME_FIELD, name), mask_name(name)))
            elif member.id is not None and member.id in kept:
                names.append(kept[member.id])
            elif member.id is not None:
                errors.add(f"body.members[{index}].id", "not a member of this archive")
            else:
                errors.add(f"body.members[{index}].name", "required")
        errors.raise_if_any("the household archive has invalid members")
        return names

    async def get(self, household_id: UUID) -> ArchiveView:
        household, grid = await self._household(household_id)
        archive = await self._archive(household.household_id)
        if archive is None:
            raise missing("household archive")
        await audit.record(
            self.session, "dispatch.archive.read", subject_type="household_archive", subject_id=str(archive.id)
        )
        return await self._view(archive, grid)

    async def refreshes(self, household_id: UUID) -> list[RefreshView]:
        await self._household(household_id)
        archive = await self._archive(household_id)
        if archive is None:
            raise missing("household archive")
        query = select(ArchiveRefresh).where(ArchiveRefresh.archive_id == archive.id)
        rows = await self.session.scalars(query.order_by(ArchiveRefresh.at.desc(), ArchiveRefresh.id.desc()))
        return [view(RefreshView, row) for row in rows]

    async def _view(self, archive: HouseholdArchive, grid: DirectoryGrid | None) -> ArchiveView:
        members = await self._members(archive.id)
        return ArchiveView(
            id=archive.id,
            household_id=archive.household_id,
            grid_id=archive.grid_id,
            grid_name=grid.name if grid else None,
            economic_type=archive.economic_type,
            members=[view(MemberView, m, name=m.name_masked) for m in members],
            income_sources=msgspec.convert(archive.income_sources, list[IncomeSource]),
            assistance=msgspec.convert(archive.assistance, list[AssistanceRecord]),
            demands=await self._demands(archive.household_id),
            refreshed_at=archive.refreshed_at,
            refreshed_by_name=archive.refreshed_by_name,
            refresh_due_at=archive.refreshed_at + REFRESH_INTERVAL,
            due=archive.refreshed_at + REFRESH_INTERVAL <= now(),
        )

    async def _demands(self, household_id: UUID) -> list[DemandView]:
        """The household's tickets, newest first, with their resolution and the resident's feedback forms."""
        tickets = list(
            await self.session.scalars(
                select(Ticket)  # a duplicate folded into another ticket is not a demand of its own
                .where(Ticket.household_id == household_id, Ticket.status != TicketStatus.MERGED)
                .order_by(Ticket.created_at.desc())
                .limit(100)
            )
        )
        forms: dict[UUID, list[FeedbackFormView]] = defaultdict(list)
        if tickets:
            query = select(Feedback).where(Feedback.ticket_id.in_([t.id for t in tickets])).order_by(Feedback.given_at)
            for form in await self.session.scalars(query):
                forms[form.ticket_id].append(view(FeedbackFormView, form))
        return [
            view(
                DemandView,
                t,
                ticket_id=t.id,
                stage=current_stage(t.status, classified=t.category_id is not None),
                feedback=forms[t.id],
            )
            for t in tickets
        ]

    async def page(self, *, due_only: bool, grid_id: UUID | None, limit: int, offset: int) -> ArchivePage:
        """Longest unrefreshed first, so the reminder and the list read the same way."""
        query = self._scoped(select(HouseholdArchive))
        if grid_id is not None:
            query = query.where(HouseholdArchive.grid_id == grid_id)
        threshold = now() - REFRESH_INTERVAL
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        due_query = query.where(HouseholdArchive.refreshed_at <= threshold)
        due = await self.session.scalar(select(func.count()).select_from(due_query.subquery())) or 0
        listed = due_query if due_only else query
        order = (HouseholdArchive.refreshed_at, HouseholdArchive.id)
        archives = list(await self.session.scalars(listed.order_by(*order).offset(offset).limit(limit)))
        return ArchivePage(total=total, due=due, items=await self._rows(archives))

    async def _rows(self, archives: list[HouseholdArchive]) -> list[ArchiveRow]:
        if not archives:
            return []
        ids = [a.id for a in archives]
        heads: dict[UUID, str] = {}
        counts: dict[UUID, int] = defaultdict(int)
        for member in await self.session.scalars(
            select(ArchiveMember).where(ArchiveMember.archive_id.in_(ids)).order_by(ArchiveMember.position)
        ):
            heads.setdefault(member.archive_id, member.name_masked)
            counts[member.archive_id] += 1
        households = [a.household_id for a in archives]
        open_query = (
            select(Ticket.household_id, func.count())
            .where(Ticket.household_id.in_(households), Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.household_id)
        )
        open_demands: dict[UUID | None, int] = {row[0]: row[1] for row in await self.session.execute(open_query)}
        grid_ids = {a.grid_id for a in archives if a.grid_id}
        names: dict[UUID, str] = {}
        if grid_ids:
            found = await self.session.execute(
                select(DirectoryGrid.grid_id, DirectoryGrid.name).where(DirectoryGrid.grid_id.in_(grid_ids))
            )
            names = {row[0]: row[1] for row in found}
        moment: datetime = now()
        return [
            ArchiveRow(
                id=a.id,
                household_id=a.household_id,
                grid_name=names.get(a.grid_id) if a.grid_id else None,
                economic_type=a.economic_type,
                head_name=heads.get(a.id),
                member_count=counts[a.id],
                open_demands=open_demands.get(a.household_id, 0),
                refreshed_at=a.refreshed_at,
                refreshed_by_name=a.refreshed_by_name,
                refresh_due_at=a.refreshed_at + REFRESH_INTERVAL,
                due=a.refreshed_at + REFRESH_INTERVAL <= moment,
            )
            for a in archives
        ]
