"""Reading who an entry or award is about from the request: a member by training person id, or a unit by the
orgtree id, path and name the caller supplies (training has no unit table; the console picks units from orgtree)."""

from __future__ import annotations

from uuid import UUID

from services.training.people.directory import PersonDirectory
from services.training.people.models import PersonKind
from services.training.ratings.inputs import Subject
from shared.http.problems import FieldErrors


async def subject_of(
    people: PersonDirectory,
    *,
    member: bool,
    person_id: UUID | None,
    unit_id: UUID | None,
    unit_path: str | None,
    unit_name: str | None,
    under: str,
    prefix: str = "",
) -> Subject:
    """The member (``member``) or unit named, lying under ``under``; a 422 naming the field that is wrong. A person
    of another district, or outside the caller's scope, is the district's 404."""
    errors = FieldErrors()
    unit_fields = {"unitId": unit_id, "unitPath": unit_path, "unitName": unit_name}
    if member:
        if person_id is None:
            errors.add(f"{prefix}personId", "required: the member rated or awarded")
        for field, value in unit_fields.items():
            if value is not None:
                errors.add(f"{prefix}{field}", "not for a member: give personId only")
        errors.raise_if_any("the subject is invalid")
        assert person_id is not None
        person = await people.get(person_id)
        if person.kind != PersonKind.MEMBER or person.member_id is None:
            errors.add(f"{prefix}personId", "not a party member: residents are not rated or awarded")
        elif not any(p and p.startswith(under) for p in (person.branch_path, person.grid_path)):
            errors.add(f"{prefix}personId", f"not a member under {under}")
        errors.raise_if_any("the subject is invalid")
        assert person.member_id is not None
        path = next(p for p in (person.branch_path, person.grid_path) if p and p.startswith(under))
        return Subject(person=person, unit_id=None, id=person.member_id, path=path, name=person.name)
    if person_id is not None:
        errors.add(f"{prefix}personId", "not for a unit: give unitId, unitPath and unitName")
    for field, value in unit_fields.items():
        if value is None:
            errors.add(f"{prefix}{field}", "required: the unit rated or awarded")
    if unit_path is not None and not unit_path.startswith(under):
        errors.add(f"{prefix}unitPath", f"not a unit under {under}")
    errors.raise_if_any("the subject is invalid")
    assert unit_id is not None
    assert unit_path is not None
    assert unit_name is not None
    return Subject(person=None, unit_id=unit_id, id=unit_id, path=unit_path, name=unit_name.strip())
