"""Household rules: grid placement, personal data, categories and markers, recorded events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import msgspec
from sqlalchemy import exists, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import is_staff, reveal_field, sees_any
from services.orgtree.households.rules import (
    HOUSEHOLD_CATEGORIES,
    HOUSEHOLD_EVENT_KINDS,
    PLAQUES,
    RESTRICTED_CATEGORIES,
    protect_household,
)
from services.orgtree.households.schemas import HouseholdCreate, HouseholdEventCreate, HouseholdUpdate
from services.orgtree.members.rules import check_choice, check_choices, check_mobile, phone_lookup_key
from services.orgtree.members.services import MemberService, decode_cursor
from services.orgtree.models import Household, HouseholdEvent, HouseholdLink, Member
from services.orgtree.nodes.services import in_subtree
from shared import audit
from shared.auth.principal import Principal, Role
from shared.contracts.orgtree import HouseholdEventRecorded, HouseholdPlaced
from shared.http.problems import FieldErrors, ProblemError, invalid, missing
from shared.messaging.outbox import publish

REVEALABLE = {
    "headName": ("household.head_name", "head_name_cipher"),
    "address": ("household.address", "address_cipher"),
    "phone": ("household.phone", "phone_cipher"),
}
RESTRICTED_SHOWN_AS = "restricted"


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


class HouseholdService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.members = MemberService(session, principal)

    async def _served_by_caller(self, household_id: UUID) -> bool:
        return bool(await self.session.scalar(select(exists().where(
            HouseholdLink.household_id == household_id, HouseholdLink.member_id == Member.id,
            Member.user_id == self.principal.user_id,
        ))))  # fmt: skip

    async def get(self, household_id: UUID) -> Household:
        household = await self.session.get(Household, household_id)
        if household is None:
            raise missing("household")
        if not sees_any(self.principal, household.grid_path) and not await self._served_by_caller(household.id):
            raise missing("household")
        return household

    async def page(
        self, *, within: UUID | None, category: str | None, unserved: bool, after: str | None, limit: int
    ) -> list[Household]:
        if not is_staff(self.principal):  # a member: the households they serve
            me = await self.members.me()
            rows = await self.session.scalars(
                select(Household).join(HouseholdLink, HouseholdLink.household_id == Household.id)
                .where(HouseholdLink.member_id == me.id).order_by(Household.grid_path, Household.id)
            )  # fmt: skip
            return list(rows)
        scope = await self.members.nodes.scope_path(within)
        query = select(Household)
        if scope is not None:
            query = query.where(in_subtree(Household.grid_path, scope))
        if category is not None:
            query = query.where(Household.categories.contains([category]))
        if unserved:
            query = query.where(~exists().where(HouseholdLink.household_id == Household.id))
        if after is not None:
            path, last_id = decode_cursor(after)
            query = query.where(tuple_(Household.grid_path, Household.id) > tuple_(path, last_id))
        return list(await self.session.scalars(query.order_by(Household.grid_path, Household.id).limit(limit)))

    async def create(self, data: HouseholdCreate) -> Household:
        errors = FieldErrors()
        check_household_fields(errors, phone=data.phone, categories=data.categories, plaque=data.plaque,
                               plaque_issued_on=data.plaque_issued_on)  # fmt: skip
        if errors:
            raise ProblemError(422, "the household record has invalid fields", errors=errors.items)
        grid = await self.members.grid(data.grid_id)
        household = Household(
            grid_id=grid.id, grid_path=grid.path, label=data.label.strip(), categories=sorted(set(data.categories)),
            is_member_hub=data.is_member_hub, plaque=data.plaque, plaque_issued_on=data.plaque_issued_on,
        )  # fmt: skip
        await protect_household(self.session, household, head_name=data.head_name, address=data.address,
                                phone=data.phone)  # fmt: skip
        self.session.add(household)
        await self.session.flush()
        await audit.record(self.session, "orgtree.household.created", subject_type="household",
                           subject_id=str(household.id))  # fmt: skip
        await publish(self.session, HouseholdPlaced(tenant_id=household.tenant_id, household_id=household.id,
                                                    grid_id=grid.id))  # fmt: skip
        return household

    async def update(self, household_id: UUID, data: HouseholdUpdate) -> Household:
        household = await self.get(household_id)
        plaque = data.plaque if data.plaque is not msgspec.UNSET else household.plaque
        issued = data.plaque_issued_on if data.plaque_issued_on is not msgspec.UNSET else household.plaque_issued_on
        errors = FieldErrors()
        check_household_fields(
            errors, phone=data.phone if isinstance(data.phone, str) else None,
            categories=data.categories if isinstance(data.categories, list) else [], plaque=plaque,
            plaque_issued_on=issued,
        )  # fmt: skip
        if errors:
            raise ProblemError(422, "the household record has invalid fields", errors=errors.items)
        await protect_household(
            self.session, household,
            head_name=data.head_name if isinstance(data.head_name, str) else None,
            address=data.address if isinstance(data.address, str) else None,
            phone=data.phone if isinstance(data.phone, str) else None,
        )  # fmt: skip
        if isinstance(data.label, str):
            household.label = data.label.strip()
        if isinstance(data.categories, list):
            household.categories = sorted(set(data.categories))
        if isinstance(data.is_member_hub, bool):
            household.is_member_hub = data.is_member_hub
        household.plaque, household.plaque_issued_on = plaque, issued
        await self.session.flush()
        await audit.record(self.session, "orgtree.household.updated", subject_type="household",
                           subject_id=str(household.id))  # fmt: skip
        return household

    async def lookup_by_phone(self, phone: str) -> list[Household]:
        errors = FieldErrors()
        check_mobile(errors, "phone", phone)
        if errors:
            raise ProblemError(422, "invalid phone number", errors=errors.items)
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
        if data.occurred_on > date.today():
            raise invalid("occurredOn", "is in the future")
        row = HouseholdEvent(household_id=household.id, kind=data.kind, occurred_on=data.occurred_on,
                             note=data.note, recorded_at=datetime.now(UTC))  # fmt: skip
        self.session.add(row)
        await self.session.flush()
        linked = list(await self.session.scalars(
            select(HouseholdLink.member_id).where(HouseholdLink.household_id == household.id)
        ))  # fmt: skip
        await audit.record(self.session, "orgtree.household.event_recorded", subject_type="household",
                           subject_id=str(household.id), detail={"kind": data.kind})  # fmt: skip
        await publish(self.session, HouseholdEventRecorded(
            tenant_id=household.tenant_id, event_id=row.id, household_id=household.id, kind=data.kind,
            occurred_on=data.occurred_on, linked_member_ids=linked,
        ))  # fmt: skip
        return row

    async def events(self, household_id: UUID) -> list[HouseholdEvent]:
        household = await self.get(household_id)
        rows = await self.session.scalars(
            select(HouseholdEvent).where(HouseholdEvent.household_id == household.id)
            .order_by(HouseholdEvent.occurred_on.desc())
        )  # fmt: skip
        return list(rows)
