"""Following a request on the resident's page (查询进度): the browser that filed it remembers its follow token in a
cookie; anywhere else the resident gives the request's number and the phone it was made from, proves the phone
with a code sent by SMS, and the page earns a fresh follow token (``POST .../requests/{number}/follow-token``).
Once resolved, the page asks for feedback (recorded as given on the resident's page)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from services.console.api import ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.resident.controllers import BASE, PLACE, SKIP_SESSION
from services.console.resident.pages import NUMBER, follow_cookie, public_api, read_phone, refused, resident_page
from services.console.resident.progress import awaits_feedback, stage, steps, timeline
from services.console.resident.public import District, remembered
from services.console.web import AnyRequest

NOT_THIS_PHONES = N_("No request with this number was made from this phone. Check both and ask for a new code.")
ENTER_NUMBER = N_("Enter the request's number.")
NUMBER_FORMAT = N_("A request's number looks like 20261205-0007.")


def _ask_phone(place: District, number: str) -> Redirect:
    shown = urlencode({"number": number}) if NUMBER.match(number) else ""
    return Redirect(f"/console/r/{place.segment}/follow" + (f"?{shown}" if shown else ""), status_code=303)


def _read_number(raw: str, errors: FormErrors) -> str:
    number = raw.strip()
    if not number:
        errors.fields["number"] = ENTER_NUMBER
    elif not NUMBER.match(number):
        errors.fields["number"] = NUMBER_FORMAT
    return number


class FollowController(Controller):
    path = BASE + "/follow"
    include_in_schema = False
    opt = SKIP_SESSION
    dependencies = PLACE

    def _form(self, request: AnyRequest, place: District, status: int = 200, **context: Any) -> Template:
        context = {"step": "phone", "known": remembered(request), **context}
        return resident_page(request, place, "resident/follow_form.html", status, **context)

    @get("/")
    async def follow_form(
        self,
        request: AnyRequest,
        place: NamedDependency[District],
        number: Annotated[str, QueryParameter(name="number", max_length=40)] = "",
    ) -> Template:
        return self._form(request, place, values={"number": number})

    @post("/code")
    async def send_code(self, request: AnyRequest, state: State, place: NamedDependency[District]) -> Template:
        form = await read_form(request)
        errors = FormErrors()
        number = _read_number(form.get("number", ""), errors)
        phone = read_phone(form.get("phone", ""), errors)
        values = {"number": number, "phone": phone}
        if errors:
            return self._form(request, place, 422, errors=errors, values=values)
        try:
            started = await public_api(state, place).call("POST", "/verifications", {"phone": phone})
        except ApiError as refusal:
            if refusal.status not in (422, 429):
                raise
            return self._form(request, place, refusal.status, errors=refused(refusal), values=values)
        values = {"number": number, "verificationId": started["verificationId"], "maskedPhone": started["phone"]}
        return self._form(request, place, step="code", values=values)

    @post("/")
    async def follow(self, request: AnyRequest, state: State, place: NamedDependency[District]) -> Template | Redirect:
        form = await read_form(request)
        values = {k: form.get(k, "").strip() for k in ("number", "verificationId", "maskedPhone", "code")}
        errors = FormErrors()
        number = _read_number(values["number"], errors)
        if errors:  # the number is a hidden field here: a tampered one starts over
            return self._form(request, place, 422, errors=errors, values={"number": number})
        if not (values["code"].isdigit() and len(values["code"]) == 6):
            errors.fields["code"] = N_("Enter the 6-digit code from the SMS.")
            return self._form(request, place, 422, step="code", errors=errors, values=values)
        body = {"verificationId": values["verificationId"], "code": values["code"]}
        try:
            issued = await public_api(state, place).call("POST", f"/requests/{number}/follow-token", body)
        except ApiError as refusal:
            if refusal.status == 404:  # not this phone's, or no such number: the code is spent either way
                return self._form(
                    request, place, 404, errors=FormErrors(form=NOT_THIS_PHONES), values={"number": number}
                )
            if refusal.status not in (422, 429):
                raise
            errors = refused(refusal)
            if "code" in errors.fields:  # a wrong code: try again with the same one
                return self._form(request, place, 422, step="code", errors=errors, values=values)
            form_error = errors.fields.get("verificationId", errors.form)  # used up or unknown: ask for a new one
            return self._form(
                request, place, refusal.status, errors=FormErrors(form=form_error), values={"number": number}
            )
        redirect = Redirect(f"/console/r/{place.segment}/follow/{number}", status_code=303)
        redirect.set_cookie(follow_cookie(request, state, place, number, issued["followToken"]))
        return redirect

    async def _request(self, state: State, place: District, number: str, token: str | None) -> dict[str, Any] | None:
        """The request as its follow token shows it; None when this browser holds no token that still answers."""
        if not token or not NUMBER.match(number):
            return None
        try:
            found: dict[str, Any] = await public_api(state, place).call(
                "GET", f"/requests/{number}", follow_token=token
            )
        except ApiError as refusal:
            if refusal.status in (404, 422):
                return None
            raise
        return found

    def _progress(
        self, request: AnyRequest, place: District, found: dict[str, Any], thanks: bool, status: int = 200, **more: Any
    ) -> Template:
        return resident_page(
            request,
            place,
            "resident/follow.html",
            status,
            found=found,
            stage=stage(found),
            steps=steps(found["status"]),
            events=timeline(found.get("history", [])),
            asks_feedback=awaits_feedback(found),
            thanks=thanks,
            **more,
        )

    async def _held(
        self, request: AnyRequest, state: State, place: District, number: str
    ) -> dict[str, Any] | Template | Redirect:
        """The request if this browser follows it; else the way to the number-and-phone form (or the 429's form)."""
        try:
            found = await self._request(state, place, number, remembered(request).get(number))
        except ApiError as refusal:
            if refusal.status != 429:
                raise
            values = {"number": number if NUMBER.match(number) else ""}
            return self._form(request, place, 429, errors=refused(refusal), values=values)
        return found if found is not None else _ask_phone(place, number)

    @get("/{number:str}")
    async def progress(
        self,
        request: AnyRequest,
        state: State,
        place: NamedDependency[District],
        number: FromPath[str],
        thanks: Annotated[str, QueryParameter(name="thanks", max_length=3)] = "",
    ) -> Template | Redirect:
        found = await self._held(request, state, place, number)
        if not isinstance(found, dict):
            return found
        return self._progress(request, place, found, thanks == "1")

    @post("/{number:str}/feedback")
    async def feedback(
        self, request: AnyRequest, state: State, place: NamedDependency[District], number: FromPath[str]
    ) -> Template | Redirect:
        found = await self._held(request, state, place, number)
        if not isinstance(found, dict):
            return found
        form = await read_form(request)
        satisfied, comment = form.get("satisfied", ""), form.get("comment", "").strip()
        errors = FormErrors()
        if satisfied not in ("yes", "no"):
            errors.fields["satisfied"] = N_("Choose whether you are satisfied.")
        if len(comment) > 1000:
            errors.fields["comment"] = N_("Keep the comment to 1000 characters.")
        values = {"satisfied": satisfied, "comment": comment}
        if errors:
            return self._progress(request, place, found, False, 422, errors=errors, values=values)
        body = {"satisfied": satisfied == "yes", "comment": comment or None, "via": "page"}
        token = remembered(request).get(number)
        try:
            await public_api(state, place).call("POST", f"/requests/{number}/feedback", body, follow_token=token)
        except ApiError as refusal:
            if refusal.status not in (409, 422, 429):
                raise
            errors = refused(refusal) if refusal.status != 409 else FormErrors(form=N_("Feedback is not taken now."))
            return self._progress(request, place, found, False, refusal.status, errors=errors, values=values)
        return Redirect(f"/console/r/{place.segment}/follow/{number}?thanks=1", status_code=303)
