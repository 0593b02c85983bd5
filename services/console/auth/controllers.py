"""Sign-in with the gateway's identity (password, then the one-time code where the account has one, then the
district for a login of several), and sign-out, which ends the refresh token at the gateway."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.response import Redirect, Template

from services.console.api import ApiError, Gateway
from services.console.auth import pending
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn, TokenPair, new_key, start_new_session
from services.console.web import AnyRequest, current_user, page

HOME = "/console/"
# The gateway's messages (gateway/identity/services.py) and the catalogue ids shown for them.
WRONG_LOGIN = N_("The username or password is wrong.")
OTP_NEEDED = "one-time code required"
KNOWN = {
    "username or password is wrong": WRONG_LOGIN,
    "one-time code is wrong": N_("The code is wrong or was used already. Wait for the next one."),
    "required for users with several districts": N_("Choose a district."),
}
TOO_MANY = N_("Too many attempts from here. Wait a minute and try again.")
EXPIRED = N_("The sign-in took too long. Start again.")


def safe_next(target: str | None) -> str:
    """Only a console page: never another site (``//evil``) after sign-in."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def _step(request: AnyRequest, step: str, errors: FormErrors, status: int = 200, **values: str) -> Template:
    return page(request, "auth/sign_in.html", status_code=status, step=step, errors=errors, values=values)


class AuthController(Controller):
    path = "/console"
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_form(
        self, request: AnyRequest, next_page: str | None = Parameter(query="next", default=None)
    ) -> Template | Redirect:
        if current_user(request) is not None:
            return Redirect(safe_next(next_page), status_code=303)
        return _step(request, "password", FormErrors(), next=safe_next(next_page))

    @post("/sign-in")
    async def sign_in(self, request: AnyRequest, state: State) -> Template | Redirect:
        form = await read_form(request)
        username, password = form.get("username", "").strip().lower(), form.get("password", "")
        target = safe_next(form.get("next"))
        errors = FormErrors()
        if not username:
            errors.fields["username"] = N_("Enter your username.")
        if not password:
            errors.fields["password"] = N_("Enter your password.")
        if errors:
            return _step(request, "password", errors, 422, username=username, next=target)
        return await self._attempt(request, state, username, password, "", "", target)

    @post("/sign-in/code")
    async def sign_in_code(self, request: AnyRequest, state: State) -> Template | Redirect:
        held = pending.release(state.settings, request.session.get("pending"))
        if held is None:
            return _step(request, "password", FormErrors(form=EXPIRED), 422)
        username, password, _, target = held
        otp = (await read_form(request)).get("otp", "").strip()
        if not otp.isdigit() or len(otp) != 6:
            return _step(request, "otp", FormErrors(fields={"otp": N_("Enter the 6-digit code.")}), 422)
        return await self._attempt(request, state, username, password, otp, "", target)

    @post("/sign-in/district")
    async def sign_in_district(self, request: AnyRequest, state: State) -> Template | Redirect:
        held = pending.release(state.settings, request.session.get("pending"))
        if held is None:
            return _step(request, "password", FormErrors(form=EXPIRED), 422)
        username, password, _, target = held
        form = await read_form(request)
        district, otp = form.get("district", "").strip().lower(), form.get("otp", "").strip()
        if not district:
            errors = FormErrors(fields={"district": N_("Choose a district.")})
            return _step(request, "district", errors, 422, needs_otp=form.get("needs_otp", ""))
        return await self._attempt(request, state, username, password, otp, district, target)

    async def _attempt(
        self, request: AnyRequest, state: State, username: str, password: str, otp: str, district: str, target: str
    ) -> Template | Redirect:
        gateway: Gateway = state.gateway
        body = {"username": username, "password": password}
        if otp:
            body["otp"] = otp
        if district:
            body["tenant"] = district
        try:
            answer = await gateway.login(body)
        except ApiError as refused:
            return self._refused(request, state, refused, username, password, otp, target)
        request.session.pop("pending", None)
        await self._begin(request, state, username, answer)
        return Redirect(target, status_code=303)

    def _refused(
        self, request: AnyRequest, state: State, refused: ApiError, username: str, password: str, otp: str, target: str
    ) -> Template:
        if refused.status == 429:
            return _step(request, "password", FormErrors(form=TOO_MANY), 429, username=username, next=target)
        if refused.status == 401 and refused.detail == OTP_NEEDED:
            request.session["pending"] = pending.hold(state.settings, username, password, target)
            return _step(request, "otp", FormErrors())
        if refused.status == 401 and otp:
            return _step(request, "otp", FormErrors.from_api(ApiError(401, "", {"otp": refused.detail}), KNOWN), 401)
        if refused.status == 422 and "tenant" in refused.fields:
            # The code just used cannot be used again (no replay): the district step asks for the next one.
            request.session["pending"] = pending.hold(state.settings, username, password, target)
            return _step(request, "district", FormErrors(), needs_otp="yes" if otp else "")
        if refused.status == 401:
            fields = {"password": WRONG_LOGIN}
            return _step(request, "password", FormErrors(fields=fields), 401, username=username, next=target)
        return _step(request, "password", FormErrors.from_api(refused, KNOWN), 422, username=username, next=target)

    async def _begin(self, request: AnyRequest, state: State, username: str, answer: dict[str, Any]) -> None:
        """A new session (new id) naming the user and district; the tokens beside it in the store."""
        gateway: Gateway = state.gateway
        tokens = TokenPair.issued(answer)
        me = (await gateway.request("GET", "/auth/me", tokens.access)).json()
        district = answer.get("tenant")
        district_name = await _district_name(gateway, tokens.access) or district or ""
        await start_new_session(request, state.sessions)
        key = new_key()
        await state.tokens.save(key, tokens)
        user = SignedIn(username, district, district_name, tuple(me.get("roles", [])), key)
        request.set_session({"user": user.to_session()})

    @get("/")
    async def home(self, request: AnyRequest) -> Redirect | Template:
        user = current_user(request)
        if user is None:
            return Redirect("/console/sign-in", status_code=303)
        for entry in request.app.state.navigation:
            if user.has_role(*entry.roles):
                return Redirect(entry.path, status_code=303)
        return page(request, "layout/home.html")

    @post("/sign-out")
    async def sign_out(self, request: AnyRequest, state: State) -> Redirect:
        user = current_user(request)
        if user is not None:
            tokens = await state.tokens.drop(user.key)
            if tokens is not None:
                await state.gateway.logout(tokens.refresh)
        request.clear_session()
        return Redirect("/console/sign-in", status_code=303)


async def _district_name(gateway: Gateway, token: str) -> str:
    """The district's name as its organisation tree's root says; empty when the role cannot read it."""
    response = await gateway.request("GET", "/api/orgtree/nodes", token)
    if response.status_code != 200:
        return ""
    items: list[dict[str, Any]] = response.json().get("items", [])
    roots = [item for item in items if item.get("tree") == "administrative"]
    return str(roots[0]["name"]) if roots else ""
