"""What each part of the platform adds to the ``redcell`` command, declared by the part itself.

The gateway and every service publish one ``Component`` under the ``redcell.components`` entry-point
group (``pyproject.toml``); the kernel finds them at run time and names none of them, so "the kernel
imports nothing of ours" holds for string imports too. A new service is one entry point away from
``redcell api|worker|relay|migrate``, the scheduler and ``redcell demo load``. A component without a
database (the console) has no migrations and no outbox relay; one without a worker or schedule has none.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ENTRY_POINT_GROUP = "redcell.components"


@dataclass(frozen=True, slots=True)
class Component:
    """One deployable part: its name, port, and the modules behind each of its roles ("module:attribute")."""

    name: str
    package: str  # the package holding ``migrations/``
    port: int  # the API's default port; components are listed in port order (the gateway first)
    app: str  # factory served by ``redcell api <name>``
    worker: str | None = None  # module declaring the broker and the actors of ``redcell worker <name>``
    schedule: str | None = None  # module whose ``JOBS`` the scheduler runs
    database: bool = True  # its own database: migrations, ``redcell migrate`` and an outbox relay
    # Its districts' rows may sit on any database cell (shared/db/cells.py); False: on ``main`` only, with the
    # platform's own rows (the gateway's registry).
    placed: bool = True
    demo: str | None = None  # async (settings, districts) -> lines printed by ``redcell demo load``
    commands: str | None = None  # (subparsers) -> None: the component's own ``redcell`` subcommands

    @property
    def migrations(self) -> Path:
        module = importlib.import_module(self.package)
        assert module.__file__ is not None
        return Path(module.__file__).parent / "migrations"

    def demo_loader(self) -> Callable[..., Any] | None:
        return resolve(self.demo) if self.demo else None

    def add_commands(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        if self.commands:
            resolve(self.commands)(subparsers)


def resolve(target: str) -> Any:
    """``"package.module:attribute"`` -> the attribute."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


@cache
def components() -> dict[str, Component]:
    """Every installed component by name, the gateway first (it creates the districts the others fill)."""
    found = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    for item in found:
        if not isinstance(item, Component):
            raise TypeError(f"entry point in {ENTRY_POINT_GROUP} is not a Component: {item!r}")
    return {c.name: c for c in sorted(found, key=lambda c: c.port)}


def with_database() -> list[str]:
    """Components that own a database (migrated, relayed), the gateway first."""
    return [name for name, c in components().items() if c.database]


def with_worker() -> list[str]:
    return [name for name, c in components().items() if c.worker]


def placed() -> list[str]:
    """Components with a database whose districts' rows are placed in cells."""
    return [name for name, c in components().items() if c.database and c.placed]
