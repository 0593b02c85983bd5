"""荣誉称号 (``/console/ratings/awards``, organisers): the titles awarded to units and members under their scope,
newest first, and the form to award one of the district's titles for a period (a member title to a member of
their scope, a unit title to one of their units). Training refuses a second award of a title for the same period."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import NOT_ACCEPTED, FormErrors, read_form
from services.console.i18n import N_
from services.console.ratings.labels import ORGANISERS
from services.console.ratings.organise import choices
from services.console.ratings.pages import HOME, shown
from services.console.training.units import unit, units
from services.console.web import AnyRequest, signed_in

API = "/api/training"
AWARDS = f"{HOME}/awards"
FIELDS = {
    "title": N_("Choose a title of the district."),
    "period": N_("Write a period as 2026, 2026H1, 2026Q3 or 2026-11."),
    "personId": N_("Choose a member under your responsibility."),
    "unitId": N_("Choose a unit under your responsibility."),
    "note": N_("The note is at most 500 characters."),
}
ALREADY = N_("This subject already holds the title for that period.")
SUBJECT = {"personId": "personId", "unitId": "unitId", "unitPath": "unitId", "unitName": "unitId"}


class AwardsController(Controller):
    path = AWARDS
    include_in_schema = False
    guards = signed_in(*ORGANISERS)

    async def _page(
        self, request: AnyRequest, api: Api, typed: dict[str, str], errors: FormErrors, status: int
    ) -> Template:
        found, titles, people, tops = await asyncio.gather(
            api.get(f"{API}/awards", limit=100),
            api.get(f"{API}/award-titles"),
            api.get(f"{API}/people", kind="member", limit=200),
            units(api),
        )
        return shown(
            request,
            "ratings/awards.html",
            status,
            awards=found["items"],
            titles=[{"id": t["code"], "name": t["name"]} for t in titles if t["active"]],
            people=[{"id": p["id"], "name": p["name"]} for p in people["items"]],
            units=choices(tops),
            typed=typed,
            errors=errors,
            done=request.query_params.get("done") == "awarded",
        )

    @get("/")
    async def awards(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._page(request, api, {}, FormErrors(), 200)

    @post("/")
    async def award(self, request: AnyRequest, api: NamedDependency[Api]) -> Template | Redirect:
        """Awarded, or the form again with the reasons beside the fields (nothing stored)."""
        typed = await read_form(request)
        titles = {t["code"]: t for t in await api.get(f"{API}/award-titles")}
        title = titles.get(typed.get("title", ""))
        fields: dict[str, str] = {}
        subject: dict[str, Any] = {}
        if title is None:
            fields["title"] = FIELDS["title"]
        elif title["subjectKind"] == "member":
            if typed.get("personId"):
                subject["personId"] = typed["personId"]
            else:
                fields["personId"] = FIELDS["personId"]
        else:
            chosen = await unit(api, typed["unitId"]) if typed.get("unitId") else None
            if chosen is None:
                fields["unitId"] = FIELDS["unitId"]
            else:
                subject = {"unitId": chosen["id"], "unitPath": chosen["path"], "unitName": chosen["name"]}
        if fields:
            return await self._page(request, api, typed, FormErrors(fields=fields), 422)
        body = {"title": typed["title"], "subject": subject, "period": typed.get("period", "").strip()}
        body["note"] = typed.get("note", "").strip()
        try:
            await api.post(f"{API}/awards", body)
        except ApiError as refused:
            return await self._page(request, api, typed, self._refusal(refused), 409 if refused.status == 409 else 422)
        return Redirect(f"{AWARDS}?done=awarded", status_code=303)

    @staticmethod
    def _refusal(refused: ApiError) -> FormErrors:
        if refused.status == 409:
            return FormErrors(form=ALREADY)
        if refused.status == 404 and "person" in refused.detail:
            return FormErrors(fields={"personId": FIELDS["personId"]})
        if refused.status != 422:
            raise refused
        fields = {SUBJECT.get(n, n): FIELDS.get(SUBJECT.get(n, n), NOT_ACCEPTED) for n in refused.fields}
        return FormErrors(fields=fields, form=None if fields else NOT_ACCEPTED)
