"""What each part of a ticket's page shows, read from the APIs with the user's token, all at once.

A part is a piece of the page that is rendered alone too (after an action, or when the live stream says the
ticket changed): ``header`` (facts, clocks), ``timeline`` (history), ``routing`` (offers and their reasons,
reassign), ``extensions``, ``escalation`` (ladder, referral notices), ``closure`` (feedback, callback, close)
and ``reveal``. ``load(api, ticket_id, parts)`` reads only what the parts named need. Operators' parts are
read only for operators (the APIs refuse the others), so a cadre's page shows the rest.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from services.console.api import Api, ApiError
from services.console.desk.queue import LOOKUPS_FOR_PAGES
from services.console.tickets import labels

PARTS = ("header", "timeline", "routing", "extensions", "escalation", "closure", "reveal")
OPERATORS = ("district_admin", "hotline_operator", "hotline_supervisor")
MAY_WAIVE = ("district_admin", "hotline_supervisor")
STAFF = (*OPERATORS, "street_admin", "community_cadre", "grid_leader")
OPEN = ("new", "routing", "assigned", "on_site")
ROUTABLE = ("new", "routing")
SIGNED = ("assigned", "on_site")
WORKED = ("on_site", "resolved", "closed")  # a photo of the work can exist from arrival on
_KEEP_S = 60.0
NOON = clock_time(12)
PROVIDER_ACTIONS = ("accepted", "declined", "offer_expired", "offer_withdrawn", "returned", "provider_left")
WAIVER_REASONS = "/api/dispatch/closure/waiver-reasons"


class Reference:
    """The district's reference data (catalogue, ladder, waiver reasons): it changes rarely, kept a minute."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str], tuple[float, Any]] = {}

    async def get(self, api: Api, path: str) -> Any:
        key = (api.user.district or "", path)
        held = self._held.get(key)
        if held and held[0] > time.monotonic():
            return held[1]
        value = await api.get(path)
        self._held[key] = (time.monotonic() + _KEEP_S, value)
        return value


REFERENCE = Reference()


