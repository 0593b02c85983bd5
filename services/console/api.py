"""Calling the platform's APIs through the gateway with the signed-in user's own token.

One pooled ``httpx.AsyncClient`` per process (opened in the app's lifespan). A handler asks for
``api: NamedDependency[Api]`` and calls ``await api.get("/api/dispatch/tickets", params=...)``: the token is
renewed before it expires and once more if the API answers 401; problem+json answers become ``ApiError``
(status, detail, field errors), which a form shows beside its fields and the app's error pages show otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.console.session import SignedIn, SignedOutError, TokenPair, TokenStore
from services.console.timing import api_call
from shared.auth.frontend import HEADER as FRONTEND_HEADER
from shared.context import current_request_id


class ApiError(Exception):
    """A refusal or failure of an API, as its problem+json said."""

    def __init__(
        self, status: int, detail: str, fields: dict[str, str] | None = None, body: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.fields = fields or {}  # field name as the API spells it (``title``, ``tenant``) -> its message
        self.body = body or {}  # the whole problem+json, for answers that say more (a login's ``districts``)


class UnreachableError(Exception):
    """The gateway did not answer."""


def api_error(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    fields = {}
    for item in body.get("errors") or []:
        if isinstance(item, dict) and item.get("field"):
            # ``body.gridId`` / ``query.after``: the form knows the field by its last part
            fields[str(item["field"]).rsplit(".", 1)[-1]] = str(item.get("message", ""))
    return ApiError(response.status_code, str(body.get("detail") or response.reason_phrase), fields, body)


def _headers(token: str | None = None) -> dict[str, str]:
    headers = {"accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request_id = current_request_id.get()
    if request_id:
        headers["x-request-id"] = request_id  # one id from the browser's request through every service
    return headers


class Gateway:
    """The process's connection pool to the gateway, and the calls made for someone without a token: identity
    (sign-in, renewal) and the public routes a resident's page uses (``public()``)."""

    def __init__(self, base_url: str, timeout_s: float, frontend_key: str | None = None) -> None:
        # Calls without a token say they come from the console, which counted its browsers per client address
        # itself (the gateway counts POST /console/sign-in and /console/r/... per address): shared/auth/frontend.py
        self.credential_headers = {FRONTEND_HEADER: frontend_key} if frontend_key else {}
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s, connect=5.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def request(
        self, method: str, path: str, token: str | None = None, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        try:
            with api_call():
                return await self.http.request(method, path, headers={**_headers(token), **(headers or {})}, **kwargs)
        except httpx.TransportError as exc:
            raise UnreachableError(str(exc)) from exc

    async def login(self, body: dict[str, str]) -> dict[str, Any]:
        """The gateway's token answer (``accessToken``, ``refreshToken``, ``expiresIn``, ``tenant``)."""
        response = await self.request("POST", "/auth/login", json=body, headers=self.credential_headers)
        if response.status_code != 200:
            raise api_error(response)
        answer: dict[str, Any] = response.json()
        return answer

    async def choose_district(self, ticket: str, slug: str) -> dict[str, Any]:
        """The token answer for a login of several districts: the district chosen, with the ticket the login's
        422 gave (it stands for the password and one-time code, once)."""
        body = {"districtTicket": ticket, "tenant": slug}
        response = await self.request("POST", "/auth/login/district", json=body, headers=self.credential_headers)
        if response.status_code != 200:
            raise api_error(response)
        answer: dict[str, Any] = response.json()
        return answer

    async def public(
        self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """A public route (``/api/dispatch/public/...``, ``/public/...``) for someone without an account: marked
        as the console's, so the gateway does not count every resident together against the console's address."""
        return await self.request(method, path, headers={**(headers or {}), **self.credential_headers}, **kwargs)

    async def renew(self, refresh_token: str) -> TokenPair:
        response = await self.request(
            "POST", "/auth/refresh", json={"refreshToken": refresh_token}, headers=self.credential_headers
        )
        if response.status_code != 200:
            raise SignedOutError
        return TokenPair.issued(response.json())

    async def logout(self, refresh_token: str) -> None:
        await self.request("POST", "/auth/logout", json={"refreshToken": refresh_token})


class Api:
    """The APIs as the signed-in user: one per request (``api`` dependency)."""

    def __init__(self, gateway: Gateway, tokens: TokenStore, user: SignedIn) -> None:
        self.gateway = gateway
        self.tokens = tokens
        self.user = user

    async def _token(self, *, stale: str = "") -> str:
        return await self.tokens.access(self.user.key, self.gateway.renew, force=bool(stale), stale=stale)

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The answer's JSON (None for 204); ``ApiError`` for 4xx/5xx, ``SignedOutError`` when renewal fails."""
        token = await self._token()
        response = await self.gateway.request(method, path, token, **kwargs)
        if response.status_code == 401:  # expired early (a key rotation, a clock): renew once and retry
            response = await self.gateway.request(method, path, await self._token(stale=token), **kwargs)
            if response.status_code == 401:
                raise SignedOutError
        if response.status_code >= 400:
            raise api_error(response)
        return response.json() if response.content else None

    async def get(self, path: str, **params: Any) -> Any:
        return await self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def content(self, path: str) -> tuple[bytes, str]:
        """A file the API serves (a photo, a spreadsheet): its bytes and content type; errors as ``call``."""
        token = await self._token()
        response = await self.gateway.request("GET", path, token)
        if response.status_code == 401:
            response = await self.gateway.request("GET", path, await self._token(stale=token))
            if response.status_code == 401:
                raise SignedOutError
        if response.status_code >= 400:
            raise api_error(response)
        return response.content, response.headers.get("content-type", "application/octet-stream")

    async def post(self, path: str, body: Any) -> Any:
        return await self.call("POST", path, json=body)

    @asynccontextmanager
    async def stream(self, path: str, last_event_id: str | None = None) -> AsyncIterator[httpx.Response]:
        """An open server-sent-event response (read timeout off: the service sends heartbeats)."""
        headers = {**_headers(await self._token()), "accept": "text/event-stream"}
        if last_event_id:
            headers["last-event-id"] = last_event_id
        request = self.gateway.http.build_request(
            "GET", path, headers=headers, timeout=httpx.Timeout(None, connect=5.0)
        )
        try:
            response = await self.gateway.http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise UnreachableError(str(exc)) from exc
        try:
            if response.status_code == 401:
                raise SignedOutError
            if response.status_code >= 400:
                await response.aread()
                raise api_error(response)
            yield response
        finally:
            await response.aclose()
