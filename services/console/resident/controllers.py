"""The resident's page (``/console/r/<district>/``, the district by its slug), public: no account and no session.
A request is filed with a code sent by SMS to the resident's mobile, optionally naming the kind of help from the
district's catalogue; it is followed by its number and the phone (``follow.py``). Every form is CSRF-protected like
the rest of the console: the token is a cookie and a hidden field, no session needed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from services.console.api import ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.resident.pages import (
    follow_cookie,
    provide_place,
    public_api,
    read_phone,
    refused,
    resident_page,
)
from services.console.resident.public import District
from services.console.web import AnyRequest

BASE = "/console/r/{district:str}"
NOT_LISTED = N_("Choose one of the listed kinds of help.")
SKIP_SESSION = {"skip_session": True}  # no session is made for a resident (the session middleware's opt-out key)
PLACE = {"place": Provide(provide_place)}  # the district in the address, or the 404 page at once


class ResidentController(Controller):
    path = BASE
    include_in_schema = False
    opt = SKIP_SESSION
    dependencies = PLACE

    @get("/")
    async def home(self, request: AnyRequest, place: NamedDependency[District]) -> Template:
        return resident_page(request, place, "resident/home.html")

    @get("/request")
    async def ask_phone(self, request: AnyRequest, place: NamedDependency[District]) -> Template:
        return resident_page(request, place, "resident/request.html", step="phone")

    async def _details(
        self, request: AnyRequest, state: State, place: District, status: int = 200, **context: Any
    ) -> Template:
        categories = await public_api(state, place).categories()
        return resident_page(
            request, place, "resident/request.html", status, step="details", categories=categories, **context
        )

    @post("/request/code")
    async def send_code(self, request: AnyRequest, state: State, place: NamedDependency[District]) -> Template:
        errors = FormErrors()
        phone = read_phone((await read_form(request)).get("phone", ""), errors)
        values = {"phone": phone}
        if errors:
            return resident_page(
                request, place, "resident/request.html", 422, step="phone", errors=errors, values=values
            )
        try:
            started = await public_api(state, place).call("POST", "/verifications", {"phone": phone})
        except ApiError as refusal:
            if refusal.status not in (422, 429):
                raise
            return resident_page(
                request,
                place,
                "resident/request.html",
                refusal.status,
                step="phone",
                errors=refused(refusal),
                values=values,
            )
        values = {"verificationId": started["verificationId"], "maskedPhone": started["phone"]}
        return await self._details(request, state, place, values=values)

    @post("/request")
    async def file_request(self, request: AnyRequest, state: State, place: NamedDependency[District]) -> Template:
        form = await read_form(request)
        keys = ("verificationId", "maskedPhone", "code", "title", "address", "categoryId")
        values = {k: form.get(k, "").strip() for k in keys}
        values["description"] = form.get("description", "").strip()
        errors = FormErrors()
        if not (values["code"].isdigit() and len(values["code"]) == 6):
            errors.fields["code"] = N_("Enter the 6-digit code from the SMS.")
        if not values["title"]:
            errors.fields["title"] = N_("Say in one line what you need help with.")
        elif len(values["title"]) > 200:
            errors.fields["title"] = N_("Keep it to 200 characters; the details go below.")
        if values["address"] and len(values["address"]) < 2:
            errors.fields["address"] = N_("Write the address so the volunteer can find you.")
        if len(values["description"]) > 4000:
            errors.fields["description"] = N_("Keep the details to 4000 characters.")
        listed = {c["id"] for c in await public_api(state, place).categories()}
        if values["categoryId"] and values["categoryId"] not in listed:
            errors.fields["categoryId"] = NOT_LISTED
        if errors:
            return await self._details(request, state, place, 422, errors=errors, values=values)
        body: dict[str, Any] = {
            "verificationId": values["verificationId"],
            "code": values["code"],
            "title": values["title"],
            "description": values["description"],
        }
        for name in ("address", "categoryId"):
            if values[name]:
                body[name] = values[name]
        try:
            filed = await public_api(state, place).call("POST", "/requests", body)
        except ApiError as refusal:
            if refusal.status not in (422, 429):
                raise
            errors = refused(refusal)
            if "verificationId" in errors.fields:  # the code cannot be used again: a new one is needed
                errors = FormErrors(form=errors.fields["verificationId"])
                return resident_page(
                    request, place, "resident/request.html", refusal.status, step="phone", errors=errors, values=values
                )
            return await self._details(request, state, place, refusal.status, errors=errors, values=values)
        number, token = filed["number"], filed["followToken"]
        response = resident_page(request, place, "resident/filed.html", 201, number=number)
        response.set_cookie(follow_cookie(request, state, place, number, token))
        return response
