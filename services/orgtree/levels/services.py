"""The district's level schema and settings: what may hang under what, and the per-district ranges."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.levels.models import DistrictSettings, OrgLevel
from services.orgtree.levels.schemas import LevelSchemaReplace, SettingsUpdate
from services.orgtree.levels.templates import ADMINISTRATIVE_TEMPLATES, EIGHT_POSTS, PARTY, LevelSpec
from services.orgtree.members.models import Post
from services.orgtree.nodes.models import OrgNode, TreeKind
from shared import audit
from shared.http.problems import ProblemError, field_name, invalid

API_NAMES = {f.name: f.encode_name for f in msgspec.structs.fields(SettingsUpdate)}


@dataclass(frozen=True)
class LevelSchema:
    """One tree's levels by code."""

    levels: dict[str, OrgLevel]

    def require(self, code: str, field: str = "level") -> OrgLevel:
        level = self.levels.get(code)
        if level is None:
            known = ", ".join(sorted(self.levels))
            raise ProblemError(
                422,
                f"unknown level '{code}'; this district's levels are: {known}",
                errors=[{"field": field_name(field), "message": f"not one of: {known}"}],
            )
        return level

    def check_child(self, parent_level: str, child_level: str) -> OrgLevel:
        level = self.require(child_level)
        if parent_level not in level.parent_codes:
            allowed = ", ".join(level.parent_codes) or "nothing (it is a root level)"
            raise ProblemError(
                422,
                f"a '{child_level}' cannot hang under a '{parent_level}'",
                errors=[{"field": "body.level", "message": f"'{child_level}' hangs under: {allowed}"}],
            )
        return level


async def load_schema(session: AsyncSession, tree: str) -> LevelSchema:
    rows = await session.scalars(select(OrgLevel).where(OrgLevel.tree == tree).order_by(OrgLevel.rank))
    return LevelSchema({row.code: row for row in rows})


def _level_rows(tree: str, specs: tuple[LevelSpec, ...]) -> list[OrgLevel]:
    return [
        OrgLevel(
            tree=tree,
            code=s.code,
            label=s.label,
            parent_codes=list(s.parents),
            is_grid=s.is_grid,
            is_village=s.is_village,
            holds_members=s.holds_members,
            rank=rank,
        )
        for rank, s in enumerate(specs)
    ]


async def replace_schema(session: AsyncSession, tree: str, specs: tuple[LevelSpec, ...]) -> LevelSchema:
    """Swap a tree's levels; refused while any unit uses a level the new schema drops."""
    codes = {s.code for s in specs}
    unknown_parents = sorted({p for s in specs for p in s.parents} - codes)
    if unknown_parents:
        message = f"unknown parents: {', '.join(unknown_parents)}"
        raise ProblemError(
            422,
            "a level names a parent level that is not in the schema",
            errors=[{"field": "body.levels", "message": message}],
        )
    if not any(not s.parents for s in specs):
        raise ProblemError(
            422,
            "the schema needs a root level (one without parents)",
            errors=[{"field": "body.levels", "message": "no level without parents"}],
        )
    in_use = set(await session.scalars(select(OrgNode.level).where(OrgNode.tree == tree).distinct()))
    dropped = sorted(in_use - codes)
    if dropped:
        raise ProblemError(
            409, f"units still use the levels {', '.join(dropped)}; move or remove them first", title="Conflict"
        )
    await session.execute(delete(OrgLevel).where(OrgLevel.tree == tree))
    session.add_all(_level_rows(tree, specs))
    await session.flush()
    return await load_schema(session, tree)


async def district_settings(session: AsyncSession) -> DistrictSettings:
    settings: DistrictSettings | None = await session.scalar(select(DistrictSettings))
    if settings is None:
        raise ProblemError(404, "this district has not been provisioned in the org tree", title="Not Found")
    return settings


async def seed_district(session: AsyncSession, template: str = "rural") -> None:
    """Levels, settings and the post catalogue a new district starts with; does nothing the second time."""
    if await session.scalar(select(func.count()).select_from(DistrictSettings)):
        return
    session.add(DistrictSettings())
    session.add_all(_level_rows(TreeKind.ADMINISTRATIVE, ADMINISTRATIVE_TEMPLATES[template]))
    session.add_all(_level_rows(TreeKind.PARTY, PARTY))
    session.add_all(Post(code=code, label=label) for code, label in EIGHT_POSTS)
    await session.flush()


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
    return tuple(LevelSpec(**{**msgspec.structs.asdict(v), "parents": tuple(v.parents)}) for v in levels)


class DistrictSetupService:
    """The district's level schemas and rules (ORG-01, GW-07), as the district admin changes them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schema(self, tree: str) -> LevelSchema:
        return await load_schema(self.session, tree)

    async def replace_schema(self, tree: str, data: LevelSchemaReplace) -> LevelSchema:
        schema = await replace_schema(self.session, tree, specs_of(tree, data))
        await audit.record(self.session, "orgtree.levels.replaced", subject_type="level_schema", subject_id=tree)
        return schema

    async def settings(self) -> DistrictSettings:
        return await district_settings(self.session)

    async def update_settings(self, data: SettingsUpdate) -> DistrictSettings:
        row = await district_settings(self.session)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        for name, value in changes.items():
            setattr(row, name, value)
        for prefix in ("household_links", "guided_members"):
            if getattr(row, f"{prefix}_min") > getattr(row, f"{prefix}_max"):
                raise invalid(API_NAMES[f"{prefix}_min"], "is above the maximum")
        await self.session.flush()
        await audit.record(
            self.session,
            "orgtree.settings.updated",
            subject_type="district_settings",
            subject_id=str(row.id),
            detail={"fields": sorted(changes)},
        )
        return row
