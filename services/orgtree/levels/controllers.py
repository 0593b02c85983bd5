from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import READERS
from services.orgtree.levels.schemas import LevelSchemaReplace, LevelSchemaView, LevelView, SettingsUpdate, SettingsView
from services.orgtree.levels.services import LevelSchema, district_settings, load_schema, replace_schema
from services.orgtree.levels.templates import ADMINISTRATIVE_TEMPLATES, PARTY, LevelSpec
from services.orgtree.models import DistrictSettings, TreeKind
from shared import audit
from shared.auth.principal import Role
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import invalid

API_NAMES = {f.name: f.encode_name for f in msgspec.structs.fields(SettingsUpdate)}
Tree = Annotated[str, Parameter(pattern="^(administrative|party)$")]


def schema_view(tree: str, schema: LevelSchema) -> LevelSchemaView:
    return LevelSchemaView(tree=tree, levels=[
        LevelView(code=level.code, label=level.label, parents=list(level.parent_codes), is_grid=level.is_grid,
                  is_village=level.is_village, holds_members=level.holds_members)
        for level in schema.levels.values()
    ])  # fmt: skip


def settings_view(row: DistrictSettings) -> SettingsView:
    return SettingsView(
        dual_network=row.dual_network, household_links_min=row.household_links_min,
        household_links_max=row.household_links_max, guided_members_min=row.guided_members_min,
        guided_members_max=row.guided_members_max, guidance_contacts_per_month=row.guidance_contacts_per_month,
    )  # fmt: skip


def specs_of(tree: str, data: LevelSchemaReplace) -> tuple[LevelSpec, ...]:
    if (data.levels is None) == (data.template is None):
        raise invalid("template", "give either levels or a template name")
    if data.template is not None:
        templates = ADMINISTRATIVE_TEMPLATES if tree == TreeKind.ADMINISTRATIVE else {"party": PARTY}
        if data.template not in templates:
            raise invalid("template", f"one of: {', '.join(templates)}")
        return templates[data.template]
    levels = data.levels or []
    if len({level.code for level in levels}) != len(levels):
        raise invalid("levels", "level codes must be unique")
    return tuple(
        LevelSpec(code=v.code, label=v.label, parents=tuple(v.parents), is_grid=v.is_grid, is_village=v.is_village,
                  holds_members=v.holds_members)
        for v in levels
    )  # fmt: skip


class DistrictSetupController(Controller):
    """The district's level schemas and rules (ORG-01, GW-07); read by staff, changed by the district admin."""

    path = "/api/orgtree"
    tags = ["District setup"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/levels/{tree:str}", operation_id="GetLevelSchema", summary="The levels of one tree")
    async def get_levels(self, db_session: NamedDependency[AsyncSession], tree: FromPath[Tree]) -> LevelSchemaView:
        return schema_view(tree, await load_schema(db_session, tree))

    @put("/levels/{tree:str}", operation_id="ReplaceLevelSchema", summary="Replace a tree's level schema",
         guards=[requires_role(Role.DISTRICT_ADMIN)])  # fmt: skip
    async def replace_levels(
        self, db_session: NamedDependency[AsyncSession], tree: FromPath[Tree], data: JSONBody[LevelSchemaReplace]
    ) -> LevelSchemaView:
        schema = await replace_schema(db_session, tree, specs_of(tree, data))
        await audit.record(db_session, "orgtree.levels.replaced", subject_type="level_schema", subject_id=tree)
        return schema_view(tree, schema)

    @get("/settings", operation_id="GetDistrictSettings", summary="Dual-network fusion and link ranges")
    async def get_settings(self, db_session: NamedDependency[AsyncSession]) -> SettingsView:
        return settings_view(await district_settings(db_session))

    @patch("/settings", operation_id="UpdateDistrictSettings", summary="Change the district's rules",
           guards=[requires_role(Role.DISTRICT_ADMIN)])  # fmt: skip
    async def update_settings(
        self, db_session: NamedDependency[AsyncSession], data: JSONBody[SettingsUpdate]
    ) -> SettingsView:
        row = await district_settings(db_session)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        for name, value in changes.items():
            setattr(row, name, value)
        for prefix in ("household_links", "guided_members"):
            if getattr(row, f"{prefix}_min") > getattr(row, f"{prefix}_max"):
                raise invalid(API_NAMES[f"{prefix}_min"], "is above the maximum")
        await db_session.flush()
        await audit.record(db_session, "orgtree.settings.updated", subject_type="district_settings",
                           subject_id=str(row.id), detail={"fields": sorted(changes)})  # fmt: skip
        return settings_view(row)
