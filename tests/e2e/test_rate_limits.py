"""Per-user and per-tenant rate limits at the gateway, counted in Redis."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import jwt

from deploy import local_servers
from deploy.local_servers import free_ports
from shared.auth.frontend import HEADER, frontend_key
from shared.settings import Settings
from tests.e2e.conftest import RunningPlatform, auth, login, new_user


def fresh_user(platform: RunningPlatform) -> str:
    """A new hotline operator of district B, so earlier tests' requests do not count against this one."""
    user = new_user(platform.gateway, platform.b.token, "limited", ["hotline_operator"])
    return login(platform.gateway, user)["accessToken"]


def test_a_user_over_the_limit_gets_429_with_retry_after(platform: RunningPlatform) -> None:
    port = free_ports(1)[0]
    process = platform.platform.add(
        "api-gateway-limited",
        "api",
        "gateway",
        "--port",
        str(port),
        env={"REDCELL_GATEWAY__USER_RATE_PER_MINUTE": "20"},
    )
    base = f"http://127.0.0.1:{port}"
    platform.platform.wait_ready(base, process)
    # Fixed one-minute windows: the 30 requests must fall in one window. On a loaded machine they can take
    # longer than the time left in it; then a new user tries again in the next window.
    for _ in range(3):
        if time.time() % 60 > 40:
            time.sleep(61 - time.time() % 60)
        token, window = fresh_user(platform), time.time() // 60
        statuses = [httpx.get(f"{base}/api/orgtree/nodes", headers=auth(token)).status_code for _ in range(30)]
        if time.time() // 60 == window:
            break
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}, statuses
    refused = httpx.get(f"{base}/api/orgtree/nodes", headers=auth(token))
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) >= 1
    # another user is not affected by this user's limit
    assert httpx.get(f"{base}/api/orgtree/nodes", headers=auth(fresh_user(platform))).status_code == 200
    process.stop()


def test_password_guessing_from_one_address_is_limited(platform: RunningPlatform) -> None:
    # its own Redis: every other test's logins also come from 127.0.0.1
    port, redis_port = free_ports(2)
    redis_pid = local_servers.start_redis(Path(tempfile.mkdtemp(prefix="redcell-rl-")), redis_port, durable=False)
    process = platform.platform.add(
        "api-gateway-guarded",
        "api",
        "gateway",
        "--port",
        str(port),
        env={
            "REDCELL_GATEWAY__ANONYMOUS_RATE_PER_MINUTE": "5",
            "REDCELL_REDIS__URL": f"redis://127.0.0.1:{redis_port}/0",
        },
    )
    base = f"http://127.0.0.1:{port}"
    platform.platform.wait_ready(base, process)
    if time.time() % 60 > 55:
        time.sleep(61 - time.time() % 60)
    guesses = [
        httpx.post(f"{base}/auth/login", json={"username": f"guess-{i}", "password": "x" * 12}).status_code
        for i in range(8)
    ]
    assert guesses[:5] == [401] * 5
    assert set(guesses[5:]) == {429}
    process.stop()
    os.kill(redis_pid, signal.SIGTERM)


def test_the_consoles_own_sign_ins_are_not_counted_per_address_again(
    platform: RunningPlatform, settings: Settings
) -> None:
    """The console counts browsers on POST /console/sign-in; its own /auth/login calls carry the front-end key."""
    with guarded_gateway(platform, "api-gateway-frontend") as base:
        if time.time() % 60 > 50:
            time.sleep(61 - time.time() % 60)
        key = frontend_key(settings.master_key_bytes())  # the platform runs with the same master key

        def attempt(i: int, presented: str) -> int:
            body = {"username": f"console-user-{i}", "password": "x" * 12}
            return httpx.post(f"{base}/auth/login", json=body, headers={HEADER: presented}).status_code

        assert [attempt(i, key) for i in range(8)] == [401] * 8  # wrong passwords, but never 429
        forged = [attempt(i, "0" * 64) for i in range(8)]  # a made-up key counts like any other address
        assert forged[:5] == [401] * 5
        assert set(forged[5:]) == {429}


@contextmanager
def guarded_gateway(platform: RunningPlatform, name: str) -> Iterator[str]:
    """Another gateway allowing 5 anonymous requests a minute per address, counting in a Redis of its own (every
    other test's requests also come from 127.0.0.1); yields its base URL."""
    port, redis_port = free_ports(2)
    redis_pid = local_servers.start_redis(Path(tempfile.mkdtemp(prefix="redcell-rl-")), redis_port, durable=False)
    guarded = {
        "REDCELL_GATEWAY__ANONYMOUS_RATE_PER_MINUTE": "5",
        "REDCELL_REDIS__URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    process = platform.platform.add(name, "api", "gateway", "--port", str(port), env=guarded)
    base = f"http://127.0.0.1:{port}"
    try:
        platform.platform.wait_ready(base, process)
        yield base
    finally:
        process.stop()
        os.kill(redis_pid, signal.SIGTERM)


def from_address(address: str) -> httpx.Client:
    """A client whose requests come from another loopback address (the gateway counts each address alone)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address))


def test_residents_through_the_console_are_counted_per_address_once(
    platform: RunningPlatform, settings: Settings
) -> None:
    """The gateway counts a resident's POST /console/r/... per address; the console's own calls to the public API
    that follow carry the front-end key, so all residents are not counted together against the console's address."""
    with (
        guarded_gateway(platform, "api-gateway-residents") as base,
        from_address("127.0.0.2") as console,  # each address is counted on its own
        from_address("127.0.0.3") as resident,
    ):
        if time.time() % 60 > 45:
            time.sleep(61 - time.time() % 60)
        key = frontend_key(settings.master_key_bytes())
        tenant = jwt.decode(platform.a.token, options={"verify_signature": False})["tenant"]
        verifications = f"{base}/api/dispatch/public/{tenant}/verifications"

        def code_for(presented: str) -> int:  # a number that is no mobile's: dispatch refuses it, sending nothing
            return console.post(verifications, json={"phone": "12345"}, headers={HEADER: presented}).status_code

        assert [code_for(key) for _ in range(8)] == [422] * 8  # the console's calls for residents: never 429
        forged = [code_for("0" * 64) for _ in range(8)]
        assert forged[:5] == [422] * 5
        assert set(forged[5:]) == {429}

        # residents' pages: their posts are counted where they arrive (the console refuses these without a form
        # token, after the gateway counted them); reading a page is not counted
        page = f"{base}/console/r/{platform.a.slug}"
        assert 429 not in [resident.get(f"{page}/").status_code for _ in range(8)]
        posted = [resident.post(f"{page}/request/code", data={"phone": "12345"}).status_code for _ in range(5)]
        assert 429 not in posted, posted
        refused = resident.post(f"{page}/request/code", data={"phone": "12345"})
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
