"""Link rules: the district's ranges hold, both ends are visible to the caller, each change is an event."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.households.services import HouseholdService
from services.orgtree.levels.services import district_settings
from services.orgtree.links.schemas import ContactCreate
from services.orgtree.members.services import MemberService
from services.orgtree.models import GuidanceContact, GuidanceLink, Household, HouseholdLink, Member
from shared import audit
from shared.auth.principal import Principal
from shared.contracts.orgtree import HouseholdLinked, HouseholdUnlinked
from shared.http.problems import conflict, invalid, missing
from shared.messaging.outbox import publish

CONTACT_CHANNELS = {"visit": "走访", "phone": "电话", "chat": "微信/QQ", "meeting": "会议/活动"}


class HouseholdLinkService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.households = HouseholdService(session, principal)
        self.members = self.households.members

    async def _locked_member(self, member_id: UUID) -> Member:
        """The member, row-locked: concurrent claims by one member are counted one after the other."""
        member = await self.members.get(member_id)
        await self.session.execute(select(Member.id).where(Member.id == member.id).with_for_update())
        return member

    async def served(self, member_id: UUID) -> list[tuple[HouseholdLink, Household]]:
        member = await self.members.get(member_id)
        rows = await self.session.execute(
            select(HouseholdLink, Household).join(Household, Household.id == HouseholdLink.household_id)
            .where(HouseholdLink.member_id == member.id).order_by(Household.grid_path, Household.label)
        )  # fmt: skip
        return [(link, household) for link, household in rows.all()]

    async def servers(self, household_id: UUID) -> list[Member]:
        household = await self.households.get(household_id)
        rows = await self.session.scalars(
            select(Member).join(HouseholdLink, HouseholdLink.member_id == Member.id)
            .where(HouseholdLink.household_id == household.id).order_by(Member.name)
        )  # fmt: skip
        return list(rows)

    async def link(self, member_id: UUID, household_id: UUID) -> HouseholdLink:
        member = await self._locked_member(member_id)
        household = await self.households.get(household_id)
        settings = await district_settings(self.session)
        current = await self._count(member.id)
        if await self.session.scalar(select(HouseholdLink.id).where(
            HouseholdLink.member_id == member.id, HouseholdLink.household_id == household.id,
        )):  # fmt: skip
            raise conflict("the member already serves this household")
        if current + 1 > settings.household_links_max:
            raise invalid(
                "householdId",
                f"the member would serve {current + 1} households; this district allows "
                f"{settings.household_links_min}–{settings.household_links_max} per member",
            )
        return await self._add(member, household.id)

    async def _count(self, member_id: UUID) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(HouseholdLink).where(HouseholdLink.member_id == member_id)
        ) or 0)  # fmt: skip

    async def _add(self, member: Member, household_id: UUID) -> HouseholdLink:
        link = HouseholdLink(member_id=member.id, household_id=household_id, since=date.today())
        self.session.add(link)
        await self.session.flush()
        await audit.record(self.session, "orgtree.household.linked", subject_type="member", subject_id=str(member.id),
                           detail={"household_id": str(household_id)})  # fmt: skip
        await publish(self.session, HouseholdLinked(tenant_id=member.tenant_id, household_id=household_id,
                                                    member_id=member.id))  # fmt: skip
        return link

    async def unlink(self, member_id: UUID, household_id: UUID) -> None:
        member = await self._locked_member(member_id)
        result = await self.session.execute(
            delete(HouseholdLink)
            .where(HouseholdLink.member_id == member.id, HouseholdLink.household_id == household_id)
            .returning(HouseholdLink.id)
        )
        if result.first() is None:
            raise missing("link between this member and household")
        await self._removed(member, household_id)

    async def _removed(self, member: Member, household_id: UUID) -> None:
        await audit.record(self.session, "orgtree.household.unlinked", subject_type="member",
                           subject_id=str(member.id), detail={"household_id": str(household_id)})  # fmt: skip
        await publish(self.session, HouseholdUnlinked(tenant_id=member.tenant_id, household_id=household_id,
                                                      member_id=member.id))  # fmt: skip

    async def replace(self, member_id: UUID, household_ids: list[UUID]) -> list[HouseholdLink]:
        """Set the member's households in one go; only the differences are written and announced."""
        member = await self._locked_member(member_id)
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
        current = set(await self.session.scalars(
            select(HouseholdLink.household_id).where(HouseholdLink.member_id == member.id)
        ))  # fmt: skip
        for household_id in current - set(wanted):
            await self.session.execute(delete(HouseholdLink).where(
                HouseholdLink.member_id == member.id, HouseholdLink.household_id == household_id,
            ))  # fmt: skip
            await self._removed(member, household_id)
        for household_id in wanted:
            if household_id not in current:
                await self._add(member, household_id)
        rows = await self.session.scalars(select(HouseholdLink).where(HouseholdLink.member_id == member.id))
        return list(rows)


class GuidanceService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.members = MemberService(session, principal)

    async def get(self, link_id: UUID) -> GuidanceLink:
        link = await self.session.get(GuidanceLink, link_id)
        if link is None:
            raise missing("guidance link")
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
        await self.session.execute(select(Member.id).where(Member.id == cadre.id).with_for_update())
        settings = await district_settings(self.session)
        guided = int(await self.session.scalar(
            select(func.count()).select_from(GuidanceLink).where(GuidanceLink.cadre_id == cadre.id)
        ) or 0)  # fmt: skip
        if guided + 1 > settings.guided_members_max:
            raise invalid("memberId", f"the cadre would guide {guided + 1} members; this district allows "
                                      f"{settings.guided_members_min}–{settings.guided_members_max}")  # fmt: skip
        if await self.session.scalar(select(GuidanceLink.id).where(
            GuidanceLink.cadre_id == cadre.id, GuidanceLink.member_id == member.id,
        )):  # fmt: skip
            raise conflict("the cadre already guides this member")
        link = GuidanceLink(cadre_id=cadre.id, member_id=member.id, since=date.today())
        self.session.add(link)
        await self.session.flush()
        await audit.record(self.session, "orgtree.guidance.linked", subject_type="member", subject_id=str(cadre.id),
                           detail={"member_id": str(member.id)})  # fmt: skip
        return link

    async def remove(self, link_id: UUID) -> None:
        link = await self.get(link_id)
        await self.session.delete(link)
        await audit.record(self.session, "orgtree.guidance.unlinked", subject_type="member",
                           subject_id=str(link.cadre_id), detail={"member_id": str(link.member_id)})  # fmt: skip

    async def log_contact(self, link_id: UUID, data: ContactCreate) -> GuidanceContact:
        link = await self.get(link_id)
        if data.channel not in CONTACT_CHANNELS:
            raise invalid("channel", f"one of: {', '.join(CONTACT_CHANNELS)}")
        if data.contacted_on > date.today():
            raise invalid("contactedOn", "is in the future")
        contact = GuidanceContact(link_id=link.id, contacted_on=data.contacted_on, channel=data.channel,
                                  note=data.note)  # fmt: skip
        self.session.add(contact)
        await self.session.flush()
        return contact

    async def contacts(self, link_id: UUID) -> list[GuidanceContact]:
        link = await self.get(link_id)
        rows = await self.session.scalars(
            select(GuidanceContact).where(GuidanceContact.link_id == link.id)
            .order_by(GuidanceContact.contacted_on.desc())
        )  # fmt: skip
        return list(rows)
