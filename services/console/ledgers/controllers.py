"""党代表工作室台账 (``/console/ledgers``): the delegates' and studios' tracking ledger (DSP-30, [001/SZ-28]) with its
dashboard (the share of the period's opinions forwarded and answered), an opinion's page with its next step's form
(forward, answer, feedback, the delegate's evaluation), and 群众评议 (``/scores``): the served people's four scores
averaged per handling department for a period, with its .xlsx (DSP-19, [001/SZ-29])."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.ledgers.sheet import FILE_NAME, cell, scores_table, scores_workbook
from services.console.ledgers.words import CHANNELS, EVALUATIONS, KINDS, NEXT, READERS, STALE, STATUSES, refusal
from services.console.proposals.words import percent, period, today
from services.console.reports.controllers import say
from services.console.reports.workbook import XLSX
from services.console.web import AnyRequest, NavEntry, page, signed_in
from shared.storage.content import content_disposition

HOME = "/console/ledgers"
API = "/api/dispatch/ledgers"
NAV = [NavEntry(HOME, N_("Delegate ledgers"), READERS), NavEntry(f"{HOME}/scores", N_("Requester scores"), READERS)]
CREATE_FIELDS = ("collectorId", "channel", "summary", "details", "collectedOn")
Day = Annotated[str, QueryParameter(max_length=20)]
WORDS: dict[str, Any] = {
    "statuses": STATUSES,
    "channels": CHANNELS,
    "evaluations": EVALUATIONS,
    "kinds": KINDS,
    "percent": percent,
}


def shown(request: AnyRequest, template: str, status_code: int = 200, **context: Any) -> Template:
    return page(request, template, status_code, **WORDS, **context)


class LedgerController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*READERS)

    @get("/")
    async def ledger(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        first: Annotated[str, QueryParameter(name="from", max_length=20)] = "",
        last: Annotated[str, QueryParameter(name="to", max_length=20)] = "",
        status: Day = "",
        collector: Annotated[UUID | None, QueryParameter(name="collector")] = None,
    ) -> Template:
        start, end, errors = period(request, first, last)
        status = status if status in STATUSES else ""
        board = await api.get(f"{API}/dashboard", **{"from": start, "to": end})
        chosen = {"status": status or None, "collectorId": str(collector) if collector else None}
        listed = await api.get(f"{API}/opinions", **{k: v for k, v in chosen.items() if v}, limit=100)
        return shown(
            request,
            "ledgers/ledger.html",
            422 if errors else 200,
            board=board,
            listed=listed,
            start=first.strip() or start,
            end=last.strip() or end,
            status=status,
            errors=errors,
        )

    async def _create_form(
        self, request: AnyRequest, api: Api, draft: dict[str, str], errors: FormErrors, status: int = 200
    ) -> Template:
        collectors = await api.get(f"{API}/collectors")
        return shown(request, "ledgers/new.html", status, draft=draft, errors=errors, collectors=collectors)

    @get("/opinions/new")
    async def new(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        draft = {"collectedOn": today(request).isoformat(), "channel": "visit"}
        return await self._create_form(request, api, draft, FormErrors())

    @post("/opinions")
    async def create(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        draft = await read_form(request)
        body = {name: draft.get(name, "").strip() for name in CREATE_FIELDS}
        body["collectedOn"] = body["collectedOn"] or None  # type: ignore[assignment]
        missing = {name: "" for name in ("collectorId", "summary") if not body[name]}
        try:
            if missing:
                raise ApiError(422, "missing", missing)
            made = await api.post(f"{API}/opinions", body)
        except ApiError as refused:
            if refused.status not in (404, 422):
                raise
            return await self._create_form(request, api, draft, refusal(refused, CREATE_FIELDS), 422)
        return Redirect(f"{HOME}/opinions/{made['id']}", status_code=303)

    async def _opinion(
        self,
        request: AnyRequest,
        api: Api,
        opinion_id: UUID,
        status: int = 200,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
    ) -> Template:
        opinion = await api.get(f"{API}/opinions/{opinion_id}")
        step = NEXT.get(opinion["status"])
        return shown(
            request,
            "ledgers/opinion.html",
            status,
            o=opinion,
            step=step[0] if step else None,
            errors=errors or FormErrors(),
            typed=typed or {"on": today(request).isoformat()},
        )

    @get("/opinions/{opinion_id:uuid}")
    async def opinion(self, request: AnyRequest, api: NamedDependency[Api], opinion_id: FromPath[UUID]) -> Template:
        return await self._opinion(request, api, opinion_id)

    @post("/opinions/{opinion_id:uuid}/next")
    async def advance(
        self, request: AnyRequest, api: NamedDependency[Api], opinion_id: FromPath[UUID]
    ) -> Template | Redirect:
        """The opinion's next step, as the page offered it (``stage``: the status it was in)."""
        typed = await read_form(request)
        stage = NEXT.get(typed.get("stage", ""))
        if stage is None:
            return await self._opinion(request, api, opinion_id, 409, FormErrors(form=STALE))
        step, names = stage
        body: dict[str, Any] = {name: typed.get(name, "").strip() or None for name in names}
        try:
            await api.post(f"{API}/opinions/{opinion_id}/{step}", body)
        except ApiError as refused:
            if refused.status not in (409, 422):
                raise
            return await self._opinion(request, api, opinion_id, refused.status, refusal(refused, names), typed)
        return Redirect(f"{HOME}/opinions/{opinion_id}", status_code=303)

    @get("/scores")
    async def scores(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        first: Annotated[str, QueryParameter(name="from", max_length=20)] = "",
        last: Annotated[str, QueryParameter(name="to", max_length=20)] = "",
    ) -> Template:
        start, end, errors = period(request, first, last)
        report = await api.get(f"{API}/scores", **{"from": start, "to": end})
        return shown(
            request,
            "ledgers/scores.html",
            422 if errors else 200,
            report=report,
            table=scores_table(report, say(request)),
            cell=cell,
            start=first.strip() or start,
            end=last.strip() or end,
            errors=errors,
        )

    @get("/scores.xlsx")
    async def scores_sheet(
        self,
        request: AnyRequest,
        api: NamedDependency[Api],
        first: Annotated[str, QueryParameter(name="from", max_length=20)] = "",
        last: Annotated[str, QueryParameter(name="to", max_length=20)] = "",
    ) -> Response[bytes]:
        start, end, _ = period(request, first, last)
        report = await api.get(f"{API}/scores", **{"from": start, "to": end})
        words = say(request)
        return Response(
            content=scores_workbook(report, words),
            media_type=XLSX,
            headers={"content-disposition": content_disposition(f"{words(FILE_NAME)}-{start}-{end}.xlsx")},
        )


CONTROLLERS = [LedgerController]
