"""Every component database enforces tenancy itself: forced RLS with USING and WITH CHECK on each tenant
table, and an application role that can neither bypass RLS nor owns a table."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from shared.components import components
from shared.settings import Settings
from tests.platform.catalogue import rls_violations
from tests.platform.plugin import prepare_database

COMPONENTS = {name: component.package for name, component in components().items() if component.database}


@pytest.mark.parametrize("component", sorted(COMPONENTS))
async def test_component_database_complies(settings: Settings, component: str) -> None:
    package = importlib.import_module(COMPONENTS[component])
    await prepare_database(settings, component, Path(package.__file__ or "").parent / "migrations")
    assert await rls_violations(settings, component) == []
