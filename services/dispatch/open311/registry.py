"""Which district an Open311 ``jurisdiction_id`` names: its code (slug), which the gateway's tenant registry tells
anyone at ``GET /public/districts/{slug}`` (the residents' page asks the same). Dispatch keeps no copy of the
registry; an answer is kept a minute here (a miss ten seconds), so a busy client costs the registry one request a
minute per district. The call carries the platform's front-end key, so the gateway does not count this process's
one address against its per-address limit for anonymous traffic (shared/auth/frontend.py)."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth.frontend import HEADER, frontend_key
from shared.logging import get_logger
from shared.settings import Settings

log = get_logger(__name__)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # the gateway's district slugs
KEEP_S = 60.0
MISSING_KEEP_S = 10.0
KEPT_MAX = 1000


class Open311Settings(BaseSettings):
    """``REDCELL_OPEN311__...``: where the tenant registry answers (empty: the gateway that serves the JWKS)."""

    model_config = SettingsConfigDict(env_prefix="REDCELL_OPEN311__", extra="ignore", frozen=True)

    registry_url: str = ""
    registry_timeout_s: float = 2.0


class RegistryUnavailableError(Exception):
    """The registry could not be asked: the request is answered 503, not as an unknown jurisdiction."""


class Jurisdictions:
    """District codes to tenant ids, as the gateway's registry gives them."""

    def __init__(self, settings: Settings, open311: Open311Settings | None = None) -> None:
        open311 = open311 or Open311Settings()
        jwks = urlsplit(settings.jwt.jwks_url)
        self.base_url = open311.registry_url.rstrip("/") or f"{jwks.scheme}://{jwks.netloc}"
        self.timeout = open311.registry_timeout_s
        self.headers = {HEADER: frontend_key(settings.master_key_bytes())}
        self._kept: dict[str, tuple[float, UUID | None]] = {}

    async def find(self, slug: str) -> UUID | None:
        """The active district with this code, or None for an unknown, suspended or retired one."""
        if not SLUG.fullmatch(slug):
            return None
        at = time.monotonic()
        kept = self._kept.get(slug)
        if kept is None or kept[0] <= at:
            found = await self._ask(slug)
            if len(self._kept) >= KEPT_MAX:
                self._kept.clear()
            kept = (at + (KEEP_S if found else MISSING_KEEP_S), found)
            self._kept[slug] = kept
        return kept[1]

    async def _ask(self, slug: str) -> UUID | None:
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout) as client:
                response = await client.get(f"/public/districts/{slug}", headers=self.headers)
        except httpx.HTTPError as exc:
            log.warning("tenant registry unreachable", error=type(exc).__name__)
            raise RegistryUnavailableError from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            log.warning("tenant registry failed", status=response.status_code)
            raise RegistryUnavailableError
        return UUID(str(response.json()["id"]))
