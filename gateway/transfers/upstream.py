"""The gateway asks orgtree, as the signed-in admin (their own token), what only the district's orgtree knows: that
the member is theirs and not already leaving (and records the offer there), and that a branch is one of theirs."""

from __future__ import annotations

from typing import Any

import httpx
from litestar.datastructures import State

from gateway.proxy.settings import ProxySettings
from shared.http.problems import ProblemError

TIMEOUT_S = 10.0


async def ask_orgtree(state: State, method: str, path: str, authorization: str, body: Any = None) -> httpx.Response:
    proxy: ProxySettings = state.proxy_settings
    base = proxy.upstreams.get("orgtree", "")
    try:
        async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S) as client:
            return await client.request(method, path, json=body, headers={"authorization": authorization})
    except httpx.HTTPError as error:
        raise ProblemError(503, "the district's organisation service did not answer", title="Unavailable") from error


def refusal(response: httpx.Response) -> ProblemError:
    """orgtree's refusal passed on as it was (status, detail, fields); its 5xx as the gateway's 503."""
    if response.status_code >= 500:
        return ProblemError(503, "the district's organisation service did not answer", title="Unavailable")
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    detail = str(problem.get("detail") or "refused")
    return ProblemError(response.status_code, detail, errors=problem.get("errors") or None, title=problem.get("title"))
