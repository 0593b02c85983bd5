"""A lean HTTP/1.1 client for the proxy's request/response path: keep-alive connections per upstream, httptools.

aiohttp's client took about a third of the gateway's CPU per proxied request (py-spy, docs/benchmarks.md):
a ClientRequest, header multidicts, timers and stream objects built for every call. Here the proxy hands over
the request head it has already built as bytes (and a small body, in memory), the answer is parsed by httptools
(the C parser behind uvicorn) in the socket's callback, and the body goes on as it arrives, the socket paused
while the client reads slower than the upstream writes. Streamed uploads, HEAD and server-sent events stay
on aiohttp (forward.py): they are rare, and aiohttp already does them right.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httptools

_HIGH_WATER = 1024 * 1024  # bytes of body held for a slow client before the upstream socket is paused
_LOW_WATER = 256 * 1024
# Methods a request may be sent again for when a kept-alive connection turns out closed (RFC 9110 section 9.2.2):
# the upstream cannot have acted on a request whose connection it had closed, but only these are safe to repeat.
_REPEATABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class UpstreamError(ConnectionError):
    """The upstream broke off (the proxy answers 502)."""

    def __init__(self, message: str, *, before_response: bool = False) -> None:
        super().__init__(message)
        self.before_response = before_response


class UpstreamUnreachableError(UpstreamError):
    """No connection to the upstream could be made: it is down or restarting (the proxy answers 503, try again)."""


class UpstreamTimeoutError(TimeoutError):
    """The upstream sent nothing for the read timeout (the proxy answers 504)."""


class UpstreamResponse:
    """Status and headers as soon as they are parsed; the body as it arrives (held up to ``_HIGH_WATER``)."""

    def __init__(self, connection: _Connection, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self._connection: _Connection | None = connection
        self.status = status
        self.headers = headers
        self._chunks: collections.deque[bytes] = collections.deque()
        self._held = 0
        self._complete = False
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None

    def whole_body(self) -> bytes | None:
        """The body in one piece when all of it has already arrived (the common, small case); else None."""
        if not self._complete:
            return None
        body = b"".join(self._chunks)
        self._chunks.clear()
        return body

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            if self._chunks:
                chunk = self._chunks.popleft()
                self._held -= len(chunk)
                if self._connection is not None and self._held < _LOW_WATER:
                    self._connection.resume()
                yield chunk
            elif self._complete:
                return
            elif self._error is not None:
                raise self._error
            else:
                self._waiter = asyncio.get_running_loop().create_future()
                await self._waiter

    def close(self) -> None:
        """Done with it: a connection still carrying this body is closed (it cannot be reused mid-message)."""
        if not self._complete and self._connection is not None:
            self._connection.abort()
        self._connection = None

    # -- fed by the connection --------------------------------------------------------------------------------
    def _feed(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._held += len(chunk)
        if self._held > _HIGH_WATER and self._connection is not None:
            self._connection.pause()
        self._wake()

    def _finish(self) -> None:
        self._complete = True
        self._connection = None
        self._wake()

    def _fail(self, error: BaseException) -> None:
        self._error = error
        self._connection = None
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one request at a time; back to its pool when the answer's last byte is in."""

    def __init__(self, pool: UpstreamPool) -> None:
        self.pool = pool
        self.loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.reused = False
        self.idle_since = 0.0
        self._headers: list[tuple[bytes, bytes]] = []
        self._until_close = False
        self._interim = False
        self._started: asyncio.Future[UpstreamResponse] | None = None
        self._response: UpstreamResponse | None = None
        self._paused = False
        self._timeout = 0.0
        self._last_read = 0.0
        self._timer: asyncio.TimerHandle | None = None

    async def send(self, request: bytes, read_timeout_s: float) -> UpstreamResponse:
        if self.closed or self.transport is None:
            raise UpstreamError("the upstream closed the connection", before_response=True)
        self._started = self.loop.create_future()
        self._response = None
        self._timeout = read_timeout_s
        self._last_read = self.loop.time()
        self._timer = self.loop.call_later(read_timeout_s, self._check_timeout)
        self.transport.write(request)
        return await self._started

    def pause(self) -> None:
        if not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def resume(self) -> None:
        if self._paused and self.transport is not None and not self.closed:
            self._paused = False
            self._last_read = self.loop.time()
            self.transport.resume_reading()

    def abort(self) -> None:
        self._end(UpstreamError("the response was abandoned"))
        if self.transport is not None:
            self.transport.abort()

    # -- asyncio.Protocol -------------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._last_read = self.loop.time()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._end(UpstreamError(f"malformed response from the upstream: {exc}"))
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._response is not None and self._until_close:  # a body without a length ends with its connection
            self._stop_timer()
            self._response._finish()
            self._response = self._started = None
        self._end(UpstreamError("the upstream closed the connection", before_response=self._response is None))
        self.pool.discard(self)

    # -- httptools callbacks ----------------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._headers = []

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        self._interim = 100 <= status < 200  # 1xx (103 Early Hints...): the answer is still to come
        if self._interim:
            return
        response = UpstreamResponse(self, status, self._headers)
        self._until_close = status not in (204, 304) and not any(
            name == b"content-length" or (name == b"transfer-encoding" and b"chunked" in value.lower())
            for name, value in self._headers
        )
        self._response = response
        if self._started is not None and not self._started.done():
            self._started.set_result(response)

    def on_body(self, body: bytes) -> None:
        if self._response is not None:
            self._response._feed(body)

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        self._stop_timer()
        response, self._response, self._started = self._response, None, None
        if response is not None:
            response._finish()
        if self.parser.should_keep_alive() and not self.closed:
            self.resume()  # paused by this body's last bytes, perhaps: the next answer must be read
            self.pool.release(self)
        elif self.transport is not None:
            self.transport.close()

    # -- the read timeout and failures ------------------------------------------------------------------------
    def _check_timeout(self) -> None:
        waited = self.loop.time() - self._last_read
        if self._paused or waited < self._timeout:  # a slow client is not a slow upstream
            self._timer = self.loop.call_later(max(self._timeout - waited, 0.01), self._check_timeout)
            return
        self._timer = None
        self._end(UpstreamTimeoutError(f"no answer from the upstream in {self._timeout:g} s"))
        if self.transport is not None:
            self.transport.abort()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _end(self, error: BaseException) -> None:
        """Fail whatever is waiting on this connection: the request not yet answered, or a body not yet whole."""
        self._stop_timer()
        started, response = self._started, self._response
        self._started = self._response = None
        if started is not None and not started.done():
            started.set_exception(error)
        if response is not None:
            response._fail(error)


