"""Link rules: the district's ranges hold, both ends are visible to the caller, each change is an event."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.households.models import Household
from services.orgtree.households.services import HouseholdService
from services.orgtree.levels.services import district_settings
from services.orgtree.links.models import GuidanceContact, GuidanceLink, HouseholdLink
from services.orgtree.links.schemas import ContactCreate
from services.orgtree.members.models import Member
from services.orgtree.members.services import MemberService
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today
from shared.contracts.orgtree import HouseholdLinked, HouseholdUnlinked
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing
from shared.messaging.outbox import publish

CONTACT_CHANNELS = {"visit": "走访", "phone": "电话", "chat": "微信/QQ", "meeting": "会议/活动"}


class HouseholdLinkRepository(Repository[HouseholdLink]):
    model_type = HouseholdLink
    noun = "link between this member and household"


class HouseholdLinkService:
    def __init__(
        self, session: AsyncSession, principal: Principal, members: MemberService, households: HouseholdService
    ) -> None:
        self.session = session
        self.principal = principal
        self.members = members
        self.households = households
        self.repository = HouseholdLinkRepository(session)

    async def served(self, member_id: UUID) -> list[tuple[HouseholdLink, Household]]:
        member = await self.members.get(member_id)
        rows = await self.session.execute(
            select(HouseholdLink, Household)
            .join(Household, Household.id == HouseholdLink.household_id)
            .where(HouseholdLink.member_id == member.id)
            .order_by(Household.grid_path, Household.label)
        )
        return [(link, household) for link, household in rows.all()]

    async def servers(self, household_id: UUID) -> list[Member]:
        household = await self.households.get(household_id)
        rows = await self.session.scalars(
            select(Member)
            .join(HouseholdLink, HouseholdLink.member_id == Member.id)
            .where(HouseholdLink.household_id == household.id)
            .order_by(Member.name)
        )
        return list(rows)

    async def link(self, member_id: UUID, household_id: UUID) -> HouseholdLink:
        member = await self.members.locked(member_id)
        household = await self.households.get(household_id)
        settings = await district_settings(self.session)
        current = await self.repository.count(HouseholdLink.member_id == member.id)
        if await self.repository.exists(
            HouseholdLink.member_id == member.id, HouseholdLink.household_id == household.id
        ):
            raise conflict("the member already serves this household")
        if current + 1 > settings.household_links_max:
            raise invalid(
                "householdId",
                f"the member would serve {current + 1} households; this district allows "
                f"{settings.household_links_min}–{settings.household_links_max} per member",
            )
        return await self._add(member, household.id)

    async def _add(self, member: Member, household_id: UUID) -> HouseholdLink:
        link = await self.repository.add(
            HouseholdLink(member_id=member.id, household_id=household_id, since=china_today())
        )
        await self._announce(member, household_id, linked=True)
        return link

    async def _announce(self, member: Member, household_id: UUID, *, linked: bool) -> None:
        await audit.record(
            self.session,
            "orgtree.household.linked" if linked else "orgtree.household.unlinked",
            subject_type="member",
            subject_id=str(member.id),
            detail={"household_id": str(household_id)},
        )
        event = HouseholdLinked if linked else HouseholdUnlinked
        await publish(self.session, event(tenant_id=member.tenant_id, household_id=household_id, member_id=member.id))

    async def unlink(self, member_id: UUID, household_id: UUID) -> None:
        member = await self.members.locked(member_id)
        if not await self._delete(member, household_id):
            raise missing(self.repository.noun)
        await self._announce(member, household_id, linked=False)

    async def _delete(self, member: Member, household_id: UUID) -> bool:
        result = await self.session.execute(
            delete(HouseholdLink)
            .where(HouseholdLink.member_id == member.id, HouseholdLink.household_id == household_id)
            .returning(HouseholdLink.id)
        )
        return result.first() is not None

    async def replace(self, member_id: UUID, household_ids: list[UUID]) -> list[HouseholdLink]:
        """Set the member's households in one go; only the differences are written and announced."""
        member = await self.members.locked(member_id)
        wanted = list(dict.fromkeys(household_ids))
        settings = await district_settings(self.session)
        if wanted and not settings.household_links_min <= len(wanted) <= settings.household_links_max:
            raise invalid(
                "householdIds",
                f"{len(wanted)} households given; this district allows "
                f"{settings.household_links_min}–{settings.household_links_max} per member (or none)",
            )
        for household_id in wanted:
            await self.households.get(household_id)  # each must exist in the caller's scope
        served = select(HouseholdLink.household_id).where(HouseholdLink.member_id == member.id)
        current = set(await self.session.scalars(served))
        for household_id in current - set(wanted):
            await self._delete(member, household_id)
            await self._announce(member, household_id, linked=False)
        for household_id in wanted:
            if household_id not in current:
                await self._add(member, household_id)
        rows = await self.session.scalars(select(HouseholdLink).where(HouseholdLink.member_id == member.id))
        return list(rows)


