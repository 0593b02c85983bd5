"""A minimal upstream for measuring the gateway's own capacity: answers every request with a small JSON body.

Used only by `make bench`, so that the gateway, not orgtree and PostgreSQL, is what saturates.
"""

from __future__ import annotations

from typing import Any

BODY = b'{"items":[],"total":0}'


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": BODY})
