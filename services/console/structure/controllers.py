"""The dual network and the tree's reports (``/console/structure``): grid party groups' instructors
(``instructors.py``), posts claimed (``posts.py``), a unit's star level and titles (``honours.py``), Red Flag
coverage against the targets (``coverage.py``), members without organisational life (``inactive.py``), a unit's
elections (``elections.py``) and a village's broadcast groups (``broadcast.py``)."""

from __future__ import annotations

from litestar import Controller

from services.console.structure import broadcast, coverage, elections, honours, inactive, instructors, posts
from services.console.web import NavEntry

CONTROLLERS: list[type[Controller]] = [
    instructors.InstructorsController,
    posts.PostsController,
    honours.HonoursController,
    coverage.CoverageController,
    inactive.InactiveController,
    elections.ElectionsController,
    broadcast.BroadcastController,
]
NAV: list[NavEntry] = [instructors.NAV, posts.NAV, coverage.NAV, inactive.NAV]
