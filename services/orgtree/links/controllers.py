from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.orgtree.access import READERS, ROLL_KEEPER, ROLL_KEEPERS, in_district
from services.orgtree.households.controllers import household_view
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
from services.orgtree.members.controllers import member_view
from services.orgtree.members.schemas import MemberView
from shared.http.di import provide_service
from shared.http.views import view, views

MemberId = FromPath[UUID]
HouseholdId = FromPath[UUID]
LinkId = FromPath[UUID]


class HouseholdLinkController(Controller):
    """A member's red-cell households, and a household's members."""

    path = "/api/orgtree"
    tags = ["Red-cell links"]
    guards = in_district(*READERS)
    dependencies = {"links": provide_service(HouseholdLinkService)}

    @get(
        "/members/{member_id:uuid}/households",
        operation_id="ListServedHouseholds",
        summary="Households the member serves",
    )
    async def served(self, links: NamedDependency[HouseholdLinkService], member_id: MemberId) -> list[HouseholdView]:
        return [household_view(household, links.principal) for _, household in await links.served(member_id)]

    @post(
        "/members/{member_id:uuid}/households",
        operation_id="LinkHousehold",
        summary="The member claims a household",
        guards=ROLL_KEEPER,
    )
    async def link(
        self, links: NamedDependency[HouseholdLinkService], member_id: MemberId, data: JSONBody[HouseholdLinkCreate]
    ) -> HouseholdLinkView:
        return view(HouseholdLinkView, await links.link(member_id, data.household_id))

    @put(
        "/members/{member_id:uuid}/households",
        operation_id="SetServedHouseholds",
        summary="Replace the member's households (count within the district's range)",
        guards=ROLL_KEEPER,
    )
    async def replace(
        self, links: NamedDependency[HouseholdLinkService], member_id: MemberId, data: JSONBody[HouseholdLinkSet]
    ) -> list[HouseholdLinkView]:
        return views(HouseholdLinkView, await links.replace(member_id, data.household_ids))

    @delete(
        "/members/{member_id:uuid}/households/{household_id:uuid}",
        operation_id="UnlinkHousehold",
        summary="The member stops serving a household",
        guards=ROLL_KEEPER,
    )
    async def unlink(
        self, links: NamedDependency[HouseholdLinkService], member_id: MemberId, household_id: HouseholdId
    ) -> None:
        await links.unlink(member_id, household_id)

    @get(
        "/households/{household_id:uuid}/members",
        operation_id="ListHouseholdServers",
        summary="Members who serve the household",
    )
    async def servers(
        self, links: NamedDependency[HouseholdLinkService], household_id: HouseholdId
    ) -> list[MemberView]:
        return [member_view(m) for m in await links.servers(household_id)]


class GuidanceController(Controller):
    path = "/api/orgtree/guidance-links"
    tags = ["Guidance links"]
    guards = in_district(*ROLL_KEEPERS)
    dependencies = {"guidance": provide_service(GuidanceService)}

    @get("/", operation_id="ListGuidanceLinks", summary="Members a cadre guides")
    async def list_links(
        self, guidance: NamedDependency[GuidanceService], cadre_id: Annotated[UUID, QueryParameter(name="cadreId")]
    ) -> list[GuidanceLinkView]:
        return views(GuidanceLinkView, await guidance.for_cadre(cadre_id))

    @post("/", operation_id="CreateGuidanceLink", summary="A cadre takes on a member to guide")
    async def create(
        self, guidance: NamedDependency[GuidanceService], data: JSONBody[GuidanceLinkCreate]
    ) -> GuidanceLinkView:
        return view(GuidanceLinkView, await guidance.create(data.cadre_id, data.member_id))

    @delete("/{link_id:uuid}", operation_id="RemoveGuidanceLink", summary="End a guidance link")
    async def remove(self, guidance: NamedDependency[GuidanceService], link_id: LinkId) -> None:
        await guidance.remove(link_id)

    @post("/{link_id:uuid}/contacts", operation_id="LogGuidanceContact", summary="Log a contact")
    async def log_contact(
        self, guidance: NamedDependency[GuidanceService], link_id: LinkId, data: JSONBody[ContactCreate]
    ) -> ContactView:
        return view(ContactView, await guidance.log_contact(link_id, data))

    @get("/{link_id:uuid}/contacts", operation_id="ListGuidanceContacts", summary="Contacts logged on a link")
    async def contacts(self, guidance: NamedDependency[GuidanceService], link_id: LinkId) -> list[ContactView]:
        return views(ContactView, await guidance.contacts(link_id))
