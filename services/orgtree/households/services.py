"""Household rules: grid placement, personal data, categories and markers, recorded events."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import is_staff, reveal_field, sees_any
from services.orgtree.households.models import Household, HouseholdEvent
from services.orgtree.households.rules import (
    HOUSEHOLD_CATEGORIES,
    HOUSEHOLD_EVENT_KINDS,
    PLAQUES,
    RESTRICTED_CATEGORIES,
    protect_household,
)
from services.orgtree.households.schemas import HouseholdCreate, HouseholdEventCreate, HouseholdUpdate
from services.orgtree.links.models import HouseholdLink
from services.orgtree.members.models import Member
from services.orgtree.members.rules import check_choice, check_choices, check_mobile, given, phone_lookup_key
from services.orgtree.members.services import MemberService
from services.orgtree.nodes.services import NodeService, in_subtree
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import china_today, now
from shared.contracts.orgtree import HouseholdEventRecorded, HouseholdPlaced
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, invalid, missing
from shared.http.views import view
from shared.messaging.outbox import publish

REVEALABLE = {
    "headName": ("household.head_name", "head_name_cipher"),
    "address": ("household.address", "address_cipher"),
    "phone": ("household.phone", "phone_cipher"),
}
RESTRICTED_SHOWN_AS = "restricted"
INVALID_FIELDS = "the household record has invalid fields"
PAGES = Keyset(Household.grid_path, Household.id, separator="|")


def shown_categories(principal: Principal, categories: list[str]) -> list[str]:
    """GW-08: income, health and conflict categories are for the district and street levels only."""
    if principal.has_role(Role.DISTRICT_ADMIN, Role.STREET_ADMIN):
        return list(categories)
    shown = [c for c in categories if c not in RESTRICTED_CATEGORIES]
    return [*shown, RESTRICTED_SHOWN_AS] if len(shown) < len(categories) else shown


def check_household_fields(
    errors: FieldErrors, *, phone: str | None, categories: list[str], plaque: str | None, plaque_issued_on: date | None
) -> None:
    check_mobile(errors, "phone", phone)
    check_choices(errors, "categories", categories, HOUSEHOLD_CATEGORIES)
    check_choice(errors, "plaque", plaque, PLAQUES)
    if plaque_issued_on is not None and plaque is None:
        errors.add("plaqueIssuedOn", "a plaque issue date needs a plaque")


class HouseholdRepository(Repository[Household]):
    model_type = Household
    noun = "household"


class HouseholdService:
    def __init__(self, session: AsyncSession, principal: Principal, members: MemberService, nodes: NodeService) -> None:
        self.session = session
        self.principal = principal
        self.members = members
        self.nodes = nodes
        self.repository = HouseholdRepository(session)

    async def _served_by_caller(self, household_id: UUID) -> bool:
        served = exists().where(
            HouseholdLink.household_id == household_id,
            HouseholdLink.member_id == Member.id,
            Member.user_id == self.principal.user_id,
        )
        return bool(await self.session.scalar(select(served)))

    async def get(self, household_id: UUID) -> Household:
        """The household, if the caller's scope holds its grid or the caller serves it; else 404."""
        household = await self.repository.get_or_404(household_id)
        if not sees_any(self.principal, household.grid_path) and not await self._served_by_caller(household.id):
            raise missing("household")
        return household

    async def page(
        self, *, within: UUID | None, category: str | None, unserved: bool, after: str | None, limit: int
    ) -> tuple[list[Household], str | None]:
        """Households in a subtree, and the cursor of the next page: ``<grid path>|<id>`` of the last one."""
        if not is_staff(self.principal):  # a member: all the households they serve, on one page
            me = await self.members.me()
            rows = await self.session.scalars(
                select(Household)
                .join(HouseholdLink, HouseholdLink.household_id == Household.id)
                .where(HouseholdLink.member_id == me.id)
                .order_by(Household.grid_path, Household.id)
            )
            return list(rows), None
        scope = await self.nodes.scope_path(within)
        query = select(Household)
        if scope is not None:
            query = query.where(in_subtree(Household.grid_path, scope))
        if category is not None:
            query = query.where(Household.categories.contains([category]))
        if unserved:
            query = query.where(~exists().where(HouseholdLink.household_id == Household.id))
        return await self.repository.page(query, PAGES, after=after, limit=limit)

    async def create(self, data: HouseholdCreate) -> Household:
        errors = FieldErrors()
        check_household_fields(
            errors,
            phone=data.phone,
            categories=data.categories,
            plaque=data.plaque,
            plaque_issued_on=data.plaque_issued_on,
        )
        errors.raise_if_any(INVALID_FIELDS)
        grid = await self.members.grid(data.grid_id)
        household = Household(
            grid_id=grid.id,
            grid_path=grid.path,
            label=data.label.strip(),
            categories=sorted(set(data.categories)),
            is_member_hub=data.is_member_hub,
            plaque=data.plaque,
            plaque_issued_on=data.plaque_issued_on,
        )
        await protect_household(
            self.session, household, head_name=data.head_name, address=data.address, phone=data.phone
        )
        await self.repository.add(household)
        await self._audit("orgtree.household.created", household)
        placed = HouseholdPlaced(tenant_id=household.tenant_id, household_id=household.id, grid_id=grid.id)
        await publish(self.session, placed)
        return household

    async def update(self, household_id: UUID, data: HouseholdUpdate) -> Household:
        household = await self.get(household_id)
        plaque = data.plaque if data.plaque is not msgspec.UNSET else household.plaque
        issued = data.plaque_issued_on if data.plaque_issued_on is not msgspec.UNSET else household.plaque_issued_on
        errors = FieldErrors()
        check_household_fields(
            errors,
            phone=given(data.phone),
            categories=data.categories if isinstance(data.categories, list) else [],
            plaque=plaque,
            plaque_issued_on=issued,
        )
        errors.raise_if_any(INVALID_FIELDS)
        await protect_household(
            self.session,
            household,
            head_name=given(data.head_name),
            address=given(data.address),
            phone=given(data.phone),
        )
        if isinstance(data.label, str):
            household.label = data.label.strip()
        if isinstance(data.categories, list):
            household.categories = sorted(set(data.categories))
        if isinstance(data.is_member_hub, bool):
            household.is_member_hub = data.is_member_hub
        household.plaque, household.plaque_issued_on = plaque, issued
        await self.session.flush()
        await self._audit("orgtree.household.updated", household)
        return household

    async def _audit(self, action: str, household: Household, **detail: str) -> None:
        await audit.record(
            self.session, action, subject_type="household", subject_id=str(household.id), detail=detail or None
        )

    async def lookup_by_phone(self, phone: str) -> list[Household]:
        errors = FieldErrors()
        check_mobile(errors, "phone", phone)
        errors.raise_if_any("invalid phone number")
        key = await phone_lookup_key(self.session, "household.phone", phone)
        rows = await self.session.scalars(select(Household).where(Household.phone_index == key).limit(20))
        return [h for h in rows if sees_any(self.principal, h.grid_path)]

    async def reveal(self, household_id: UUID, field: str, purpose: str) -> str:
        household = await self.get(household_id)
        return await reveal_field(
            self.session, household, REVEALABLE, field=field, purpose=purpose, subject_type="household"
        )

    async def record_event(self, household_id: UUID, data: HouseholdEventCreate) -> HouseholdEvent:
        """EVT-12: dispatch turns this into a visit for the members who serve the household."""
        household = await self.get(household_id)
        if data.kind not in HOUSEHOLD_EVENT_KINDS:
            raise invalid("kind", f"one of: {', '.join(HOUSEHOLD_EVENT_KINDS)}")
        if data.occurred_on > china_today():
            raise invalid("occurredOn", "is in the future")
        row = HouseholdEvent(
            household_id=household.id, kind=data.kind, occurred_on=data.occurred_on, note=data.note, recorded_at=now()
        )
        self.session.add(row)
        await self.session.flush()
        servers = select(HouseholdLink.member_id).where(HouseholdLink.household_id == household.id)
        linked = list(await self.session.scalars(servers))
        await self._audit("orgtree.household.event_recorded", household, kind=data.kind)
        recorded = view(HouseholdEventRecorded, row, event_id=row.id, linked_member_ids=linked)
        await publish(self.session, recorded)
        return row

    async def events(self, household_id: UUID) -> list[HouseholdEvent]:
        household = await self.get(household_id)
        rows = await self.session.scalars(
            select(HouseholdEvent)
            .where(HouseholdEvent.household_id == household.id)
            .order_by(HouseholdEvent.occurred_on.desc())
        )
        return list(rows)
