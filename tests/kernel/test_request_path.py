"""What every service request pays before its handler, kept lean: counted, never timed.

- The guards run on the event loop: Litestar hands a plain-function guard to a worker thread, a thread hop per
  guard per request.
- The gateway's signing keys are fetched once, however many tokens arrive at once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Controller, get

from shared.auth.principal import Role
from shared.auth.verify import JwksKeySource, TokenVerifier
from shared.http.app import build_app
from shared.http.guards import requires_role, requires_tenant
from shared.settings import Settings
from tests.platform.tokens import TestIssuer


class Guarded(Controller):
    path = "/api/kernel/guarded"
    guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]

    @get("/")
    async def read(self) -> dict[str, bool]:
        return {"ok": True}


@pytest.fixture
async def client(settings: Settings, issuer: TestIssuer) -> AsyncIterator[httpx.AsyncClient]:
    """The app called in the test's own event loop (Litestar's test client would run it in a thread of its own)."""
    app = build_app("kernel", [Guarded], settings, title="guarded", database=False, verifier=issuer.verifier())
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's narrower ASGI types
    async with httpx.AsyncClient(transport=transport, base_url="http://kernel") as http:
        yield http


async def test_a_guarded_request_never_leaves_the_event_loop(
    client: httpx.AsyncClient, issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = asyncio.get_running_loop()
    handed_to_threads: list[Any] = []
    original = loop.run_in_executor

    def run_in_executor(executor: Any, func: Any, *args: Any) -> Any:
        handed_to_threads.append(func)
        return original(executor, func, *args)

    monkeypatch.setattr(loop, "run_in_executor", run_in_executor)
    admin = issuer.token(tenant=uuid.uuid4(), roles=[Role.DISTRICT_ADMIN])
    member = issuer.token(tenant=uuid.uuid4(), roles=[Role.MEMBER])
    platform = issuer.token(tenant=None, roles=[Role.DISTRICT_ADMIN])

    allowed = await client.get("/api/kernel/guarded", headers={"Authorization": f"Bearer {admin}"})
    refused_role = await client.get("/api/kernel/guarded", headers={"Authorization": f"Bearer {member}"})
    refused_tenant = await client.get("/api/kernel/guarded", headers={"Authorization": f"Bearer {platform}"})

    assert allowed.status_code == 200, allowed.text
    assert refused_role.status_code == 403
    assert "district_admin" in refused_role.json()["detail"]
    assert refused_tenant.status_code == 403
    assert "district" in refused_tenant.json()["detail"]
    assert handed_to_threads == []


async def test_signing_keys_are_fetched_once_for_many_tokens(settings: Settings, issuer: TestIssuer) -> None:
    fetches = 0

    async def fetch() -> dict[str, Any]:
        nonlocal fetches
        fetches += 1
        await asyncio.sleep(0)  # let the other verifications arrive while the keys are on their way
        return issuer.jwks()

    verifier = TokenVerifier(JwksKeySource(fetch), settings.jwt)
    tokens = [issuer.token(tenant=uuid.uuid4(), roles=[Role.MEMBER]) for _ in range(20)]
    principals = await asyncio.gather(*(verifier.verify(token) for token in tokens))
    again = [await verifier.verify(token) for token in tokens]  # remembered until they expire
    assert len({p.tenant_id for p in principals}) == 20
    assert again == principals
    assert fetches == 1
