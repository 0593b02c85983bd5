from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import READERS, ROLL_KEEPERS
from services.orgtree.households.schemas import (
    HouseholdCreate,
    HouseholdEventCreate,
    HouseholdEventView,
    HouseholdPage,
    HouseholdUpdate,
    HouseholdView,
)
from services.orgtree.households.services import HouseholdService, shown_categories
from services.orgtree.members.schemas import LookupRequest, Revealed, RevealRequest
from services.orgtree.members.services import encode_cursor
from services.orgtree.models import Household, HouseholdEvent
from shared.auth.principal import Principal
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import invalid


def to_view(household: Household, principal: Principal) -> HouseholdView:
    return HouseholdView(
        id=household.id, grid_id=household.grid_id, label=household.label, head_name=household.head_name_masked,
        address=household.address_masked, phone=household.phone_masked,
        categories=shown_categories(principal, household.categories), is_member_hub=household.is_member_hub,
        plaque=household.plaque, plaque_issued_on=household.plaque_issued_on, created_at=household.created_at,
    )  # fmt: skip


def to_event_view(row: HouseholdEvent) -> HouseholdEventView:
    return HouseholdEventView(id=row.id, household_id=row.household_id, kind=row.kind, occurred_on=row.occurred_on,
                              note=row.note, recorded_at=row.recorded_at)  # fmt: skip


class HouseholdController(Controller):
    path = "/api/orgtree/households"
    tags = ["Households"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/", operation_id="ListHouseholds", summary="Households in a subtree; unserved=true: no member serves them")
    async def list_households(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        within: Annotated[UUID | None, QueryParameter()] = None,
        category: Annotated[str | None, QueryParameter(max_length=40)] = None,
        unserved: Annotated[bool, QueryParameter()] = False,
        after: Annotated[str | None, QueryParameter(max_length=500)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> HouseholdPage:
        principal = principal_of(request)
        rows = await HouseholdService(db_session, principal).page(
            within=within, category=category, unserved=unserved, after=after, limit=limit
        )
        next_after = encode_cursor(rows[-1].grid_path, rows[-1].id) if len(rows) == limit else None
        return HouseholdPage(items=[to_view(h, principal) for h in rows], next_after=next_after)

    @post("/", operation_id="CreateHousehold", summary="Record a household in a grid",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[HouseholdCreate],
    ) -> HouseholdView:
        principal = principal_of(request)
        return to_view(await HouseholdService(db_session, principal).create(data), principal)

    @post("/lookup", operation_id="LookupHouseholds", summary="Find households by phone", status_code=200,
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def lookup(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], data: JSONBody[LookupRequest]
    ) -> list[HouseholdView]:
        if data.phone is None or data.id_card is not None:
            raise invalid("phone", "households are looked up by phone only")
        principal = principal_of(request)
        return [
            to_view(h, principal) for h in await HouseholdService(db_session, principal).lookup_by_phone(data.phone)
        ]

    @get("/{household_id:uuid}", operation_id="GetHousehold", summary="One household, personal data masked")
    async def get_household(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], household_id: FromPath[UUID]
    ) -> HouseholdView:
        principal = principal_of(request)
        return to_view(await HouseholdService(db_session, principal).get(household_id), principal)

    @patch("/{household_id:uuid}", operation_id="UpdateHousehold", summary="Change a household's record",
           guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def update(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[HouseholdUpdate],
    ) -> HouseholdView:
        principal = principal_of(request)
        return to_view(await HouseholdService(db_session, principal).update(household_id, data), principal)

    @post("/{household_id:uuid}/reveal", operation_id="RevealHouseholdField", status_code=200,
          summary="Show a head's name, address or phone in clear, for a stated purpose (audited)",
          guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def reveal(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[RevealRequest],
    ) -> Revealed:
        service = HouseholdService(db_session, principal_of(request))
        return Revealed(field=data.field, value=await service.reveal(household_id, data.field, data.purpose))

    @post("/{household_id:uuid}/events", operation_id="RecordHouseholdEvent",
          summary="Record that something happened to a household (a visit follows)")  # fmt: skip
    async def record_event(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[HouseholdEventCreate],
    ) -> HouseholdEventView:
        row = await HouseholdService(db_session, principal_of(request)).record_event(household_id, data)
        return to_event_view(row)

    @get("/{household_id:uuid}/events", operation_id="ListHouseholdEvents", summary="What happened to a household")
    async def events(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], household_id: FromPath[UUID]
    ) -> list[HouseholdEventView]:
        rows = await HouseholdService(db_session, principal_of(request)).events(household_id)
        return [to_event_view(r) for r in rows]
