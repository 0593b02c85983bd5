"""党员提案 (``/console/proposals``): the member proposal box (DSP-29, [001/SZ-24]). The box's page shows the closure
rate per community or street for a period and the proposals; a proposal is recorded from the box (one member, or
several jointly), classified, discussed in a seminar, sent up a tier when the community cannot solve it, and
closed. Dispatch judges; its refusals are shown beside the field in the catalogue's words."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.proposals.words import (
    ACTIONS,
    CATEGORIES,
    READERS,
    STATUSES,
    TIERS,
    UNITS,
    percent,
    period,
    refusal,
    today,
)
from services.console.web import AnyRequest, NavEntry, page, signed_in

HOME = "/console/proposals"
API = "/api/dispatch/proposals"
NAV = [NavEntry(HOME, N_("Member proposal box"), READERS)]
FILE_FIELDS = ("title", "content", "proposerMemberIds", "communityId", "filedOn")
# each step's form: the fields it shows
STEPS: dict[str, tuple[str, ...]] = {
    "classify": ("category",),
    "seminars": ("heldOn", "attendees", "conclusion"),
    "escalate": ("reason",),
    "close": ("note", "closedOn"),
}
Text = Annotated[str, QueryParameter(max_length=20)]
WORDS: dict[str, Any] = {
    "statuses": STATUSES,
    "tiers": TIERS,
    "actions": ACTIONS,
    "categories": CATEGORIES,
    "units": UNITS,
    "percent": percent,
}


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, **WORDS, **context)


class ProposalController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def box(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        first: Annotated[str, QueryParameter(name="from", max_length=20)] = "",
        last: Annotated[str, QueryParameter(name="to", max_length=20)] = "",
        by: Text = "community",
        status: Text = "",
    ) -> Template:
        """The closure rate of the period's proposals per unit, and the proposals newest filed first."""
        start, end, errors = period(request, first, last)
        by = by if by in UNITS else "community"
        status = status if status in STATUSES else ""
        report = await api.get(f"{API}/report", **{"from": start, "to": end, "by": by})
        listed = await api.get(API, **({"status": status} if status else {}), limit=100)
        return shown(
            request,
            "proposals/box.html",
            422 if errors else 200,
            report=report,
            listed=listed,
            start=first.strip() or start,
            end=last.strip() or end,
            by=by,
            status=status,
            errors=errors,
        )

    async def _file_form(
        self, request: AnyRequest, api: Api, draft: dict[str, Any], errors: FormErrors, status: int = 200
    ) -> Template:
        communities = [
            {"id": c["id"], "name": f"{c['streetName']} · {c['name']}" if c["streetName"] else c["name"]}
            for c in await api.get(f"{API}/communities")
        ]
        members = await api.get(f"{API}/proposers")
        return shown(
            request, "proposals/file.html", status, draft=draft, errors=errors, communities=communities, members=members
        )

    @get("/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._file_form(
            request, api, {"filedOn": today(request).isoformat(), "proposers": []}, FormErrors()
        )

    @post("/")
    async def file(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        form = await request.form()
        draft: dict[str, Any] = {k: str(v).strip() for k, v in form.items() if k != "_csrf_token"}
        draft["proposers"] = [str(v) for v in form.getall("proposers", [])]
        body = {
            "title": draft.get("title", ""),
            "content": draft.get("content", ""),
            "proposerMemberIds": draft["proposers"],
            "communityId": draft.get("communityId", ""),
            "filedOn": draft.get("filedOn") or None,
        }
        missing = {name: "" for name in ("title", "communityId") if not body[name]}
        if not draft["proposers"]:
            missing["proposerMemberIds"] = ""
        try:
            if missing:  # said beside each empty choice at once
                raise ApiError(422, "missing", missing)
            made = await api.post(API, body)
        except ApiError as refused:
            if refused.status not in (404, 409, 422):
                raise
            return await self._file_form(request, api, draft, refusal(refused, FILE_FIELDS), 422)
        return Redirect(f"{HOME}/{made['id']}", status_code=303)

    async def _proposal(
        self,
        request: AnyRequest,
        api: Api,
        proposal_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
        step: str = "",
    ) -> Template:
        proposal = await api.get(f"{API}/{proposal_id}")
        return shown(
            request,
            "proposals/proposal.html",
            status,
            p=proposal,
            errors=errors or FormErrors(),
            typed=typed or {"heldOn": today(request).isoformat()},
            step=step,
        )

    @get("/{proposal_id:uuid}")
    async def proposal(self, request: AnyRequest, api: NamedDependency[Api], proposal_id: FromPath[UUID]) -> Template:
        return await self._proposal(request, api, proposal_id)

    @post("/{proposal_id:uuid}/{step:str}")
    async def act(
        self, request: AnyRequest, api: NamedDependency[Api], proposal_id: FromPath[UUID], step: FromPath[str]
    ) -> Template | Redirect:
        """One step of the proposal's handling (classify, seminar, escalate, close)."""
        if step not in STEPS:
            raise NotFoundException()
        typed = await read_form(request)
        body: dict[str, Any] = {name: typed.get(name, "").strip() for name in STEPS[step]}
        if "attendees" in body:
            body["attendees"] = [n.strip() for n in body["attendees"].replace("，", ",").split(",") if n.strip()]
        if "closedOn" in body:
            body["closedOn"] = body["closedOn"] or None
        try:
            await api.post(f"{API}/{proposal_id}/{step}", body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            errors = refusal(refused, STEPS[step])
            return await self._proposal(request, api, proposal_id, refused.status, errors, typed, step)
        return Redirect(f"{HOME}/{proposal_id}", status_code=303)


CONTROLLERS = [ProposalController]
