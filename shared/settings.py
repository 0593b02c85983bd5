"""Process settings, read from the environment (prefix ``REDCELL_``, ``__`` for nesting).

One settings object serves every role; each process reads only the parts it needs.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DbRole = Literal["app", "owner", "system"]
MAIN_CELL = "main"  # the cell of ``Settings.pg``, where every district is placed unless the registry says otherwise
_DEV_MASTER_KEY = base64.b64encode(b"redcell-dev-master-key-32-bytes!").decode()


class PostgresSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 5432
    # Superuser used only by `redcell migrate --bootstrap` to create databases and roles (dev, test, CI).
    admin_user: str = "postgres"
    admin_password: SecretStr = SecretStr("")
    # Passwords by role name (``orgtree_app``); empty means the server trusts loopback (dev, test).
    passwords: dict[str, SecretStr] = Field(default_factory=dict)
    # Full URLs by ``<service>_<role>``, for managed databases whose names or hosts differ.
    urls: dict[str, SecretStr] = Field(default_factory=dict)
    pool_size: int = 10
    max_overflow: int = 10
    connect_timeout_s: float = 5.0


class RedisSettings(BaseModel):
    url: str = "redis://127.0.0.1:6379/0"


class S3Settings(BaseModel):
    endpoint: str = "127.0.0.1:9000"
    access_key: str = "redcell"
    secret_key: SecretStr = SecretStr("redcell-dev-secret")
    bucket: str = "redcell"
    secure: bool = False
    region: str = "us-east-1"


class JwtSettings(BaseModel):
    issuer: str = "redcell-gateway"
    audience: str = "redcell"
    # Where services fetch the gateway's public keys.
    jwks_url: str = "http://127.0.0.1:8000/.well-known/jwks.json"
    access_ttl_s: int = 300
    refresh_ttl_s: int = 14 * 24 * 3600
    leeway_s: int = 10


class WorkerSettings(BaseModel):
    """dramatiq settings as measured (docs/architecture-notes.md, "Messaging")."""

    # Worker processes under one ``redcell worker`` (each with ``threads`` threads); REDCELL_WORKER__PROCESSES or
    # ``--processes``. Several share one pod's CPU quota; replicas spread over nodes.
    processes: int = 1
    threads: int = 4
    # How often an idle worker thread wakes to notice a stop. Messages do not wait for it: a consumer hands them
    # over at once, and an idle consumer waits for a wake-up published with each enqueue (shared/messaging/wakeup.py).
    worker_timeout_ms: int = 1000
    # The longest an idle consumer waits without a wake-up before fetching anyway, which refreshes the process's
    # heartbeat and runs the sweep that requeues a dead worker's messages; at most a third of the heartbeat timeout.
    idle_wait_ms: int = 5000
    heartbeat_timeout_ms: int = 15_000
    # Out of 1,000,000 broker commands of a busy worker (an idle one sweeps on its wake-less fetches, above): 5 %
    # runs the sweep that requeues a dead worker's unacknowledged messages soon after its heartbeat expires.
    maintenance_chance: int = 50_000
    # Port for the worker's Prometheus metrics (/metrics); 0 turns it off (several workers on one host in dev).
    metrics_port: int = 0


class RelaySettings(BaseModel):
    poll_interval_s: float = 0.5
    batch_size: int = 200
    retry_backoff_max_s: float = 5.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REDCELL_", env_nested_delimiter="__", extra="ignore", frozen=True)

    env: Literal["dev", "test", "prod"] = "dev"
    log_json: bool = True
    log_level: str = "INFO"
    pg: PostgresSettings = Field(default_factory=PostgresSettings)
    # Further PostgreSQL clusters (database cells) by name, each with every component's database; ``pg`` is the
    # cell named ``main``. Which cell holds a district's rows is the gateway's placement (shared/db/cells.py).
    cells: dict[str, PostgresSettings] = Field(default_factory=dict)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    s3: S3Settings = Field(default_factory=S3Settings)
    jwt: JwtSettings = Field(default_factory=JwtSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    relay: RelaySettings = Field(default_factory=RelaySettings)
    # Key-encryption key (32 bytes, base64) that wraps every tenant's data keys.
    master_key: SecretStr = SecretStr(_DEV_MASTER_KEY)
    # Largest request body a service accepts, in bytes.
    max_body_bytes: int = 1_048_576
    readiness_timeout_s: float = 2.0
    # Port of the worker's, relay's and scheduler's /livez, /readyz and /metrics (shared/probes.py);
    # 0, the default for development, starts no probe server.
    probe_port: int = 0
    # The scheduler's sweeps by job name with the seconds between runs that replace their own, e.g.
    # ``REDCELL_SCHEDULE_INTERVALS='{"dispatch.deadlines": 1}'`` for clocks acted on within a second.
    schedule_intervals: dict[str, float] = Field(default_factory=dict)

    @field_validator("master_key")
    @classmethod
    def _master_key_is_32_bytes(cls, value: SecretStr) -> SecretStr:
        raw = base64.b64decode(value.get_secret_value(), validate=True)
        if len(raw) != 32:
            msg = "REDCELL_MASTER_KEY must be 32 bytes, base64-encoded"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _production_has_its_own_master_key(self) -> Settings:
        if self.env == "prod" and self.master_key.get_secret_value() == _DEV_MASTER_KEY:
            msg = "REDCELL_MASTER_KEY must be set in production (the built-in key is for development only)"
            raise ValueError(msg)
        return self

    def cell(self, name: str) -> PostgresSettings:
        """The PostgreSQL settings of the cell ``name`` (``main``: ``pg``)."""
        if name == MAIN_CELL:
            return self.pg
        try:
            cell = self.cells[name]
        except KeyError:
            msg = f"no database cell named {name!r} (known: {', '.join([MAIN_CELL, *self.cells])})"
            raise LookupError(msg) from None
        # The roles' passwords are main's unless the cell names its own (one Secret serves every cell).
        return cell.model_copy(update={"passwords": {**self.pg.passwords, **cell.passwords}})

    @property
    def cell_names(self) -> list[str]:
        return [MAIN_CELL, *(name for name in self.cells if name != MAIN_CELL)]

    def master_key_bytes(self) -> bytes:
        return base64.b64decode(self.master_key.get_secret_value())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
