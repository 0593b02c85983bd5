"""The hotline desk's caller lookup: a caller's households by the exact phone number, masked, every lookup audited.

This is all the hotline operator reads of a household here: it finds the household the caller rings from, the
grid it lies in and the red-cell members who serve it, so the desk can place the call and route it.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import masked
from services.orgtree.households.models import Household
from services.orgtree.households.schemas import CallerHouseholdView, ServingMember
from services.orgtree.links.models import HouseholdLink
from services.orgtree.members.models import Member
from services.orgtree.members.rules import check_mobile, phone_lookup_key
from services.orgtree.nodes.models import OrgNode
from shared import audit
from shared.auth.principal import Principal
from shared.http.problems import FieldErrors
from shared.http.views import view
from shared.privacy import mask_phone

PURPOSE = "caller lookup"
MOST = 20  # one number is a few households at most; more would be a list, not a caller


class CallerLookupService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def lookup(self, phone: str) -> list[CallerHouseholdView]:
        """Households whose phone is exactly ``phone`` (blind index), within the caller's scope, with the members
        who serve them. Audited with the number's blind index and masked form, found or not."""
        errors = FieldErrors()
        check_mobile(errors, "phone", phone)
        errors.raise_if_any("invalid phone number")
        key = await phone_lookup_key(self.session, "household.phone", phone)
        rows = await self.session.execute(
            select(Household, OrgNode.name)
            .join(OrgNode, OrgNode.id == Household.grid_id)
            .where(Household.phone_index == key)
            .order_by(Household.grid_path, Household.id)
            .limit(MOST)
        )
        found = [(household, grid) for household, grid in rows if self.principal.may_see_path(household.grid_path)]
        serving = await self._serving([household.id for household, _ in found])
        await audit.record(
            self.session,
            "orgtree.household.caller_lookup",
            subject_type="household_phone",
            subject_id=key.hex(),  # the blind index: an auditor can match lookups of one number without seeing it
            purpose=PURPOSE,
            detail={"phone": mask_phone(phone), "householdIds": [str(household.id) for household, _ in found]},
        )
        return [
            view(
                CallerHouseholdView,
                household,
                grid_name=grid,
                served_by=serving.get(household.id, []),
                **masked(household, "head_name", "address", "phone"),
            )
            for household, grid in found
        ]

    async def _serving(self, household_ids: list[UUID]) -> dict[UUID, list[ServingMember]]:
        if not household_ids:
            return {}
        rows = await self.session.execute(
            select(HouseholdLink.household_id, Member)
            .join(Member, Member.id == HouseholdLink.member_id)
            .where(HouseholdLink.household_id.in_(household_ids))
            .order_by(HouseholdLink.since, Member.id)
        )
        serving: dict[UUID, list[ServingMember]] = {}
        for household_id, member in rows:
            contact = ServingMember(member_id=member.id, name=member.name, phone=member.phone_masked)
            serving.setdefault(household_id, []).append(contact)
        return serving
