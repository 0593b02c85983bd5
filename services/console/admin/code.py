"""我的动态验证码: the signed-in administrator enrols their own one-time code (``/console/admin/my-code``): the gateway
starts enrolment and answers an otpauth:// URI, drawn here as a QR code on the server (segno, inline SVG) with the
secret spelled out for typing; a code from the app confirms it. The URI is shown once and kept nowhere: a wrong code
is asked for again against the same secret, and starting again makes a new one."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from markupsafe import Markup

from services.console.api import Api, ApiError
from services.console.forms import FormErrors, read_form
from services.console.i18n import N_
from services.console.training.qr import qr_svg
from services.console.web import AnyRequest, NavEntry, page, signed_in

CODE_ROLES = ("district_admin", "street_admin", "platform_operator")  # the gateway's TOTP_ROLES
HOME = "/console/admin/my-code"
ENROLLED = "one-time codes are already enabled for this account"
WRONG = N_("The code is wrong. Enter the code your app shows now.")
SIX = N_("Enter the 6-digit code.")


def _spelled(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _step(
    request: AnyRequest, step: str, errors: FormErrors | None = None, qr: Markup | None = None, secret: str = ""
) -> Template:
    shown = errors or FormErrors()
    return page(
        request, "admin/my_code.html", status_code=422 if errors else 200, step=step, errors=shown, qr=qr, secret=secret
    )


class OwnCodeController(Controller):
    path = HOME
    include_in_schema = False
    guards = signed_in(*CODE_ROLES)

    @get("/")
    async def start_page(self, request: AnyRequest) -> Template:
        return _step(request, "start")

    @post("/start")
    async def start(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        try:
            uri = (await api.post("/auth/totp/enroll", None))["provisioningUri"]
        except ApiError as error:
            if error.status == 409 and error.detail == ENROLLED:
                return _step(request, "enrolled")
            raise
        secret = parse_qs(urlparse(uri).query).get("secret", [""])[0]
        return _step(request, "confirm", qr=qr_svg(uri, "otpauth"), secret=_spelled(secret))

    @post("/confirm")
    async def confirm(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        otp = (await read_form(request)).get("otp", "").strip()
        if not (otp.isdigit() and len(otp) == 6):
            return _step(request, "confirm", FormErrors(fields={"otp": SIX}))
        try:
            await api.post("/auth/totp/confirm", {"otp": otp})
        except ApiError as error:
            if error.status == 422:
                return _step(request, "confirm", FormErrors(fields={"otp": WRONG}))
            if error.status == 409 and error.detail == ENROLLED:
                return _step(request, "enrolled")
            raise
        return _step(request, "done")


NAV = NavEntry(HOME, N_("My one-time code"), CODE_ROLES)
