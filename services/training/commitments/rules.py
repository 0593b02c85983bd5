"""Who may see and change a commitment, and the checks its fields get before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from services.training.access import ORGANISERS, READERS
from services.training.commitments.models import Basis, Commitment, HolderKind, State
from services.training.people.models import Person
from shared.auth.principal import Principal, Role
from shared.db.paths import under
from shared.http.problems import FieldErrors, invalid

YEAR = re.compile(r"\d{4}")
YEAR_HELP = "a year, such as 2026 (commitments run for a year)"
BASES = {
    HolderKind.PARTY_GROUP: (Basis.ANNUAL_PLAN,),
    HolderKind.MEMBER: (Basis.POST, Basis.SKILL),
}
PUBLIC = (State.PUBLISHED, State.FULFILLING, State.EVALUATED)


def is_year(text: str) -> bool:
    return YEAR.fullmatch(text) is not None and 2000 <= int(text) <= 2100


def check_period(errors: FieldErrors, text: str) -> None:
    if not is_year(text):
        errors.add("period", YEAR_HELP)


def query_year(text: str | None) -> str | None:
    if text is not None and not is_year(text):
        raise invalid("query.period", YEAR_HELP)
    return text


def check_basis(errors: FieldErrors, holder_kind: str, basis: str) -> None:
    allowed = BASES.get(HolderKind(holder_kind), ()) if holder_kind in set(HolderKind) else tuple(Basis)
    errors.choice("basis", basis, allowed)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller as commitments see them: their scope (staff), and their own person (members)."""

    principal: Principal
    me: Person | None

    @property
    def staff(self) -> bool:
        return self.principal.has_role(*READERS)

    @property
    def organiser(self) -> bool:
        return self.principal.has_role(*ORGANISERS)

    def in_scope(self, path: str | None) -> bool:
        scope = self.principal.scope
        if scope is None or self.principal.has_role(Role.DISTRICT_ADMIN):
            return True
        return path is not None and path.startswith(scope)

    def covers(self, row: Commitment) -> bool:
        """The commitment's holder lies under the caller's scope, in either tree."""
        return self.in_scope(row.holder_path) or (row.branch_path is not None and self.in_scope(row.branch_path))

    def own(self, row: Commitment) -> bool:
        return self.me is not None and row.person_id == self.me.id

    def units(self) -> list[str]:
        """The member's own grid and branch: they read the commitments made public there."""
        if self.me is None:
            return []
        return [path for path in (self.me.grid_path, self.me.branch_path) if path]

    def sees(self, row: Commitment) -> bool:
        if self.own(row) or (self.staff and self.covers(row)):
            return True
        places = (row.holder_path, row.branch_path or "")
        return row.state in PUBLIC and any(place.startswith(path) for path in self.units() for place in places)

    def seen(self) -> ColumnElement[bool]:
        """``sees`` as a condition on the table."""
        conditions: list[ColumnElement[bool]] = []
        if self.me is not None:
            conditions.append(Commitment.person_id == self.me.id)
        if self.staff:
            scope = self.principal.scope
            if scope is None or self.principal.has_role(Role.DISTRICT_ADMIN):
                return true()
            conditions += [under(Commitment.holder_path, scope), under(Commitment.branch_path, scope)]
        public = [
            under(column, path) for path in self.units() for column in (Commitment.holder_path, Commitment.branch_path)
        ]
        if public:
            conditions.append(and_(Commitment.state.in_(list(PUBLIC)), or_(*public)))
        return or_(*conditions) if conditions else false()

    def manages(self, row: Commitment) -> bool:
        """Changes, publishes and records progress: the member on their own, organisers under their scope."""
        return self.own(row) or (self.organiser and self.covers(row))

    def evaluates(self, row: Commitment) -> bool:
        return self.organiser and self.covers(row) and not self.own(row)
