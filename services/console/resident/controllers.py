"""The resident's page (``/console/r/<district>/``), public: no account and no session. A request is filed with a
code sent by SMS to the resident's mobile, followed by its number and follow code (remembered by this browser in
a cookie of its own), and rated once it is resolved (recorded as given on the resident's page). Every form is
CSRF-protected like the rest of the console: the token is a cookie and a hidden field, no session needed."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, get, post
from litestar.datastructures import Cookie, State
from litestar.params import Parameter
from litestar.response import Redirect, Template

from services.console.api import ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.resident.progress import awaits_feedback, stage, steps, timeline
from services.console.resident.public import (
    FOLLOW_COOKIE,
    FOLLOW_DAYS,
    PublicApi,
    district_id,
    field_message,
    refusal_message,
    remember,
    remembered,
)
from services.console.web import AnyRequest, page

NUMBER = re.compile(r"^[0-9]{8}-[0-9]{4,}$")  # 20261202-0007 (dispatch/tickets/intake.py)
NO_SUCH_REQUEST = N_("No request has this number and follow code.")


def _page(request: AnyRequest, district: str, template: str, status: int = 200, **context: Any) -> Template:
    """A resident's page: never the signed-in frame (an operator opening it sees what residents see)."""
    context = {"errors": FormErrors(), "values": {}, **context}
    return page(request, template, status_code=status, user=None, navigation=[], district=district, **context)


def _refused(error: ApiError) -> FormErrors:
    if error.status == 429:
        return FormErrors(form=refusal_message(error.detail))
    if error.fields:
        return FormErrors(fields={name: field_message(message) for name, message in error.fields.items()})
    return FormErrors(form=field_message(error.detail))


def _ask_follow_code(district: str, number: str) -> Redirect:
    shown = urlencode({"number": number}) if NUMBER.match(number) else ""
    return Redirect(f"/console/r/{district}/follow" + (f"?{shown}" if shown else ""), status_code=303)


def _too_many(request: AnyRequest, district: str, number: str, refused: ApiError) -> Template:
    """The follow form with the rate limit's message (anything else than a 429 is an error page)."""
    if refused.status != 429:
        raise refused
    values = {"number": number if NUMBER.match(number) else ""}
    errors = _refused(refused)
    return _page(request, district, "resident/follow_form.html", 429, errors=errors, values=values, known={})


def _follow_cookie(request: AnyRequest, state: State, district: str, number: str, token: str) -> Cookie:
    return Cookie(
        key=FOLLOW_COOKIE,
        value=remember(request, number, token),
        path=f"/console/r/{district}",
        max_age=FOLLOW_DAYS * 86400,
        httponly=True,
        secure=state.console.cookie_secure,
        samesite="lax",
    )


