"""Database cells: several PostgreSQL clusters, each holding every component's database, with each district's
rows of a component on one of them.

The gateway's registry (``tenant_placement``, ``gateway/tenants/placement.py``) says which cell holds a district's
rows of each component; a district it does not name is on ``main`` (``Settings.pg``). The registry is mirrored
into Redis (one hash, ``PLACEMENT_KEY``, and a channel announcing each change); every process keeps the mirror in
memory (``PlacementView``, refreshed by a thread), so choosing a cell costs a dictionary lookup, never a round
trip. A platform with no cells configured (``REDCELL_CELLS`` empty) reads nothing and uses ``main``.

A session made by ``cell_sessionmaker`` binds, at its first statement, to the engine of the cell holding the
current district's rows (``current_tenant``); a session with no district binds to ``main``, where platform-wide
work lives. A sweep across districts asks each cell in turn (``Settings.cell_names``).

While a district's component moves between cells (``redcell tenant move``), the registry marks it paused: the
gateway refuses its writes (503 with Retry-After), consumers put its messages back for later and sweeps leave it
alone, until the registry points at the new cell.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import redis
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from shared.components import components
from shared.context import current_tenant
from shared.db.engine import make_engine
from shared.db.urls import database_url, plain_dsn
from shared.logging import get_logger
from shared.settings import MAIN_CELL, DbRole, Settings

log = get_logger(__name__)

PLACEMENT_KEY = "redcell:placement"  # hash: district id -> {"cells": {component: cell}, "paused": [component]}
PLACEMENT_CHANNEL = "redcell:placement:changed"
LOADED_FIELD = "_loaded"  # written with every mirror: a Redis that lost the hash is told apart from "all on main"
REFRESH_S = 1.0  # how stale a process's view may be; moving a district waits a few of these (docs/scaling.md)
MISS_REFRESH_S = 0.25  # a district the view does not know makes it read the mirror again, at most this often


class PlacementUnknownError(RuntimeError):
    """The registry's mirror has not been read yet (Redis down since the process started, or emptied before the
    gateway's sweep mirrored it again): choosing a cell now could write a district's rows to the wrong cluster, so
    the caller answers 503 and tries again."""


class DistrictPausedError(RuntimeError):
    """The district's rows of this component are being moved to another cell: writes wait until it is done."""

    def __init__(self, tenant: UUID, component: str) -> None:
        super().__init__(f"district {tenant}: its {component} rows are moving to another database cell")
        self.tenant, self.component = tenant, component


@dataclass(frozen=True, slots=True)
class Placement:
    """One district's cells (components not named are on ``main``) and the components being moved."""

    cells: Mapping[str, str] = field(default_factory=dict)
    paused: frozenset[str] = frozenset()

    def cell(self, component: str) -> str:
        return self.cells.get(component, MAIN_CELL)

    def encode(self) -> str:
        return json.dumps({"cells": dict(self.cells), "paused": sorted(self.paused)}, sort_keys=True)

    @classmethod
    def decode(cls, raw: str | bytes) -> Placement:
        data = json.loads(raw)
        return cls(dict(data.get("cells", {})), frozenset(data.get("paused", ())))


_EVERYWHERE_MAIN = Placement()


def _placed(component: str) -> bool:
    found = components().get(component)
    return found is not None and found.placed


def cells_holding(settings: Settings, component: str) -> list[str]:
    """The cells that may hold ``component``'s rows: every cell for a component placed per district (sweeps, relays
    and listeners go to each), only ``main`` for the gateway and anything that is not a component."""
    return settings.cell_names if _placed(component) else [MAIN_CELL]


def cell_dsns(settings: Settings, component: str, role: DbRole) -> list[str]:
    """asyncpg DSNs of ``component``'s database on every cell holding its rows (LISTEN and the like)."""
    cells = cells_holding(settings, component)
    return [plain_dsn(database_url(settings, component, role, cell=cell)) for cell in cells]


