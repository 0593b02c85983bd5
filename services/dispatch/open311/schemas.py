"""The district administrator's API for Open311 clients (the GeoReport documents themselves are built in
``services.py`` and ``lookups.py``: the specification fixes their shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

ClientName = Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")]


class ClientCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: ClientName  # the app or portal, as the district knows it
    contact: Annotated[str, msgspec.Meta(max_length=200)] = ""  # who runs it (a name, an e-mail)


class ClientView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    contact: str
    key_prefix: str  # the key's first characters, to tell keys apart; the key itself is never shown again
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ClientIssued(msgspec.Struct, rename="camel", kw_only=True):
    client: ClientView
    api_key: str  # shown once: only its SHA-256 is kept