@dataclass(frozen=True)
class Note:
    """One line a history row's details add, as a catalogue id and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    at: str
    action: str
    actor: str | None
    from_status: str | None
    to_status: str | None
    reason: str | None
    warning: str | None
    notes: list[Note]


@dataclass(frozen=True)
class Clock:
    kind: str
    due_at: str
    minutes_left: int


def minutes_left(due_at: str) -> int:
    return int((datetime.fromisoformat(due_at) - datetime.now(UTC)).total_seconds() // 60)


def running_clocks(deadlines: list[dict[str, Any]]) -> list[Clock]:
    running = [d for d in deadlines if d["state"] == "running"]
    return [Clock(d["kind"], d["dueAt"], minutes_left(d["dueAt"])) for d in sorted(running, key=lambda d: d["dueAt"])]


def at_noon(day: str, fmt: Any) -> datetime:
    """A completion date, read at noon in the district so that no time zone moves it to another day."""
    return datetime.combine(date.fromisoformat(day), NOON, fmt.zone)


def _names(catalogue: list[dict[str, Any]], ticket: dict[str, Any]) -> tuple[str, str]:
    category = next((c for c in catalogue if c["id"] == ticket.get("categoryId")), None)
    if category is None:
        return "", ""
    item = next((i for i in category["items"] if i["id"] == ticket.get("itemId")), None)
    return category["name"], item["name"] if item else ""


def notes_of(row: dict[str, Any], providers: dict[str, str], fmt: Any) -> list[Note]:
    """What the row's details say, in words (names, not ids)."""
    action, details = row["action"], row.get("details") or {}

    def who(provider_id: Any) -> str:
        return providers.get(str(provider_id), "") or "—"  # a role that may not read the providers

    notes: list[Note] = []
    if action == "dispatched":
        offered = "、".join(who(o.get("provider")) for o in details.get("offers", []))
        notes.append(Note(labels.OFFERED_TO, {"names": offered}))
        if details.get("trigger") == "manual":
            notes.append(Note(labels.BY_OPERATOR_CHOICE))
    elif details.get("provider") and action in PROVIDER_ACTIONS:
        notes.append(Note(labels.PROVIDER, {"name": who(details["provider"])}))
    elif action == "feedback":
        notes.append(Note(labels.SATISFIED if details.get("satisfied") else labels.NOT_SATISFIED))
        if details.get("via") in labels.FEEDBACK_VIA:
            notes.append(Note(labels.FEEDBACK_VIA[details["via"]]))
    elif action == "callback" and details.get("outcome") in labels.CALLBACK_OUTCOMES:
        notes.append(Note(labels.CALLBACK_OUTCOMES[details["outcome"]]))
    elif action == "escalated":
        notes.append(Note(labels.TO_RUNG, {"rung": details.get("levelName") or row.get("toLevel")}))
        if details.get("automatic"):
            notes.append(Note(labels.AUTOMATIC))
    elif action in ("extension_requested", "extension_approved") and details.get("newDueAt"):
        asked = labels.ASKED_DUE if action == "extension_requested" else labels.NEW_DUE
        notes.append(Note(asked, {"when": fmt.when(details["newDueAt"])}))
    elif action == "referral_issued":
        day = fmt.day(at_noon(details["dueOn"], fmt)) if details.get("dueOn") else ""
        notes.append(Note(labels.REFERRAL, {"number": details.get("number", ""), "day": day}))
    elif action == "resolved" and details.get("serviceMinutes"):
        notes.append(Note(labels.SERVICE_MINUTES, {"minutes": int(details["serviceMinutes"])}))
    elif action == "points_reversed" and details.get("points"):
        notes.append(Note(labels.POINTS_TAKEN, {"points": int(details["points"])}))
    elif action == "arrived" and details.get("late"):
        notes.append(Note(labels.LATE))
    return notes


def timeline(history: list[dict[str, Any]], providers: dict[str, str], fmt: Any) -> list[Entry]:
    """Newest first: the desk reads what happened last before anything else."""
    return [
        Entry(
            at=row["at"],
            action=labels.ACTIONS.get(row["action"], row["action"]),
            actor=row.get("actorName"),
            from_status=row.get("fromStatus"),
            to_status=row.get("toStatus"),
            reason=row.get("reason"),
            warning=(row.get("details") or {}).get("warning") if row["action"] == "warned" else None,
            notes=notes_of(row, providers, fmt),
        )
        for row in reversed(history)
    ]