class GuidanceLinkRepository(Repository[GuidanceLink]):
    model_type = GuidanceLink
    noun = "guidance link"


class GuidanceService:
    def __init__(self, session: AsyncSession, members: MemberService) -> None:
        self.session = session
        self.members = members
        self.repository = GuidanceLinkRepository(session)

    async def get(self, link_id: UUID) -> GuidanceLink:
        link = await self.repository.get_or_404(link_id)
        await self.members.get(link.cadre_id)  # visible only with the cadre
        return link

    async def for_cadre(self, cadre_id: UUID) -> list[GuidanceLink]:
        cadre = await self.members.get(cadre_id)
        rows = await self.session.scalars(select(GuidanceLink).where(GuidanceLink.cadre_id == cadre.id))
        return list(rows)

    async def create(self, cadre_id: UUID, member_id: UUID) -> GuidanceLink:
        cadre = await self.members.get(cadre_id)
        member = await self.members.get(member_id)
        if cadre.id == member.id:
            raise invalid("memberId", "a cadre does not guide themself")
        await self.members.lock(cadre)
        settings = await district_settings(self.session)
        guided = await self.repository.count(GuidanceLink.cadre_id == cadre.id)
        if guided + 1 > settings.guided_members_max:
            raise invalid(
                "memberId",
                f"the cadre would guide {guided + 1} members; this district allows "
                f"{settings.guided_members_min}–{settings.guided_members_max}",
            )
        if await self.repository.exists(GuidanceLink.cadre_id == cadre.id, GuidanceLink.member_id == member.id):
            raise conflict("the cadre already guides this member")
        link = await self.repository.add(GuidanceLink(cadre_id=cadre.id, member_id=member.id, since=china_today()))
        await self._audit("orgtree.guidance.linked", link)
        return link

    async def _audit(self, action: str, link: GuidanceLink) -> None:
        await audit.record(
            self.session,
            action,
            subject_type="member",
            subject_id=str(link.cadre_id),
            detail={"member_id": str(link.member_id)},
        )

    async def remove(self, link_id: UUID) -> None:
        link = await self.get(link_id)
        await self.session.delete(link)
        await self._audit("orgtree.guidance.unlinked", link)

    async def log_contact(self, link_id: UUID, data: ContactCreate) -> GuidanceContact:
        link = await self.get(link_id)
        if data.channel not in CONTACT_CHANNELS:
            raise invalid("channel", f"one of: {', '.join(CONTACT_CHANNELS)}")
        if data.contacted_on > china_today():
            raise invalid("contactedOn", "is in the future")
        contact = GuidanceContact(link_id=link.id, contacted_on=data.contacted_on, channel=data.channel, note=data.note)
        self.session.add(contact)
        await self.session.flush()
        return contact

    async def contacts(self, link_id: UUID) -> list[GuidanceContact]:
        link = await self.get(link_id)
        rows = await self.session.scalars(
            select(GuidanceContact)
            .where(GuidanceContact.link_id == link.id)
            .order_by(GuidanceContact.contacted_on.desc())
        )
        return list(rows)
