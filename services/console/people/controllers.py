"""党员与住户 (``/console/people``): members (``members.py``), households (``households.py``) and a party unit's
roll as of a date; the unit pages link here with ``?unit=<node id>``."""

from __future__ import annotations

from litestar import Controller

from services.console.i18n import N_
from services.console.people.households import HouseholdsController
from services.console.people.members import MembersController, RollController
from services.console.people.words import KEEPERS
from services.console.web import NavEntry

CONTROLLERS: list[type[Controller]] = [MembersController, HouseholdsController, RollController]
NAV: list[NavEntry] = [
    NavEntry("/console/people/members", N_("Members"), KEEPERS),
    NavEntry("/console/people/households", N_("Households"), KEEPERS),
]
