"""Strict JSON bodies (shared/http/decoding.py): a number or boolean sent as a string is a 422 naming the field.

Query and path parameters are strings on the wire and keep Litestar's conversion.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest
from litestar import get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.testing import AsyncTestClient

from shared.components import components, resolve
from shared.http.app import build_app
from shared.http.decoding import body_decoder
from shared.settings import Settings
from tests.platform.tokens import TestIssuer


class Line(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    service_minutes: int


class Order(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    points: int
    satisfied: bool
    share: float = 1.0
    lines: list[Line] = []


placed: list[Order] = []


@post("/orders")
async def place(data: JSONBody[Order]) -> dict[str, int]:
    placed.append(data)
    return {"points": data.points}


@get("/orders/{number:int}")
async def show(
    number: FromPath[int],
    limit: Annotated[int, QueryParameter()] = 10,
    open_only: Annotated[bool, QueryParameter(name="openOnly")] = False,
) -> dict[str, Any]:
    return {"number": number, "limit": limit, "openOnly": open_only}


@pytest.fixture
async def client(settings: Settings, issuer: TestIssuer) -> Any:
    placed.clear()
    app = build_app(
        "kernel",
        [place, show],
        settings,
        title="strict",
        database=False,
        verifier=issuer.verifier(),
        public_prefixes=("/orders",),
    )
    async with AsyncTestClient(app) as test_client:
        yield test_client


def field_errors(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors: list[dict[str, str]] = response.json()["errors"]
    return errors


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"points": "5", "satisfied": True}, "body.points", "Expected `int`, got `str`"),
        ({"points": 5, "satisfied": "false"}, "body.satisfied", "Expected `bool`, got `str`"),
        ({"points": 5, "satisfied": True, "share": "0.5"}, "body.share", "Expected `float`, got `str`"),
        ({"points": 5, "satisfied": 0}, "body.satisfied", "Expected `bool`, got `int`"),
        (
            {"points": 5, "satisfied": True, "lines": [{"serviceMinutes": "30"}]},
            "body.lines[0].serviceMinutes",
            "Expected `int`, got `str`",
        ),
    ],
)
async def test_a_mistyped_field_is_a_422_naming_it_and_nothing_is_stored(
    client: AsyncTestClient[Any], body: dict[str, Any], field: str, message: str
) -> None:
    response = await client.post("/orders", json=body)
    assert field_errors(response) == [{"field": field, "message": message}]
    assert response.json()["detail"] == f"invalid value for {field}"
    assert placed == []


async def test_well_typed_bodies_are_decoded_as_before(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/orders", json={"points": 5, "satisfied": False, "share": 1, "lines": []})
    assert response.status_code == 201, response.text
    assert placed == [Order(points=5, satisfied=False, share=1.0)]


async def test_missing_unknown_and_whole_body_errors_keep_their_shape(client: AsyncTestClient[Any]) -> None:
    assert field_errors(await client.post("/orders", json={"satisfied": True})) == [
        {"field": "body.points", "message": "Object missing required field `points`"}
    ]
    assert field_errors(await client.post("/orders", json={"points": 1, "satisfied": True, "extra": 1})) == [
        {"field": "body.extra", "message": "Object contains unknown field `extra`"}
    ]
    assert field_errors(await client.post("/orders", json=[1, 2])) == [
        {"field": "body", "message": "Expected `object`, got `array`"}
    ]
    malformed = await client.post("/orders", content=b'{"points": 5,', headers={"content-type": "application/json"})
    assert malformed.status_code == 400, malformed.text
    assert placed == []


async def test_query_and_path_parameters_are_still_converted_from_their_strings(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/orders/7", params={"limit": "3", "openOnly": "true"})
    assert response.status_code == 200, response.text
    assert response.json() == {"number": 7, "limit": 3, "openOnly": True}


async def test_a_bad_query_parameter_is_named_as_the_api_names_it(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/orders/7", params={"openOnly": "maybe"})
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["query.openOnly"]  # not open_only
    assert "query.openOnly" in response.json()["detail"]


def test_every_body_of_every_component_has_a_strict_decoder() -> None:
    """Each component's handlers taking a JSON body get a strict decoder (a type msgspec cannot decode
    strictly would fail here, not on a request)."""
    bodies = 0
    for component in components().values():
        app: Any = resolve(component.app)()
        litestar_app = getattr(app, "app", app)  # the gateway wraps its Litestar app in a dispatcher
        for route in litestar_app.routes:
            for handler in getattr(route, "route_handlers", []):
                if handler.parsed_data_field is not None and handler.resolve_data_dto() is None:
                    decoder = body_decoder(handler)
                    assert decoder is not None, handler
                    bodies += 1
    assert bodies > 20
