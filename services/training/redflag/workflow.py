"""The evaluation's steps and who takes them (TRN-14). A step is allowed from the states ``STEPS`` names, else a
409 naming the state; who may take it is the route's guard (``controllers.py``) and the scope: an evaluation of a
community outside the caller's scope is the district's 404, so a street admin recommends only their street's."""

from __future__ import annotations

from dataclasses import dataclass

from services.training.access import ORGANISERS
from services.training.redflag.models import EvaluationState as S
from shared.auth.principal import Role

STREET = (Role.DISTRICT_ADMIN, Role.STREET_ADMIN)  # the street evaluates (the district may act for it)
DISTRICT = (Role.DISTRICT_ADMIN,)


@dataclass(frozen=True, slots=True)
class Step:
    froms: tuple[S, ...]
    roles: tuple[Role, ...]


STEPS: dict[str, Step] = {
    "self_check": Step((S.SELF_CHECK, S.RETURNED), ORGANISERS),
    "apply": Step((S.SELF_CHECK, S.RETURNED), ORGANISERS),
    "recommend": Step((S.APPLIED,), STREET),
    "return": Step((S.APPLIED,), STREET),
    "accept": Step((S.RECOMMENDED,), DISTRICT),
    "decide": Step((S.ACCEPTED,), DISTRICT),
}


def refusal(action: str, state: str) -> str | None:
    """Why ``action`` cannot be taken in ``state`` (None: it can)."""
    step = STEPS[action]
    if state in step.froms:
        return None
    allowed = " or ".join(s.value for s in step.froms)
    return f"the evaluation is {state}: '{action}' is taken when it is {allowed}"
