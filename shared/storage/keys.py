"""Object keys built from validated parts, errors, and what a stored object is.

``tenants/<tenant-id>/<kind>/<document-id>/<version>``: never taken from clients, and an operation refuses a
key of another tenant than the one bound to the unit of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.context import current_tenant

_KIND = re.compile(r"[a-z][a-z0-9-]{0,39}")
_KEY = re.compile(
    r"tenants/(?P<tenant>[0-9a-f-]{36})/(?P<kind>[a-z][a-z0-9-]{0,39})/(?P<document>[0-9a-f-]{36})/(?P<version>[1-9]\d{0,8})"
)


class StorageError(Exception):
    """Base class for object-store failures raised by this module."""


class InvalidObjectKeyError(StorageError, ValueError):
    """A key part is malformed, or the key belongs to another tenant than the bound one."""


class ObjectTooLargeError(StorageError):
    """An upload went over its size limit; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


class ObjectExistsError(StorageError):
    """A stored version is immutable: its key is never written twice."""


class StorageUnavailableError(StorageError):
    """The store or its bucket did not answer in time."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str  # hex
    content_type: str  # sniffed, not claimed


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    etag: str | None
    last_modified: datetime | None


def _uuid(value: UUID | str, what: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        msg = f"{what} must be a UUID"
        raise InvalidObjectKeyError(msg) from None


def tenant_key(tenant_id: UUID | str, kind: str, document_id: UUID | str, version: int) -> str:
    """``tenants/<tenant-id>/<kind>/<document-id>/<version>``; kind is a slug, ids are UUIDs, version >= 1."""
    tenant, document = _uuid(tenant_id, "tenant id"), _uuid(document_id, "document id")
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        msg = "kind must be a lower-case slug (letters, digits, '-'; at most 40)"
        raise InvalidObjectKeyError(msg)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version < 10**9:
        msg = "version must be a positive integer"
        raise InvalidObjectKeyError(msg)
    return f"tenants/{tenant}/{kind}/{document}/{version}"


def key_tenant(key: str) -> UUID:
    """The tenant a well-formed key belongs to."""
    match = _KEY.fullmatch(key)
    if match is None:
        msg = "not an object key built by tenant_key()"
        raise InvalidObjectKeyError(msg)
    return UUID(match["tenant"])


def checked_key(key: str) -> str:
    bound = current_tenant.get()
    owner = key_tenant(key)
    if bound is not None and owner != bound:
        # Callers turn this into a 404: another tenant's object does not exist for this one.
        msg = "object key of another tenant"
        raise InvalidObjectKeyError(msg)
    return key
