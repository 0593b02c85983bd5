"""Who answers the demo's offers: the seeded teams get the gateway's demo logins (``teams``, matched by name), and
the member volunteers orgtree's loader linked (``volunteers``) get their provider rows now, with name, login and
phone for the offer SMS, and their pre-service training on record (the demo districts require it), so a call
for one of their households is offered to someone who can sign in and answer.

Orgtree's events carry no names or phones (its member events reach this directory later and keep these rows:
``MemberCreated`` inserts only, ``MemberUpdated`` sets the same grid and login). Rerunning changes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory.services import UNIQUE_MEMBER
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.providers.services import PHONE_FIELD
from shared.clock import now
from shared.privacy import TenantKeys, decrypt, encrypt, mask_phone


async def link_teams(session: AsyncSession, teams: list[dict[str, Any]]) -> int:
    """Each seeded provider named like a team login answers with that login; how many have a login."""
    for team in teams:
        await session.execute(
            update(Provider)
            .where(Provider.name == team["name"], Provider.member_id.is_(None))
            .where(Provider.user_id.is_distinct_from(UUID(team["userId"])))
            .values(user_id=UUID(team["userId"]))
        )
    names = [team["name"] for team in teams]
    linked = await session.scalars(select(Provider.id).where(Provider.name.in_(names), Provider.user_id.is_not(None)))
    return len(linked.all())


async def add_member_volunteers(session: AsyncSession, keys: TenantKeys, volunteers: list[dict[str, Any]]) -> int:
    """The member volunteers as providers with their login, name and (encrypted) phone; how many there are."""
    added, trained = 0, now()
    for volunteer in volunteers:
        if "memberId" not in volunteer:  # orgtree found no member for this login
            continue
        member_id, phone = UUID(volunteer["memberId"]), volunteer["phone"]
        stored = await session.scalar(select(Provider.phone_cipher).where(Provider.member_id == member_id))
        values = {
            "kind": ProviderKind.MEMBER_VOLUNTEER,
            "name": volunteer["name"],
            "member_id": member_id,
            "user_id": UUID(volunteer["userId"]),
            "grid_id": UUID(volunteer["gridId"]),
            "skills": [],
            "on_duty": True,
            "active": True,
            "insured": False,
            "pre_service_completed_at": trained,  # the demo's volunteers have had their pre-service training
        }
        if stored is None or decrypt(keys, PHONE_FIELD, stored) != phone:  # a new ciphertext only for a new number
            values |= {"phone_cipher": encrypt(keys, PHONE_FIELD, phone), "phone_masked": mask_phone(phone)}
        insert = pg_insert(Provider).values(tenant_id=keys.tenant_id, **values)
        follow = [name for name in ("name", "user_id", "grid_id", "phone_cipher", "phone_masked") if name in values]
        changed = [getattr(Provider, name).is_distinct_from(insert.excluded[name]) for name in follow]
        set_: dict[str, Any] = {name: insert.excluded[name] for name in follow}
        set_["pre_service_completed_at"] = func.coalesce(Provider.pre_service_completed_at, trained)
        changed.append(Provider.pre_service_completed_at.is_(None))
        await session.execute(insert.on_conflict_do_update(constraint=UNIQUE_MEMBER, set_=set_, where=or_(*changed)))
        added += 1
    return added
