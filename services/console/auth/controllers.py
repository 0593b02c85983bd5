"""Sign-in with the gateway's identity (password, then the one-time code where the account has one, then the
district for a login of several), and sign-out, which ends the refresh token at the gateway."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from services.console.api import ApiError, Gateway
from services.console.auth import choosing, pending
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.session import SignedIn, TokenPair, new_key, start_new_session
from services.console.web import AnyRequest, current_user, page, visible_navigation

HOME = "/console/"
# The gateway's messages (gateway/identity/services.py) and the catalogue ids shown for them.
WRONG_LOGIN = N_("The username or password is wrong.")
OTP_NEEDED = "one-time code required"
KNOWN = {
    "username or password is wrong": WRONG_LOGIN,
    "one-time code is wrong": N_("The code is wrong or was used already. Wait for the next one."),
    # said only after the password is proven (403): the district's administrator or the platform barred it
    "this account is locked in this district; ask the district administrator": N_(
        "This account is locked. Ask your district administrator to unlock it."
    ),
    "this district is suspended; ask the platform operator": N_("This district is suspended. No one can sign in."),
}
CHOOSE = N_("Choose a district.")
TOO_MANY = N_("Too many attempts from here. Wait a minute and try again.")
EXPIRED = N_("The sign-in took too long. Start again.")


def safe_next(target: str | None) -> str:
    """Only a console page: never another site (``//evil``) after sign-in."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def _step(request: AnyRequest, step: str, errors: FormErrors, status: int = 200, **values: str) -> Template:
    return page(request, "auth/sign_in.html", status_code=status, step=step, errors=errors, values=values, districts=[])


def _choose(request: AnyRequest, held: choosing.Choosing, errors: FormErrors, status: int = 200) -> Template:
    """The district step: the user's districts by name."""
    return page(
        request,
        "auth/sign_in.html",
        status_code=status,
        step="district",
        errors=errors,
        values={},
        districts=held.districts,
    )


class AuthController(Controller):
    path = "/console"
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_form(
        self, request: AnyRequest, next_page: Annotated[str | None, QueryParameter(name="next")] = None
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
        return await self._attempt(request, state, username, password, "", target)

    @post("/sign-in/code")
    async def sign_in_code(self, request: AnyRequest, state: State) -> Template | Redirect:
        held = pending.release(state.settings, request.session.get("pending"))
        if held is None:
            return _step(request, "password", FormErrors(form=EXPIRED), 422)
        username, password, _, target = held
        otp = (await read_form(request)).get("otp", "").strip()
        if not otp.isdigit() or len(otp) != 6:
            return _step(request, "otp", FormErrors(fields={"otp": N_("Enter the 6-digit code.")}), 422)
        return await self._attempt(request, state, username, password, otp, target)

    @post("/sign-in/district")
    async def sign_in_district(self, request: AnyRequest, state: State) -> Template | Redirect:
        held = choosing.release(request.session.get("choosing"))
        if held is None:
            request.session.pop("choosing", None)
            return _step(request, "password", FormErrors(form=EXPIRED), 422)
        district = (await read_form(request)).get("district", "")
        if district not in {d["slug"] for d in held.districts}:
            return _choose(request, held, FormErrors(fields={"district": CHOOSE}), 422)
        gateway: Gateway = state.gateway
        try:
            answer = await gateway.choose_district(held.ticket, district)
        except ApiError as refused:
            offered_again = choosing.offered(refused, held.username, held.next)  # the user's districts changed
            if offered_again is not None:
                request.session["choosing"] = offered_again.to_session()
                return _choose(request, offered_again, FormErrors(fields={"district": CHOOSE}), 422)
            request.session.pop("choosing", None)
            errors = FormErrors(form=TOO_MANY if refused.status == 429 else EXPIRED)
            return _step(request, "password", errors, refused.status, username=held.username, next=held.next)
        request.session.pop("choosing", None)
        await self._begin(request, state, held.username, answer)
        return Redirect(held.next, status_code=303)

    async def _attempt(
        self, request: AnyRequest, state: State, username: str, password: str, otp: str, target: str
    ) -> Template | Redirect:
        gateway: Gateway = state.gateway
        body = {"username": username, "password": password}
        if otp:
            body["otp"] = otp
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
        held = choosing.offered(refused, username, target)
        if held is not None:
            # Password and code are proven: the gateway's ticket stands for them at the next step (a code is
            # accepted once), so neither is kept nor asked for again.
            request.session.pop("pending", None)
            request.session["choosing"] = held.to_session()
            return _choose(request, held, FormErrors())
        if refused.status == 401:
            fields = {"password": WRONG_LOGIN}
            return _step(request, "password", FormErrors(fields=fields), 401, username=username, next=target)
        return _step(request, "password", FormErrors.from_api(refused, KNOWN), 422, username=username, next=target)

    async def _begin(self, request: AnyRequest, state: State, username: str, answer: dict[str, Any]) -> None:
        """A new session (new id) naming the user and district (its name as the gateway's registry says, for
        every role); the tokens beside it in the store."""
        gateway: Gateway = state.gateway
        tokens = TokenPair.issued(answer)
        me = (await gateway.request("GET", "/auth/me", tokens.access)).json()
        district = me.get("district") or {}  # None for the platform operator
        await start_new_session(request, state.sessions)
        key = new_key()
        await state.tokens.save(key, tokens)
        user = SignedIn(username, answer.get("tenant"), district.get("name", ""), tuple(me.get("roles", [])), key)
        request.set_session({"user": user.to_session()})

    @get("/")
    async def home(self, request: AnyRequest) -> Redirect | Template:
        user = current_user(request)
        if user is None:
            return Redirect("/console/sign-in", status_code=303)
        groups = visible_navigation(request.app.state.navigation, user)
        if groups:
            return Redirect(groups[0].entries[0].path, status_code=303)  # the first page the user may open
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
