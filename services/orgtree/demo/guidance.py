"""Cadre → member guidance in the demo (ORG-09): links with this month's contacts, so the guidance report has rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.links.models import GuidanceContact, GuidanceLink
from services.orgtree.models import Member
from shared.clock import china_today
from shared.db.base import uuid7


async def guide(session: AsyncSession, streets: list[tuple[Member, list[Member]]]) -> None:
    """Each guided member contacted twice this month, the seed's minimum, but the last street's last member once
    (the guidance report has its row)."""
    first_of_month = china_today().replace(day=1)
    links: list[GuidanceLink] = []
    contacts: list[GuidanceContact] = []
    for n, (cadre, members) in enumerate(streets):
        for k, member in enumerate(members):
            link = GuidanceLink(id=uuid7(), cadre_id=cadre.id, member_id=member.id, since=date(2020, 10, 1))
            links.append(link)
            short = n == len(streets) - 1 and k == len(members) - 1
            contacts += [
                GuidanceContact(link_id=link.id, contacted_on=first_of_month, channel=channel)
                for channel in (("visit",) if short else ("visit", "phone"))
            ]
    session.add_all(links)
    await session.flush()
    session.add_all(contacts)
    await session.flush()