class UpstreamPool:
    """Keep-alive connections to one upstream (``http://host:port``), at most ``limit`` open at once."""

    def __init__(self, base: str, *, limit: int, connect_timeout_s: float = 5.0, idle_s: float = 30.0) -> None:
        url = urlsplit(base)
        secure = url.scheme == "https"
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or (443 if secure else 80)
        self.authority = url.netloc.encode("latin-1")  # the Host header the upstream is sent
        self._ssl = ssl.create_default_context() if secure else None
        self._limit = limit
        self._connect_timeout_s = connect_timeout_s
        self._idle_s = idle_s
        self._idle: list[_Connection] = []
        self._open = 0
        self._waiters: collections.deque[asyncio.Future[_Connection | None]] = collections.deque()

    async def request(self, method: str, request: bytes, *, read_timeout_s: float) -> UpstreamResponse:
        """Send ``request`` (head and body, as bytes) and return once the answer's head is in."""
        connection = await self._acquire()
        try:
            return await connection.send(request, read_timeout_s)
        except UpstreamError as exc:
            # A kept-alive connection the upstream had already closed: once more on a new one, if repeatable.
            if not (exc.before_response and connection.reused and method in _REPEATABLE):
                raise
        connection = await self._acquire(fresh=True)
        return await connection.send(request, read_timeout_s)

    def release(self, connection: _Connection) -> None:
        connection.reused = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        connection.idle_since = connection.loop.time()
        self._idle.append(connection)

    def discard(self, connection: _Connection) -> None:
        """A connection closed (by either side): it no longer counts, and someone waiting may open another."""
        if connection in self._idle:
            self._idle.remove(connection)
        self._open -= 1
        self._pass_slot()

    def _pass_slot(self) -> None:
        """Room for one more connection: the first still waiting opens it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def close(self) -> None:
        for connection in list(self._idle):
            if connection.transport is not None:
                connection.transport.close()
        self._idle.clear()

    async def _acquire(self, *, fresh: bool = False) -> _Connection:
        loop = asyncio.get_running_loop()
        while not fresh and self._idle:
            connection = self._idle.pop()  # the most recently used: the likeliest to be alive
            if not connection.closed and loop.time() - connection.idle_since < self._idle_s:
                return connection
            if connection.transport is not None:
                connection.transport.close()
        if self._open >= self._limit:
            waiter: asyncio.Future[_Connection | None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                handed = await waiter
            except asyncio.CancelledError:  # the client went while waiting: what it was handed goes to the next
                if waiter.done() and not waiter.cancelled() and (given := waiter.result()) is not None:
                    self.release(given)
                elif waiter.done() and not waiter.cancelled():
                    self._pass_slot()
                raise
            if handed is not None and not handed.closed:
                return handed
        return await self._connect()

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        self._open += 1
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(lambda: _Connection(self), self.host, self.port, ssl=self._ssl),
                self._connect_timeout_s,
            )
        except (OSError, TimeoutError) as exc:
            self._open -= 1
            msg = f"cannot connect to {self.host}:{self.port}: {exc}"
            raise UpstreamUnreachableError(msg, before_response=True) from exc
        return connection
