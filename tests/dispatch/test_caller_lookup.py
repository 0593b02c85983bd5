"""The desk's caller lookup reports what orgtree answered about the caller's households: found, not found, refused
(a permission to fix) or unavailable (orgtree down or failing), and always the earlier tickets here. Orgtree is
played by a local HTTP server that records what dispatch asked it."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from deploy.local_servers import free_ports
from services.dispatch.settings import get_dispatch_settings
from tests.dispatch.builders import District, operator
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer

CALLER = mobile(31)


@dataclass
class Orgtree:
    """Answers each caller lookup with the next scripted (status, body) and keeps what it was asked."""

    answers: list[tuple[int, Any]]
    asked: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)


@pytest.fixture
def orgtree_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point dispatch's orgtree client at ``url`` for this test."""

    def point(url: str) -> None:
        monkeypatch.setenv("REDCELL_DISPATCH__ORGTREE_URL", url)
        get_dispatch_settings.cache_clear()

    yield point
    get_dispatch_settings.cache_clear()


@contextmanager
def orgtree_answering(*answers: tuple[int, Any]) -> Iterator[tuple[Orgtree, str]]:
    """A real HTTP server on its own thread (the app under test may hold the test's event loop meanwhile)."""
    orgtree = Orgtree(list(answers))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            orgtree.asked.append((self.path, dict(self.headers), json.loads(body)))
            status, answer = orgtree.answers.pop(0)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:  # the test's output stays the test's
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield orgtree, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def household(**overrides: Any) -> dict[str, Any]:
    serving = {"memberId": str(uuid.uuid4()), "name": "林志红", "phone": "139****0001"}
    place = {"id": str(uuid.uuid4()), "gridId": str(uuid.uuid4()), "gridName": "第1网格", "label": "1组3号"}
    masked = {"headName": "王**", "address": "浙江省温州市龙湾区****", "phone": "138****0031"}
    return {**place, **masked, "servedBy": [serving], **overrides}


async def look_up(client: AsyncTestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/api/dispatch/callers/lookup", json={"phone": CALLER}, headers=headers)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_found_households_come_with_who_serves_them_asked_with_the_operators_token(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_at: Any
) -> None:
    found = household()
    with orgtree_answering((200, [found]), (200, [])) as (orgtree, url):
        orgtree_at(url)
        headers = operator(issuer, district_a)
        answer = await look_up(client, headers)
        assert answer["households"] == {"status": "found", "items": [found], "message": None}
        assert answer["phone"] == "138****0031"
        path, sent, body = orgtree.asked[0]
        assert (path, body) == ("/api/orgtree/households/caller-lookup", {"phone": CALLER})
        assert sent["Authorization"] == headers["Authorization"]  # orgtree checks and audits the operator
        none = await look_up(client, headers)
        assert none["households"] == {"status": "not_found", "items": [], "message": None}


async def test_a_refusal_is_reported_as_a_refusal_not_an_outage(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_at: Any
) -> None:
    problem = {"status": 403, "detail": "requires one of the roles: hotline_operator, district_admin"}
    with orgtree_answering((403, problem), (401, {"status": 401})) as (_, url):
        orgtree_at(url)
        for status in (403, 401):
            answer = await look_up(client, operator(issuer, district_a))
            households = answer["households"]
            assert (households["status"], households["items"]) == ("refused", [])
            assert "refused this account" in households["message"]
            assert str(status) in households["message"]


async def test_orgtree_down_failing_or_garbled_is_unavailable_and_earlier_tickets_still_come(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_at: Any
) -> None:
    headers = operator(issuer, district_a)
    category = str(district_a.categories["citizen_life"])
    call = {"channel": "phone", "title": "水管漏水", "callerPhone": CALLER, "categoryId": category}
    created = await client.post("/api/dispatch/tickets", json=call, headers=headers)
    assert created.status_code == 201, created.text
    garbled = [household(gridId="not-a-uuid")]
    with orgtree_answering((503, {"status": 503}), (200, garbled), (200, {"items": []})) as (_, url):
        orgtree_at(url)
        for _ in range(3):
            answer = await look_up(client, headers)
            assert answer["households"]["status"] == "unavailable"
            assert answer["households"]["items"] == []
            assert [t["id"] for t in answer["earlierTickets"]] == [created.json()["ticket"]["id"]]
    orgtree_at(f"http://127.0.0.1:{free_ports(1)[0]}")  # nothing listens there
    down = await look_up(client, headers)
    assert down["households"]["status"] == "unavailable"
    assert "could not be reached" in down["households"]["message"]
    assert len(down["earlierTickets"]) == 1