class PlacementView:
    """This process's copy of the registry's mirror, refreshed every ``REFRESH_S`` and on each announced change."""

    def __init__(self, settings: Settings, *, refresh_s: float = REFRESH_S) -> None:
        self.enabled = bool(settings.cells)
        self._settings = settings
        self._refresh_s = refresh_s
        self._placements: dict[UUID, Placement] = {}
        self._loaded_at: float | None = None
        self._missed_at = 0.0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def placement(self, tenant: UUID) -> Placement:
        if not self.enabled:
            return _EVERYWHERE_MAIN
        self._ensure_started()
        if self._loaded_at is None:
            raise PlacementUnknownError("the database cells' registry has not been read yet")
        found = self._placements.get(tenant)
        if found is None and self._refreshed_on_miss():
            found = self._placements.get(tenant)
        # The gateway mirrors a district's placement before its provisioning commits, so a district still missing
        # after a fresh read has no rows anywhere yet (or does not exist): main, where a lookup finds nothing.
        return found or _EVERYWHERE_MAIN

    def _refreshed_on_miss(self) -> bool:
        """Read the mirror again for a district this view does not know, at most every ``MISS_REFRESH_S``."""
        now = time.monotonic()
        if now - self._missed_at < MISS_REFRESH_S:
            return False
        self._missed_at = now
        try:
            self.refresh()
        except redis.RedisError as exc:
            log.warning("database cells' registry unreadable on a miss", error=type(exc).__name__)
            return False
        return True

    def cell(self, tenant: UUID | None, component: str) -> str:
        if tenant is None or not _placed(component):
            return MAIN_CELL
        return self.placement(tenant).cell(component)

    def paused(self, tenant: UUID | None, component: str) -> bool:
        return tenant is not None and self.enabled and _placed(component) and component in self.placement(tenant).paused

    def refresh(self) -> None:
        """Read the mirror now (also done by the thread)."""
        client = redis.Redis.from_url(self._settings.redis.url, socket_timeout=2, socket_connect_timeout=2)
        try:
            self._load(client)
        finally:
            client.close()

    def _load(self, client: redis.Redis) -> None:
        raw: dict[bytes, bytes] = client.hgetall(PLACEMENT_KEY)  # type: ignore[assignment]
        if LOADED_FIELD.encode() not in raw:
            return  # not mirrored (yet, or Redis lost it): keep what was read before, if anything
        placements = {
            UUID(key.decode()): Placement.decode(value) for key, value in raw.items() if key != LOADED_FIELD.encode()
        }
        with self._lock:
            self._placements = placements
            self._loaded_at = time.monotonic()

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._follow, name="redcell-placement", daemon=True)
        try:  # the first read before the first answer: one round trip, once per process
            self.refresh()
        except redis.RedisError as exc:
            log.warning("database cells' registry unreadable at start", error=type(exc).__name__)
        self._thread.start()

    def _follow(self) -> None:
        while not self._stop.is_set():
            client = redis.Redis.from_url(self._settings.redis.url, socket_timeout=5, socket_connect_timeout=2)
            pubsub = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            try:
                pubsub.subscribe(PLACEMENT_CHANNEL)
                while not self._stop.is_set():
                    self._load(client)
                    pubsub.get_message(timeout=self._refresh_s)  # a change wakes it early
            except redis.RedisError as exc:
                log.warning("database cells' registry unreadable; keeping the last view", error=type(exc).__name__)
                self._stop.wait(self._refresh_s)
            finally:
                pubsub.close()
                client.close()

    def stop(self) -> None:
        self._stop.set()


_views: dict[int, PlacementView] = {}


def placement_view(settings: Settings) -> PlacementView:
    """The process's one view for ``settings`` (one refresh thread, however many engines)."""
    view = _views.get(id(settings))
    if view is None:
        view = _views[id(settings)] = PlacementView(settings)
    return view


class CellEngines:
    """One engine per cell for a component's role, made on first use."""

    def __init__(self, settings: Settings, service: str, role: DbRole, **engine_options: Any) -> None:
        self.settings, self.service, self.role = settings, service, role
        self._options = engine_options
        self._engines: dict[str, AsyncEngine] = {}
        self._lock = threading.Lock()

    def engine(self, cell: str = MAIN_CELL) -> AsyncEngine:
        engine = self._engines.get(cell)
        if engine is None:
            with self._lock:
                engine = self._engines.get(cell)
                if engine is None:
                    engine = self._engines[cell] = make_engine(
                        self.settings, self.service, self.role, cell=cell, **self._options
                    )
        return engine

    def for_tenant(self, tenant: UUID | None) -> AsyncEngine:
        return self.engine(placement_view(self.settings).cell(tenant, self.service))

    def all(self) -> list[AsyncEngine]:
        """An engine for every cell holding the component's rows (sweeps across districts, readiness)."""
        return [self.engine(cell) for cell in cells_holding(self.settings, self.service)]

    async def dispose(self) -> None:
        for engine in list(self._engines.values()):
            await engine.dispose()
        self._engines.clear()


class CellRoutedSession(Session):
    """A session that binds to the cell holding the current district's rows, when it first needs a connection."""

    def get_bind(self, mapper: Any = None, clause: Any = None, **kw: Any) -> Engine:
        engines: CellEngines = self.info["redcell_cells"]
        return engines.for_tenant(current_tenant.get()).sync_engine


def cell_sessionmaker(engines: CellEngines) -> async_sessionmaker[AsyncSession]:
    """Sessions on the right cell for each district; with no cells configured, plain sessions on ``main``."""
    if not engines.settings.cells:
        return async_sessionmaker(engines.engine(), expire_on_commit=False)
    return async_sessionmaker(
        expire_on_commit=False, sync_session_class=CellRoutedSession, info={"redcell_cells": engines}
    )
