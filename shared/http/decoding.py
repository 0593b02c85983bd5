"""Strict JSON request bodies: ``"points": "5"`` is a 422 naming ``body.points``, not five points.

Litestar decodes a body to plain objects and then converts them to the handler's ``data`` type with
``msgspec.convert(..., strict=False)`` (``litestar/_signature/model.py``), which turns the strings ``"5"`` and
``"false"`` into a number and a boolean. ``StrictRequest.json()`` instead decodes the body straight into that
type with ``strict=True``; the conversion that follows passes the typed value through unchanged. Only the body
is affected: query and path parameters are strings on the wire and keep Litestar's conversion, and nothing
here changes the API description.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.types import Empty

_PATH = re.compile(r" - at `\$\.?(.*)`$")
_decoders: weakref.WeakKeyDictionary[BaseRouteHandler, msgspec.json.Decoder[Any] | None] = weakref.WeakKeyDictionary()


def body_decoder(handler: BaseRouteHandler) -> msgspec.json.Decoder[Any] | None:
    """The strict decoder of ``handler``'s body type, or ``None`` where the body needs no typed decoding
    (no ``data`` parameter, a DTO's, or ``Any``). Built once per handler."""
    if handler not in _decoders:
        field = handler.parsed_data_field
        annotation = None if field is None or handler.resolve_data_dto() is not None else field.annotation
        _decoders[handler] = (
            None
            if annotation is None or annotation is Any
            else msgspec.json.Decoder(annotation, strict=True, dec_hook=handler.default_deserializer)
        )
    return _decoders[handler]


def body_error(request: Request[Any, Any, Any], error: msgspec.ValidationError) -> ValidationException:
    """The error in the shape of Litestar's own body validation, so problems.py names ``body.<field>``."""
    message = str(error)
    at = _PATH.search(message)
    key = (at.group(1) or "data") if at else "data"  # "data": the body as a whole
    return ValidationException(
        detail=f"Validation failed for {request.method} {request.url.path}",
        extra=[{"message": message[: at.start()] if at else message, "key": key, "source": "body"}],
    )


class StrictRequest(Request[Any, Any, Any]):
    """The request class of every Redcell app (``build_app``)."""

    async def json(self) -> Any:
        if self._json is Empty and self._connection_state.json is Empty:
            decoder = body_decoder(self.route_handler)
            if decoder is not None:
                try:
                    value = decoder.decode(await self.body() or b"null")
                except msgspec.ValidationError as error:
                    raise body_error(self, error) from error
                except msgspec.DecodeError:
                    return await super().json()  # malformed JSON: Litestar's own answer (400)
                self._json = self._connection_state.json = value
        return await super().json()
