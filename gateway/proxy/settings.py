from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class ProxySettings(BaseSettings):
    """Gateway routing settings (``REDCELL_GATEWAY__...``)."""

    model_config = SettingsConfigDict(
        env_prefix="REDCELL_GATEWAY__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # service name -> base URL of its API
    upstreams: dict[str, str] = Field(
        default_factory=lambda: {
            "orgtree": "http://127.0.0.1:8101",
            "dispatch": "http://127.0.0.1:8102",
            "training": "http://127.0.0.1:8103",
            "documents": "http://127.0.0.1:8104",
        }
    )
    upstream_timeout_s: float = 30.0
    upstream_connections: int = 200
    # Requests per minute; a district's hotline floor and one busy operator both fit well inside.
    tenant_rate_per_minute: int = 12_000
    user_rate_per_minute: int = 1_200
    anonymous_rate_per_minute: int = 60  # per client IP, on login and other public endpoints
    cors_origins: list[str] = Field(default_factory=list)
    # Path prefixes that take large uploads (bulk imports, photos): their body limit, and how long the service
    # may work on one before answering (a 100,000-member import takes about 30 s on two cores). A ``*`` stands
    # for one path segment (an id), so only the upload itself is let through, not the rest of its prefix.
    upload_routes: dict[str, int] = Field(
        default_factory=lambda: {
            "/api/orgtree/imports/": 64 * MIB,
            "/console/bulk/import": 65 * MIB,  # the console's import form: the sheet (64 MiB) and its fields
            # the volunteer's forms with a photo (10 MiB, filed in documents by the console) and its other fields
            "/console/volunteer/tasks/*/completion": 11 * MIB,
            "/console/volunteer/wishes/*/fulfilment": 11 * MIB,
        }
    )
    upload_timeout_s: float = 300.0
    # Path prefixes open without a token (the residents' public endpoints, the districts' public boards), limited
    # per client address at anonymous_rate_per_minute; the service behind decides what each one allows.
    public_routes: list[str] = Field(
        default_factory=lambda: ["/api/dispatch/public/", "/api/dispatch/open311/v2/", "/api/documents/public/"]
    )
    # Long-lived responses (server-sent events): relayed chunk by chunk as they come, ended when the client
    # goes, with this read timeout instead of upstream_timeout_s (the services send a heartbeat every 15 s).
    stream_routes: list[str] = Field(default_factory=lambda: ["/api/dispatch/stream", "/console/live/"])
    stream_timeout_s: float = 60.0
    # The web console behind ``/console/`` (it signs users in with its own session cookie); empty: none.
    console_url: str = "http://127.0.0.1:8110"
    # argon2id parameters of stored passwords (defaults: argon2-cffi's, RFC 9106's low-memory profile, about 0.2 s
    # of CPU a login here); a password stored under other parameters is rehashed at its next login.
    password_time_cost: int = Field(3, ge=1)
    password_memory_kib: int = Field(65_536, ge=8_192)
    password_parallelism: int = Field(4, ge=1, le=16)


@lru_cache(maxsize=1)
def get_proxy_settings() -> ProxySettings:
    return ProxySettings()
