"""Templates as the API shows and takes them (camelCase; unknown fields refused; strict decoding)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.documents.generated.layout import Layout


class TemplateView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    title_pattern: str
    layout: Layout
    placeholders: list[str]  # what {placeholders} this template may use
    updated_by: UUID | None
    updated_by_name: str | None
    updated_at: datetime


class TemplateList(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[TemplateView]


class TemplateUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """The whole template, as the district wants its documents to read from now on (rendered ones stay)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
    title_pattern: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    layout: Layout
