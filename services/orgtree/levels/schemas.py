from __future__ import annotations

from typing import Annotated

import msgspec

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]


class LevelView(msgspec.Struct, rename="camel", kw_only=True):
    code: Code
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    parents: list[Code] = []
    is_grid: bool = False
    is_village: bool = False
    holds_members: bool = False


class LevelSchemaView(msgspec.Struct, rename="camel", kw_only=True):
    tree: str
    levels: list[LevelView]


class LevelSchemaReplace(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A whole new schema, or one of the built-in templates by name (``rural`` or ``urban``)."""

    levels: Annotated[list[LevelView], msgspec.Meta(max_length=60)] | None = None
    template: str | None = None


Range = Annotated[int, msgspec.Meta(ge=0, le=500)]


class SettingsView(msgspec.Struct, rename="camel", kw_only=True):
    dual_network: bool
    household_links_min: int
    household_links_max: int
    guided_members_min: int
    guided_members_max: int
    guidance_contacts_per_month: int
    instructors_from_township: int
    instructors_from_branch: int


class SettingsUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    dual_network: bool | msgspec.UnsetType = msgspec.UNSET
    household_links_min: Range | msgspec.UnsetType = msgspec.UNSET
    household_links_max: Range | msgspec.UnsetType = msgspec.UNSET
    guided_members_min: Range | msgspec.UnsetType = msgspec.UNSET
    guided_members_max: Range | msgspec.UnsetType = msgspec.UNSET
    guidance_contacts_per_month: Annotated[int, msgspec.Meta(ge=0, le=31)] | msgspec.UnsetType = msgspec.UNSET
    instructors_from_township: Annotated[int, msgspec.Meta(ge=0, le=5)] | msgspec.UnsetType = msgspec.UNSET
    instructors_from_branch: Annotated[int, msgspec.Meta(ge=0, le=5)] | msgspec.UnsetType = msgspec.UNSET
