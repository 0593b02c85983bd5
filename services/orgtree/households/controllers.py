from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter

from services.orgtree.access import CALLER_DESK, READERS, ROLL_KEEPER, in_district, masked
from services.orgtree.households.callers import CallerLookupService
from services.orgtree.households.models import Household
from services.orgtree.households.schemas import (
    CallerHouseholdView,
    CallerLookupRequest,
    HouseholdCreate,
    HouseholdEventCreate,
    HouseholdEventView,
    HouseholdPage,
    HouseholdUpdate,
    HouseholdView,
)
from services.orgtree.households.services import HouseholdService, shown_categories
from services.orgtree.members.schemas import LookupRequest, Revealed, RevealRequest
from shared.auth.principal import Principal
from shared.http.di import provide_service
from shared.http.problems import invalid
from shared.http.views import view, views

HouseholdId = FromPath[UUID]


def household_view(row: Household, principal: Principal) -> HouseholdView:
    """A household as shown: head, address and phone masked, restricted categories as the caller may see them."""
    categories = shown_categories(principal, row.categories)
    return view(HouseholdView, row, categories=categories, **masked(row, "head_name", "address", "phone"))


class HouseholdController(Controller):
    path = "/api/orgtree/households"
    tags = ["Households"]
    guards = in_district(*READERS)
    dependencies = {"households": provide_service(HouseholdService), "callers": provide_service(CallerLookupService)}

    @get("/", operation_id="ListHouseholds", summary="Households in a subtree; unserved=true: no member serves them")
    async def list_households(
        self,
        households: NamedDependency[HouseholdService],
        within: Annotated[UUID | None, QueryParameter()] = None,
        category: Annotated[str | None, QueryParameter(max_length=40)] = None,
        unserved: Annotated[bool, QueryParameter()] = False,
        after: Annotated[str | None, QueryParameter(max_length=500)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> HouseholdPage:
        rows, next_after = await households.page(
            within=within, category=category, unserved=unserved, after=after, limit=limit
        )
        principal = households.principal
        return HouseholdPage(items=[household_view(h, principal) for h in rows], next_after=next_after)

    @post("/", operation_id="CreateHousehold", summary="Record a household in a grid", guards=ROLL_KEEPER)
    async def create(
        self, households: NamedDependency[HouseholdService], data: JSONBody[HouseholdCreate]
    ) -> HouseholdView:
        return household_view(await households.create(data), households.principal)

    @post(
        "/lookup",
        operation_id="LookupHouseholds",
        summary="Find households by phone",
        status_code=200,
        guards=ROLL_KEEPER,
    )
    async def lookup(
        self, households: NamedDependency[HouseholdService], data: JSONBody[LookupRequest]
    ) -> list[HouseholdView]:
        if data.phone is None or data.id_card is not None:
            raise invalid("phone", "households are looked up by phone only")
        principal = households.principal
        return [household_view(h, principal) for h in await households.lookup_by_phone(data.phone)]

    @post(
        "/caller-lookup",
        operation_id="LookupCallerHouseholds",
        summary="The hotline desk: a caller's households by exact phone, masked, with the members who serve them",
        description="For hotline operators (and district admins). Every lookup is audited with the number's blind "
        "index and masked form and the purpose 'caller lookup', whether anything was found or not.",
        status_code=200,
        guards=CALLER_DESK,
    )
    async def caller_lookup(
        self, callers: NamedDependency[CallerLookupService], data: JSONBody[CallerLookupRequest]
    ) -> list[CallerHouseholdView]:
        return await callers.lookup(data.phone)

    @get("/{household_id:uuid}", operation_id="GetHousehold", summary="One household, personal data masked")
    async def get_household(
        self, households: NamedDependency[HouseholdService], household_id: HouseholdId
    ) -> HouseholdView:
        return household_view(await households.get(household_id), households.principal)

    @patch(
        "/{household_id:uuid}",
        operation_id="UpdateHousehold",
        summary="Change a household's record",
        guards=ROLL_KEEPER,
    )
    async def update(
        self, households: NamedDependency[HouseholdService], household_id: HouseholdId, data: JSONBody[HouseholdUpdate]
    ) -> HouseholdView:
        return household_view(await households.update(household_id, data), households.principal)

    @post(
        "/{household_id:uuid}/reveal",
        operation_id="RevealHouseholdField",
        status_code=200,
        summary="Show a head's name, address or phone in clear, for a stated purpose (audited)",
        guards=ROLL_KEEPER,
    )
    async def reveal(
        self, households: NamedDependency[HouseholdService], household_id: HouseholdId, data: JSONBody[RevealRequest]
    ) -> Revealed:
        return Revealed(field=data.field, value=await households.reveal(household_id, data.field, data.purpose))

    @post(
        "/{household_id:uuid}/events",
        operation_id="RecordHouseholdEvent",
        summary="Record that something happened to a household (a visit follows)",
    )
    async def record_event(
        self,
        households: NamedDependency[HouseholdService],
        household_id: HouseholdId,
        data: JSONBody[HouseholdEventCreate],
    ) -> HouseholdEventView:
        return view(HouseholdEventView, await households.record_event(household_id, data))

    @get("/{household_id:uuid}/events", operation_id="ListHouseholdEvents", summary="What happened to a household")
    async def events(
        self, households: NamedDependency[HouseholdService], household_id: HouseholdId
    ) -> list[HouseholdEventView]:
        return views(HouseholdEventView, await households.events(household_id))