class ResidentController(Controller):
    path = "/console/r/{district:str}"
    include_in_schema = False
    opt = {"skip_session": True}  # no session is made for a resident (the session middleware's opt-out key)

    def _api(self, state: State, district: str) -> PublicApi:
        return PublicApi(state.gateway, district_id(district))

    @get("/")
    async def home(self, request: AnyRequest, district: str) -> Template:
        district_id(district)
        return _page(request, district, "resident/home.html")

    @get("/request")
    async def ask_phone(self, request: AnyRequest, district: str) -> Template:
        district_id(district)
        return _page(request, district, "resident/request.html", step="phone")

    @post("/request/code")
    async def send_code(self, request: AnyRequest, state: State, district: str) -> Template:
        district_id(district)
        phone = (await read_form(request)).get("phone", "").strip().replace(" ", "").replace("-", "")
        values = {"phone": phone}
        if not (phone.isdigit() and len(phone) == 11):
            errors = FormErrors(fields={"phone": N_("Enter a mainland mobile number of 11 digits.")})
            return _page(request, district, "resident/request.html", 422, step="phone", errors=errors, values=values)
        try:
            started = await self._api(state, district).call("POST", "/verifications", {"phone": phone})
        except ApiError as refused:
            if refused.status not in (422, 429):
                raise
            errors = _refused(refused)
            return _page(
                request, district, "resident/request.html", refused.status, step="phone", errors=errors, values=values
            )
        values = {"verificationId": started["verificationId"], "maskedPhone": started["phone"]}
        return _page(request, district, "resident/request.html", step="details", values=values)

    @post("/request")
    async def file_request(self, request: AnyRequest, state: State, district: str) -> Template:
        district_id(district)
        form = await read_form(request)
        values = {k: form.get(k, "").strip() for k in ("verificationId", "maskedPhone", "code", "title", "address")}
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
        if errors:
            return _page(request, district, "resident/request.html", 422, step="details", errors=errors, values=values)
        body: dict[str, Any] = {
            "verificationId": values["verificationId"],
            "code": values["code"],
            "title": values["title"],
            "description": values["description"],
        }
        if values["address"]:
            body["address"] = values["address"]
        try:
            filed = await self._api(state, district).call("POST", "/requests", body)
        except ApiError as refused:
            if refused.status not in (422, 429):
                raise
            errors = _refused(refused)
            step = "phone" if "verificationId" in errors.fields else "details"
            if step == "phone":  # the code cannot be used again: a new one is needed
                errors = FormErrors(form=errors.fields["verificationId"])
            return _page(
                request, district, "resident/request.html", refused.status, step=step, errors=errors, values=values
            )
        number, token = filed["number"], filed["followToken"]
        response = _page(request, district, "resident/filed.html", 201, number=number, token=token)
        response.set_cookie(_follow_cookie(request, state, district, number, token))
        return response

    @get("/follow")
    async def follow_form(
        self, request: AnyRequest, district: str, number: str = Parameter(query="number", default="", max_length=40)
    ) -> Template:
        district_id(district)
        values = {"number": number}
        return _page(request, district, "resident/follow_form.html", values=values, known=remembered(request))

    @post("/follow")
    async def follow(self, request: AnyRequest, state: State, district: str) -> Template | Redirect:
        district_id(district)
        form = await read_form(request)
        number, token = form.get("number", "").strip(), form.get("token", "").strip()
        token = token or remembered(request).get(number, "")
        errors = FormErrors()
        if not number:
            errors.fields["number"] = N_("Enter the request's number.")
        elif not NUMBER.match(number):
            errors.fields["number"] = N_("A request's number looks like 20261205-0007.")
        elif not token:
            errors.fields["token"] = N_("Enter the follow code shown when you filed the request.")
        if not errors:
            try:
                await self._api(state, district).call("GET", f"/requests/{number}", follow_token=token)
            except ApiError as refused:
                if refused.status == 429:
                    return _too_many(request, district, number, refused)
                if refused.status not in (404, 422):
                    raise
                errors = FormErrors(form=NO_SUCH_REQUEST)  # a wrong number and a wrong code alike
        if errors:
            values = {"number": number}
            return _page(request, district, "resident/follow_form.html", 422, errors=errors, values=values, known={})
        redirect = Redirect(f"/console/r/{district}/follow/{number}", status_code=303)
        redirect.set_cookie(_follow_cookie(request, state, district, number, token))
        return redirect

    async def _request(self, state: State, district: str, number: str, token: str) -> dict[str, Any] | None:
        if not NUMBER.match(number):
            return None
        try:
            found: dict[str, Any] = await self._api(state, district).call(
                "GET", f"/requests/{number}", follow_token=token
            )
        except ApiError as refused:
            if refused.status in (404, 422):
                return None
            raise
        return found

    @get("/follow/{number:str}")
    async def progress(
        self,
        request: AnyRequest,
        state: State,
        district: str,
        number: str,
        thanks: str = Parameter(query="thanks", default="", max_length=3),
    ) -> Template | Redirect:
        district_id(district)
        token = remembered(request).get(number)
        try:
            found = await self._request(state, district, number, token) if token else None
        except ApiError as refused:
            return _too_many(request, district, number, refused)
        if found is None:  # not filed from this browser, or its code no longer answers: ask for the follow code
            return _ask_follow_code(district, number)
        return self._progress(request, district, found, thanks == "1")

    def _progress(
        self, request: AnyRequest, district: str, found: dict[str, Any], thanks: bool, status: int = 200, **more: Any
    ) -> Template:
        return _page(
            request,
            district,
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

    @post("/follow/{number:str}/feedback")
    async def feedback(self, request: AnyRequest, state: State, district: str, number: str) -> Template | Redirect:
        district_id(district)
        token = remembered(request).get(number)
        try:
            found = await self._request(state, district, number, token) if token else None
        except ApiError as refused:
            return _too_many(request, district, number, refused)
        if found is None or token is None:
            return _ask_follow_code(district, number)
        form = await read_form(request)
        satisfied, comment = form.get("satisfied", ""), form.get("comment", "").strip()
        errors = FormErrors()
        if satisfied not in ("yes", "no"):
            errors.fields["satisfied"] = N_("Choose whether you are satisfied.")
        if len(comment) > 1000:
            errors.fields["comment"] = N_("Keep the comment to 1000 characters.")
        values = {"satisfied": satisfied, "comment": comment}
        if errors:
            return self._progress(request, district, found, False, 422, errors=errors, values=values)
        body = {"satisfied": satisfied == "yes", "comment": comment or None, "via": "page"}
        try:
            await self._api(state, district).call("POST", f"/requests/{number}/feedback", body, follow_token=token)
        except ApiError as refused:
            if refused.status not in (409, 422, 429):
                raise
            errors = _refused(refused) if refused.status != 409 else FormErrors(form=N_("Feedback is not taken now."))
            return self._progress(request, district, found, False, refused.status, errors=errors, values=values)
        return Redirect(f"/console/r/{district}/follow/{number}?thanks=1", status_code=303)
