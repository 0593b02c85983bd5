"""What the people forms share: the fields typed, orgtree's refusals said beside them, the reveal request."""

from __future__ import annotations

from typing import Any

from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.people.words import conflict, refusal

REVEAL_FIELDS = ("field", "purpose")


def given(typed: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    """The fields typed, trimmed; empty ones left out (orgtree's defaults apply, or nothing changes)."""
    return {name: typed[name].strip() for name in names if typed.get(name, "").strip()}


def require(body: dict[str, Any], required: tuple[str, ...]) -> None:
    """Empty required fields, said beside each at once (orgtree would name them one by one)."""
    empty = {name: "" for name in required if name not in body}
    if empty:
        raise ApiError(422, "missing", empty)


def said(refused: ApiError, shown: tuple[str, ...], typed: dict[str, str], unit_field: str = "") -> FormErrors:
    """Orgtree's refusal beside the form's fields: a 409 in words, a 422 by field and, when the form chooses a
    unit (``unit_field``), a 404 as that unit (one outside the user's scope). Anything else is raised again,
    for the error pages."""
    if refused.status == 409:
        return conflict(refused)
    if refused.status == 404 and unit_field:
        return refusal(ApiError(422, refused.detail, {unit_field: ""}), shown, typed)
    if refused.status != 422:
        raise refused
    return refusal(refused, shown, typed)


async def reveal(api: Api, path: str, typed: dict[str, str], fields: dict[str, str]) -> dict[str, str]:
    """The clear value of one of ``fields``, for the purpose typed (orgtree audits it); refusals as ``ApiError``."""
    body = {name: typed.get(name, "").strip() for name in REVEAL_FIELDS}
    if body["field"] not in fields:
        raise ApiError(422, "field", {"field": ""})
    shown: dict[str, str] = await api.post(path, body)
    return shown
