"""The proxy's lean HTTP/1.1 client (gateway/proxy/upstream.py) against a real server on loopback that answers
with bytes written here: kept-alive connections, chunked and unsized bodies, large bodies for a slow reader,
interim answers, a connection the upstream closed while idle, timeouts, refusals and the connection limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from deploy.local_servers import free_ports
from gateway.proxy.upstream import UpstreamError, UpstreamPool, UpstreamTimeoutError, UpstreamUnreachableError

Answer = Callable[[bytes], bytes | None]  # the request head -> the bytes to write back (None: say nothing)


@dataclass
class Upstream:
    base: str
    answer: Answer
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    close_after_answer: bool = False
    delay_s: float = 0.0
    open_now: int = 0
    most_open: int = 0


def sized(body: bytes, status: str = "200 OK", extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 "
        + status.encode()
        + b"\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n"
        + extra
        + (b"\r\n" + body)
    )


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    (port,) = free_ports(1)
    state = Upstream(base=f"http://127.0.0.1:{port}", answer=lambda _: sized(b"{}"))

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        state.open_now += 1
        state.most_open = max(state.most_open, state.open_now)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.startswith(b"content-length")),
                    0,
                )
                body = await reader.readexactly(length)
                state.requests.append(head + body)
                await asyncio.sleep(state.delay_s)
                reply = state.answer(head)
                if reply is None:
                    await asyncio.sleep(3600)
                    continue
                writer.write(reply)
                await writer.drain()
                if state.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            state.open_now -= 1
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", port)
    try:
        yield state
    finally:
        server.close()


async def read_all(pool: UpstreamPool, method: str = "GET", path: str = "/x", body: bytes = b"") -> tuple[int, bytes]:
    head = f"{method} {path} HTTP/1.1\r\nhost: {pool.authority.decode()}\r\n".encode()
    if body:
        head += f"content-length: {len(body)}\r\n".encode()
    response = await pool.request(method, head + b"\r\n" + body, read_timeout_s=5)
    try:
        whole = response.whole_body()
        if whole is None:
            whole = b"".join([chunk async for chunk in response.chunks()])
        return response.status, whole
    finally:
        response.close()


async def test_requests_share_one_kept_alive_connection(upstream: Upstream) -> None:
    pool = UpstreamPool(upstream.base, limit=4)
    for i in range(5):
        assert await read_all(pool, path=f"/n/{i}") == (200, b"{}")
    assert upstream.connections == 1
    assert [r.split(b" ")[1] for r in upstream.requests] == [f"/n/{i}".encode() for i in range(5)]
    await pool.close()


async def test_a_request_body_reaches_the_upstream_whole(upstream: Upstream) -> None:
    pool = UpstreamPool(upstream.base, limit=4)
    assert await read_all(pool, "POST", body='{"name":"网格"}'.encode()) == (200, b"{}")
    assert upstream.requests[0].endswith('{"name":"网格"}'.encode())
    await pool.close()


async def test_a_chunked_body_is_decoded(upstream: Upstream) -> None:
    upstream.answer = lambda _: b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    pool = UpstreamPool(upstream.base, limit=4)
    assert await read_all(pool) == (200, b"abcde")
    assert await read_all(pool) == (200, b"abcde")  # and the connection is reused after it
    assert upstream.connections == 1
    await pool.close()


async def test_a_body_without_a_length_ends_with_its_connection(upstream: Upstream) -> None:
    upstream.answer = lambda _: b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nall of it"
    upstream.close_after_answer = True
    pool = UpstreamPool(upstream.base, limit=4)
    assert await read_all(pool) == (200, b"all of it")
    assert await read_all(pool) == (200, b"all of it")
    assert upstream.connections == 2
    await pool.close()


async def test_a_large_body_reaches_a_slow_reader_whole(upstream: Upstream) -> None:
    big = bytes(range(256)) * (6 * 4096)  # 6 MiB: well past the point where the socket is paused
    upstream.answer = lambda _: sized(big)
    pool = UpstreamPool(upstream.base, limit=4)
    response = await pool.request("GET", b"GET /big HTTP/1.1\r\nhost: x\r\n\r\n", read_timeout_s=5)
    received = bytearray()
    async for chunk in response.chunks():
        received += chunk
        await asyncio.sleep(0.001)
    response.close()
    assert bytes(received) == big
    assert await read_all(pool) == (200, big)  # the same connection, ready again
    assert upstream.connections == 1
    await pool.close()


async def test_interim_answers_are_passed_over(upstream: Upstream) -> None:
    upstream.answer = lambda _: b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n" + sized(b"final")
    pool = UpstreamPool(upstream.base, limit=4)
    assert await read_all(pool) == (200, b"final")
    await pool.close()


async def test_a_connection_the_upstream_closed_while_idle_is_replaced_for_a_get(upstream: Upstream) -> None:
    upstream.close_after_answer = True  # answers with a length, then hangs up: the pool keeps a dead connection
    pool = UpstreamPool(upstream.base, limit=4)
    assert await read_all(pool) == (200, b"{}")
    await asyncio.sleep(0.05)
    assert await read_all(pool) == (200, b"{}")
    assert upstream.connections == 2
    await pool.close()


async def test_an_abandoned_body_closes_its_connection(upstream: Upstream) -> None:
    upstream.answer = lambda _: b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part"
    pool = UpstreamPool(upstream.base, limit=4)
    response = await pool.request("GET", b"GET / HTTP/1.1\r\nhost: x\r\n\r\n", read_timeout_s=5)
    assert response.whole_body() is None  # not all of it is here
    response.close()
    upstream.answer = lambda _: sized(b"next")
    assert await read_all(pool) == (200, b"next")
    assert upstream.connections == 2  # the half-read connection was not handed out again
    await pool.close()


async def test_silence_is_a_timeout(upstream: Upstream) -> None:
    upstream.answer = lambda _: None
    pool = UpstreamPool(upstream.base, limit=4)
    with pytest.raises(UpstreamTimeoutError):
        await pool.request("GET", b"GET / HTTP/1.1\r\nhost: x\r\n\r\n", read_timeout_s=0.2)
    await pool.close()


async def test_nobody_listening_is_an_unreachable_upstream() -> None:
    (port,) = free_ports(1)
    pool = UpstreamPool(f"http://127.0.0.1:{port}", limit=4)
    with pytest.raises(UpstreamUnreachableError):  # the proxy's 503: down or restarting, try again
        await pool.request("GET", b"GET / HTTP/1.1\r\nhost: x\r\n\r\n", read_timeout_s=1)
    await pool.close()


async def test_a_malformed_answer_is_an_upstream_error_not_an_unreachable_one(upstream: Upstream) -> None:
    upstream.answer = lambda _: b"SMTP ready\r\n\r\n"
    pool = UpstreamPool(upstream.base, limit=4)
    with pytest.raises(UpstreamError) as raised:  # the proxy's 502: it answered, but not HTTP
        await pool.request("GET", b"GET / HTTP/1.1\r\nhost: x\r\n\r\n", read_timeout_s=1)
    assert not isinstance(raised.value, UpstreamUnreachableError)
    await pool.close()


async def test_no_more_connections_than_the_limit(upstream: Upstream) -> None:
    upstream.delay_s = 0.02  # each answer takes a while: without the limit, twelve connections would open
    pool = UpstreamPool(upstream.base, limit=2)
    results = await asyncio.gather(*(read_all(pool, path=f"/p/{i}") for i in range(12)))
    assert results == [(200, b"{}")] * 12
    assert upstream.most_open == 2
    await pool.close()
