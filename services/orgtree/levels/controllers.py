from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from services.orgtree.access import DISTRICT_ADMIN, READERS, in_district
from services.orgtree.levels.schemas import LevelSchemaReplace, LevelSchemaView, LevelView, SettingsUpdate, SettingsView
from services.orgtree.levels.services import DistrictSetupService, LevelSchema
from shared.http.di import provide_service
from shared.http.views import view

Tree = Annotated[str, Parameter(pattern="^(administrative|party)$")]


def schema_view(tree: str, schema: LevelSchema) -> LevelSchemaView:
    levels = [view(LevelView, level, parents=level.parent_codes) for level in schema.levels.values()]
    return LevelSchemaView(tree=tree, levels=levels)


class DistrictSetupController(Controller):
    """The district's level schemas and rules (ORG-01, GW-07); read by staff, changed by the district admin."""

    path = "/api/orgtree"
    tags = ["District setup"]
    guards = in_district(*READERS)
    dependencies = {"setup": provide_service(DistrictSetupService)}

    @get("/levels/{tree:str}", operation_id="GetLevelSchema", summary="The levels of one tree")
    async def get_levels(self, setup: NamedDependency[DistrictSetupService], tree: FromPath[Tree]) -> LevelSchemaView:
        return schema_view(tree, await setup.schema(tree))

    @put(
        "/levels/{tree:str}",
        operation_id="ReplaceLevelSchema",
        summary="Replace a tree's level schema",
        guards=DISTRICT_ADMIN,
    )
    async def replace_levels(
        self, setup: NamedDependency[DistrictSetupService], tree: FromPath[Tree], data: JSONBody[LevelSchemaReplace]
    ) -> LevelSchemaView:
        return schema_view(tree, await setup.replace_schema(tree, data))

    @get("/settings", operation_id="GetDistrictSettings", summary="Dual-network fusion and link ranges")
    async def get_settings(self, setup: NamedDependency[DistrictSetupService]) -> SettingsView:
        return view(SettingsView, await setup.settings())

    @patch(
        "/settings", operation_id="UpdateDistrictSettings", summary="Change the district's rules", guards=DISTRICT_ADMIN
    )
    async def update_settings(
        self, setup: NamedDependency[DistrictSetupService], data: JSONBody[SettingsUpdate]
    ) -> SettingsView:
        return view(SettingsView, await setup.update_settings(data))
