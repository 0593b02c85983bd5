"""The registry as the API shows and takes it (camelCase; unknown fields refused; strict decoding)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
Description = Annotated[str, msgspec.Meta(max_length=400)]
FieldName = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-zA-Z][a-zA-Z0-9]*$")]
ContentType = Annotated[str, msgspec.Meta(min_length=3, max_length=100, pattern=r"^[a-z]+/[a-z0-9.+-]+$")]


class RetentionClassView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    years: int | None
    immutable: bool


class RetentionClassList(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[RetentionClassView]


class DocumentTypeView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    description: str | None
    owner: str
    origin: str
    template: str | None
    retention_class: str
    visibility: str
    public_fields: list[str]
    content_types: list[str]
    max_bytes: int
    refresh_months: int | None
    active: bool


class DocumentTypeList(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[DocumentTypeView]


class DocumentTypeUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """What a district changes of a type; its code, owner and origin stay."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET
    retention_class: str | msgspec.UnsetType = msgspec.UNSET
    visibility: str | msgspec.UnsetType = msgspec.UNSET  # internal | subject | public
    public_fields: list[FieldName] | msgspec.UnsetType = msgspec.UNSET
    content_types: list[ContentType] | msgspec.UnsetType = msgspec.UNSET
    max_bytes: Annotated[int, msgspec.Meta(ge=1, le=2 * 1024**3)] | msgspec.UnsetType = msgspec.UNSET
    refresh_months: Annotated[int, msgspec.Meta(ge=1, le=120)] | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
