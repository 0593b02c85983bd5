"""The district's members as training needs them, kept in step with orgtree's events (EVT-10).

One function per event. Every write is an upsert that only touches a row when a value differs, so an event
replayed under a new envelope id (the inbox drops the same id) changes nothing, and a creation that arrives
after an update does not roll the update back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.people.models import Duty, Person, PersonKind
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.orgtree import (
    CadrePostingChanged,
    CadreRole,
    MemberCreated,
    MemberRemoved,
    MemberTransferred,
    MemberUpdated,
)

UNNAMED = "（未具名党员）"  # events from before orgtree sent names; the next update fills it


async def _upsert(session: AsyncSession, values: dict[str, Any], follow: tuple[str, ...]) -> None:
    insert = pg_insert(Person).values(tenant_id=require_tenant(), kind=PersonKind.MEMBER, **values)
    set_: dict[str, Any] = {name: insert.excluded[name] for name in follow}
    where = or_(*(getattr(Person, name).is_distinct_from(value) for name, value in set_.items()))
    statement = insert.on_conflict_do_update(
        index_elements=[Person.tenant_id, Person.member_id], set_={**set_, "updated_at": now()}, where=where
    )
    await session.execute(statement)


async def member_created(session: AsyncSession, event: MemberCreated) -> None:
    values = {
        "member_id": event.member_id,
        "user_id": event.user_id,
        "name": event.name or UNNAMED,
        "branch_id": event.branch_id,
        "branch_path": event.branch_path or None,
        "grid_id": event.grid_id,
        "grid_path": event.grid_path,
        "classification": event.classification,
        "flags": list(event.flags),
    }
    insert = pg_insert(Person).values(tenant_id=require_tenant(), kind=PersonKind.MEMBER, **values)
    # A row made first by a later event (an update, a transfer, a posting) keeps what those set; the creation
    # fills in only what they do not carry: the party unit, the classification, a name still missing.
    fill = {name: func.coalesce(getattr(Person, name), insert.excluded[name]) for name in _ONLY_CREATION_CARRIES}
    name = case((Person.name == UNNAMED, insert.excluded.name), else_=Person.name)
    missing = or_(*(getattr(Person, field).is_(None) for field in _ONLY_CREATION_CARRIES), Person.name == UNNAMED)
    statement = insert.on_conflict_do_update(
        index_elements=[Person.tenant_id, Person.member_id],
        set_={**fill, "name": name, "updated_at": now()},
        where=missing,
    )
    await session.execute(statement)


_ONLY_CREATION_CARRIES = ("branch_id", "branch_path", "classification")


async def member_updated(session: AsyncSession, event: MemberUpdated) -> None:
    """The member's account, grid and flags follow the event; the name too when the event carries one."""
    values: dict[str, Any] = {
        "member_id": event.member_id,
        "user_id": event.user_id,
        "name": event.name or UNNAMED,
        "grid_id": event.grid_id,
        "grid_path": event.grid_path,
        "flags": list(event.flags),
    }
    follow = ("user_id", "grid_id", "grid_path", "flags", *(("name",) if event.name else ()))
    await _upsert(session, values, follow)


async def member_transferred(session: AsyncSession, event: MemberTransferred) -> None:
    """EVT-10: the record moves with the member: the same person, now counted under the new branch."""
    values = {
        "member_id": event.member_id,
        "name": UNNAMED,
        "branch_id": event.to_branch_id,
        "branch_path": event.to_branch_path or None,
    }
    await _upsert(session, values, ("branch_id", "branch_path"))


async def member_removed(session: AsyncSession, event: MemberRemoved) -> None:
    """Off the district's rolls: the record stays (past rolls list it) but no longer counts as below target."""
    await session.execute(
        update(Person).where(Person.member_id == event.member_id, Person.active.is_(True)).values(active=False)
    )


# Duties that follow orgtree's cadre postings (TRN-03); others (a volunteer's) are kept as they are.
POSTING_DUTIES = frozenset({Duty.SECRETARY, Duty.COMMITTEE_MEMBER, Duty.VILLAGE_SECRETARY, Duty.RURAL_CADRE})
COMMITTEE_ROLES = frozenset({"deputy_secretary", "committee_member", "member"})


def posting_duties(postings: list[CadreRole]) -> set[str]:
    """A two-committee cadre of a village is a rural cadre, its secretary the village secretary; a secretary or
    committee member of a village or community is held to the secretaries' and committee members' hours."""
    duties: set[str] = set()
    for posting in postings:
        rural = posting.kind == "village" and posting.unit_level == "village"
        if rural:
            duties.add(Duty.RURAL_CADRE)
        if posting.role == "secretary":
            duties |= {Duty.SECRETARY, *((Duty.VILLAGE_SECRETARY,) if rural else ())}
        elif posting.role in COMMITTEE_ROLES:
            duties.add(Duty.COMMITTEE_MEMBER)
    return duties


async def cadre_posting_changed(session: AsyncSession, event: CadrePostingChanged) -> None:
    """The member's duties become what their postings after the change imply; the same event again changes
    nothing. A posting of a member not known yet makes an unnamed row that the member's events fill in."""
    derived = {str(duty) for duty in posting_duties(event.postings)}
    locked = select(Person).where(Person.member_id == event.member_id).with_for_update()
    person = await session.scalar(locked)
    if person is None:
        values = {"member_id": event.member_id, "name": UNNAMED, "duties": sorted(derived)}
        insert = pg_insert(Person).values(tenant_id=require_tenant(), kind=PersonKind.MEMBER, **values)
        await session.execute(insert.on_conflict_do_nothing(index_elements=[Person.tenant_id, Person.member_id]))
        person = await session.scalar(locked)
    if person is not None:
        duties = sorted((set(person.duties) - POSTING_DUTIES) | derived)
        if duties != person.duties:
            person.duties = duties
            await session.flush()
