"""Reading the people training keeps records for, and entering residents who attend without being members.

A reader with a scope (a street admin's street, a cadre's community, a grid leader's grid) sees the people whose
party unit (``branch_path``) or administrative unit (``grid_path``) lies under it; district admins see everyone.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.models import Person, PersonKind
from services.training.people.schemas import ResidentCreate
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, ProblemError
from shared.privacy import blind_index, data_key, encrypt, mask_phone, normalize_phone, validate_mobile

PHONE_FIELD = "person.phone"
BY_NAME = Keyset(Person.name, Person.id)
NOT_LINKED = (
    "this account is not linked to a member of this district: a district administrator links it to the member "
    "in the organisation tree (the member's userId), and the link reaches training records within a minute"
)


def in_either_tree(path: str) -> ColumnElement[bool]:
    return or_(under(Person.branch_path, path), under(Person.grid_path, path))


class PersonRepository(Repository[Person]):
    model_type = Person
    noun = "person"


class PersonDirectory:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = PersonRepository(session)

    def visible(self, person: Person) -> bool:
        scope = self.principal.scope
        if scope is None or person.user_id == self.principal.user_id:
            return True
        return any(path is not None and path.startswith(scope) for path in (person.branch_path, person.grid_path))

    async def get(self, person_id: UUID) -> Person:
        """The person, if in this district and under the caller's scope; else the district's 404."""
        return await self.repository.get_or_404(person_id, visible=self.visible)

    async def me(self) -> Person:
        person: Person | None = await self.session.scalar(
            select(Person).where(Person.user_id == self.principal.user_id)
        )
        if person is None:
            raise ProblemError(404, NOT_LINKED, title="Not Found")
        return person

    async def page(
        self,
        *,
        unit_path: str | None,
        name_prefix: str | None,
        kind: str | None,
        active: bool | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Person], str | None]:
        """People by name; ``unit_path`` keeps those under that unit, in either tree."""
        query = select(Person)
        if self.principal.scope is not None:
            query = query.where(in_either_tree(self.principal.scope))
        if unit_path is not None:
            query = query.where(in_either_tree(unit_path))
        if name_prefix is not None:
            query = query.where(Person.name.startswith(name_prefix.strip(), autoescape=True))
        if kind is not None:
            query = query.where(Person.kind == kind)
        if active is not None:
            query = query.where(Person.active.is_(active))
        return await page(self.repository, query, BY_NAME, cursor=cursor, limit=limit)

    async def add_resident(self, data: ResidentCreate) -> Person:
        """One resident per phone number in the district: a second is a 409 naming the first."""
        errors = FieldErrors()
        if not validate_mobile(data.phone):
            errors.add("phone", "not a mainland mobile number (11 digits starting 13-19)")
        scope = self.principal.scope
        grid_path = data.grid_path if data.grid_path is not None else scope
        if scope is not None and not (grid_path or "").startswith(scope):
            errors.add("gridPath", f"residents you enter live in a unit under {scope}")
        errors.raise_if_any("the resident has invalid fields")
        phone = normalize_phone(data.phone)
        keys = await data_key(self.session, require_tenant())
        index = blind_index(keys, PHONE_FIELD, phone, normalize_phone)
        # two organisers entering the same resident at once: the second waits here and then finds the first
        lock = int.from_bytes(hashlib.sha256(b"training.person.phone" + index).digest()[:8], "big", signed=True)
        await self.session.execute(select(func.pg_advisory_xact_lock(lock)))
        existing = await self.session.scalar(
            select(Person).where(Person.phone_index == index, Person.kind == PersonKind.RESIDENT).limit(1)
        )
        if existing is not None:
            raise ProblemError(
                409,
                f"a resident with this phone is already on record: {existing.name} ({existing.id})",
                errors=[{"field": "body.phone", "message": "already on record", "personId": str(existing.id)}],
                title="Conflict",
            )
        person = Person(
            kind=PersonKind.RESIDENT,
            name=data.name.strip(),
            phone_cipher=encrypt(keys, PHONE_FIELD, phone),
            phone_index=index,
            phone_masked=mask_phone(phone),
            grid_id=data.grid_id,
            grid_path=grid_path,
            flags=[],
            duties=[],
            active=True,
        )
        self.session.add(person)
        await self.session.flush()
        await audit.record(self.session, "training.resident.added", subject_type="person", subject_id=str(person.id))
        return person