async def provider_names(api: Api, ids: set[str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Names of the providers ``ids`` (offers carry ids only), and the district's active providers to choose
    from when reassigning."""
    active = (await api.get("/api/dispatch/providers", active="true", limit=200))["items"]
    names = {p["id"]: p["name"] for p in active}
    missing = [i for i in ids if i not in names]

    async def one(provider_id: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = await api.get(f"/api/dispatch/providers/{provider_id}")
        except ApiError as refused:
            if refused.status != 404:
                raise
            return None
        return found

    for found in await asyncio.gather(*(one(i) for i in missing)):
        if found is not None:
            names[found["id"]] = found["name"]
    return names, active


def _offered_ids(history: list[dict[str, Any]], offers: list[dict[str, Any]]) -> set[str]:
    ids = {o["providerId"] for o in offers}
    for row in history:
        details = row.get("details") or {}
        ids |= {str(o["provider"]) for o in details.get("offers", []) if o.get("provider")}
        if details.get("provider"):
            ids.add(str(details["provider"]))
    return ids


def choices(offers: list[dict[str, Any]], active: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who may be chosen when reassigning: the candidates routing ranked first (best rank first), then the
    district's other active providers, on duty before off duty."""
    rank: dict[str, int] = {}
    for offer in offers:
        rank.setdefault(offer["providerId"], offer["rank"])
    ranked = sorted((p for p in active if p["id"] in rank), key=lambda p: rank[p["id"]])
    others = sorted((p for p in active if p["id"] not in rank), key=lambda p: (not p["onDuty"], p["name"]))
    return ranked + others


async def _maybe(call: Callable[[], Awaitable[Any]], when: bool, default: Any) -> Any:
    return await call() if when else default


async def load(api: Api, ticket_id: str, parts: tuple[str, ...] | list[str], fmt: Any) -> dict[str, Any]:
    """The context of the ``parts`` of one ticket's page; the API's 404 (another district's) propagates."""
    user = api.user
    operator, wanted = user.has_role(*OPERATORS), set(parts)
    base = f"/api/dispatch/tickets/{ticket_id}"
    ticket = await api.get(base)
    grid_ids = {ticket["gridId"]} if ticket.get("gridId") else set()
    header, timeline_, routing = "header" in wanted, "timeline" in wanted, "routing" in wanted
    escalation, closure_ = "escalation" in wanted, "closure" in wanted
    read = await asyncio.gather(
        _maybe(lambda: api.get(f"{base}/history"), timeline_, []),
        _maybe(lambda: api.get(f"{base}/deadlines"), header, []),
        _maybe(lambda: REFERENCE.get(api, "/api/dispatch/catalogue"), header, []),
        _maybe(lambda: LOOKUPS_FOR_PAGES.grids(api, grid_ids), header, {}),
        _maybe(lambda: api.get(f"{base}/offers"), operator and (routing or timeline_), []),
        _maybe(lambda: api.get(f"{base}/extensions"), "extensions" in wanted, []),
        _maybe(lambda: api.get(f"{base}/escalations"), escalation, None),
        _maybe(lambda: REFERENCE.get(api, "/api/dispatch/ladder"), escalation, []),
        _maybe(lambda: api.get(f"{base}/referrals"), escalation, []),
        _maybe(lambda: api.get(f"{base}/closure"), closure_, None),
        _maybe(lambda: REFERENCE.get(api, WAIVER_REASONS), closure_ and user.has_role(*MAY_WAIVE), []),
        _maybe(lambda: api.get(f"{base}/evidence"), header and ticket["status"] in WORKED, []),
    )
    history, deadlines, catalogue, grids, offers, extensions, path, ladder, referrals, closure, waivers, photos = read
    names: dict[str, str] = {}
    active: list[dict[str, Any]] = []
    if operator and (timeline_ or routing):
        names, active = await provider_names(api, _offered_ids(history, offers))
    context: dict[str, Any] = {
        "ticket": ticket,
        "operator": operator,
        "may_waive": user.has_role(*MAY_WAIVE),
        "is_open": ticket["status"] in OPEN,
    }
    if "header" in wanted:
        category, item = _names(catalogue, ticket)
        context |= {
            "category": category,
            "item": item,
            "grid": grids.get(ticket.get("gridId") or "", ""),
            "deadlines": deadlines,
            "clocks": running_clocks(deadlines),
            "photos": photos,
        }
    if "timeline" in wanted:
        context["entries"] = timeline(history, names, fmt)
    if "routing" in wanted:
        context |= {
            "offers": [o | {"providerName": names.get(o["providerId"], "")} for o in offers],
            "choices": choices(offers, active),
            "routable": ticket["status"] in ROUTABLE,
        }
    if "extensions" in wanted:
        context["extensions"] = extensions
    if "escalation" in wanted:
        level = int(ticket["level"])
        context |= {
            "ladder_path": path,  # not "path": the layout reads that as the page address
            "rung": next((r for r in ladder if r["rank"] == level), None),
            "next_rung": next((r for r in ladder if r["rank"] == level + 1), None),
            "referrals": [
                r | {"dueOnAt": datetime.combine(date.fromisoformat(r["dueOn"]), NOON, fmt.zone)} for r in referrals
            ],
        }
    if "closure" in wanted:
        context |= {"closure": closure, "waivers": waivers}
    return context
