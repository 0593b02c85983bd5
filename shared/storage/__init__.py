"""Document objects in any S3-compatible store (MinIO, SeaweedFS, ...) through the ``minio`` client.

- Keys are built here from validated parts, never taken from clients:
  ``tenants/<tenant-id>/<kind>/<document-id>/<version>``. Operations refuse a key of another tenant
  than the one bound to the unit of work.
- Uploads stream: the body is read chunk by chunk, hashed (SHA-256) and counted on the way, and
  sent as a multipart upload; going over ``max_bytes`` aborts the upload and removes what was written.
- The stored content type is sniffed from the first bytes; the client's claim is used only to pick
  between subtypes of what was sniffed (plain text declared as CSV).
- Stored versions are immutable: ``put_stream`` refuses a key that exists.
- Downloads are short-lived presigned URLs, always ``attachment`` (never rendered inline from the
  storage origin) with a sanitised display name.

The minio client is blocking; every call runs in a worker thread.
"""

from shared.storage.content import OCTET_STREAM, content_disposition, sanitize_filename, sniff_content_type
from shared.storage.keys import (
    InvalidObjectKeyError,
    ObjectExistsError,
    ObjectInfo,
    ObjectTooLargeError,
    StorageError,
    StorageUnavailableError,
    StoredObject,
    key_tenant,
    tenant_key,
)
from shared.storage.store import DEFAULT_PART_BYTES, MIN_PART_BYTES, SNIFF_BYTES, ObjectStore

__all__ = [
    "DEFAULT_PART_BYTES",
    "MIN_PART_BYTES",
    "OCTET_STREAM",
    "SNIFF_BYTES",
    "InvalidObjectKeyError",
    "ObjectExistsError",
    "ObjectInfo",
    "ObjectStore",
    "ObjectTooLargeError",
    "StorageError",
    "StorageUnavailableError",
    "StoredObject",
    "content_disposition",
    "key_tenant",
    "sanitize_filename",
    "sniff_content_type",
    "tenant_key",
]
