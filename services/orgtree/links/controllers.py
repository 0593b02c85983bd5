from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import READERS, ROLL_KEEPERS
from services.orgtree.households.controllers import to_view as household_view
from services.orgtree.households.schemas import HouseholdView
from services.orgtree.links.schemas import (
    ContactCreate,
    ContactView,
    GuidanceLinkCreate,
    GuidanceLinkView,
    HouseholdLinkCreate,
    HouseholdLinkSet,
    HouseholdLinkView,
)
from services.orgtree.links.services import GuidanceService, HouseholdLinkService
from services.orgtree.members.controllers import to_view as member_view
from services.orgtree.members.schemas import MemberView
from services.orgtree.models import GuidanceContact, GuidanceLink, HouseholdLink
from shared.http.guards import principal_of, requires_role, requires_tenant


def link_view(link: HouseholdLink) -> HouseholdLinkView:
    return HouseholdLinkView(member_id=link.member_id, household_id=link.household_id, since=link.since)


def guidance_view(link: GuidanceLink) -> GuidanceLinkView:
    return GuidanceLinkView(id=link.id, cadre_id=link.cadre_id, member_id=link.member_id, since=link.since)


def contact_view(row: GuidanceContact) -> ContactView:
    return ContactView(id=row.id, link_id=row.link_id, contacted_on=row.contacted_on, channel=row.channel,
                       note=row.note)  # fmt: skip


class HouseholdLinkController(Controller):
    """A member's red-cell households, and a household's members."""

    path = "/api/orgtree"
    tags = ["Red-cell links"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/members/{member_id:uuid}/households", operation_id="ListServedHouseholds",
         summary="Households the member serves")  # fmt: skip
    async def served(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], member_id: FromPath[UUID]
    ) -> list[HouseholdView]:
        principal = principal_of(request)
        rows = await HouseholdLinkService(db_session, principal).served(member_id)
        return [household_view(household, principal) for _, household in rows]

    @post("/members/{member_id:uuid}/households", operation_id="LinkHousehold",
          summary="The member claims a household", guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def link(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[HouseholdLinkCreate],
    ) -> HouseholdLinkView:
        return link_view(
            await HouseholdLinkService(db_session, principal_of(request)).link(member_id, data.household_id)
        )

    @put("/members/{member_id:uuid}/households", operation_id="SetServedHouseholds",
         summary="Replace the member's households (count within the district's range)",
         guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def replace(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        data: JSONBody[HouseholdLinkSet],
    ) -> list[HouseholdLinkView]:
        service = HouseholdLinkService(db_session, principal_of(request))
        return [link_view(link) for link in await service.replace(member_id, data.household_ids)]

    @delete("/members/{member_id:uuid}/households/{household_id:uuid}", operation_id="UnlinkHousehold",
            summary="The member stops serving a household", guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def unlink(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        member_id: FromPath[UUID],
        household_id: FromPath[UUID],
    ) -> None:
        await HouseholdLinkService(db_session, principal_of(request)).unlink(member_id, household_id)

    @get("/households/{household_id:uuid}/members", operation_id="ListHouseholdServers",
         summary="Members who serve the household")  # fmt: skip
    async def servers(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], household_id: FromPath[UUID]
    ) -> list[MemberView]:
        rows = await HouseholdLinkService(db_session, principal_of(request)).servers(household_id)
        return [member_view(m) for m in rows]


class GuidanceController(Controller):
    path = "/api/orgtree/guidance-links"
    tags = ["Guidance links"]
    guards = [requires_tenant, requires_role(*ROLL_KEEPERS)]

    @get("/", operation_id="ListGuidanceLinks", summary="Members a cadre guides")
    async def list_links(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        cadre_id: Annotated[UUID, QueryParameter(name="cadreId")],
    ) -> list[GuidanceLinkView]:
        return [guidance_view(x) for x in await GuidanceService(db_session, principal_of(request)).for_cadre(cadre_id)]

    @post("/", operation_id="CreateGuidanceLink", summary="A cadre takes on a member to guide")
    async def create(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
        data: JSONBody[GuidanceLinkCreate],
    ) -> GuidanceLinkView:  # fmt: skip
        link = await GuidanceService(db_session, principal_of(request)).create(data.cadre_id, data.member_id)
        return guidance_view(link)

    @delete("/{link_id:uuid}", operation_id="RemoveGuidanceLink", summary="End a guidance link")
    async def remove(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], link_id: FromPath[UUID]
    ) -> None:
        await GuidanceService(db_session, principal_of(request)).remove(link_id)

    @post("/{link_id:uuid}/contacts", operation_id="LogGuidanceContact", summary="Log a contact")
    async def log_contact(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        link_id: FromPath[UUID],
        data: JSONBody[ContactCreate],
    ) -> ContactView:
        return contact_view(await GuidanceService(db_session, principal_of(request)).log_contact(link_id, data))

    @get("/{link_id:uuid}/contacts", operation_id="ListGuidanceContacts", summary="Contacts logged on a link")
    async def contacts(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], link_id: FromPath[UUID]
    ) -> list[ContactView]:
        return [contact_view(c) for c in await GuidanceService(db_session, principal_of(request)).contacts(link_id)]
