from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, TypeVar

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader, State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.schemas import (
    District,
    DistrictChoiceProblem,
    DistrictChoiceRequest,
    LoginRequest,
    Me,
    OtpRequest,
    RefreshRequest,
    TokenResponse,
    TotpEnrolment,
)
from gateway.identity.services import TOTP_ROLES, DistrictChoiceError, Identity, IssuedTokens
from gateway.models import Tenant
from shared.http.guards import principal_of, requires_role
from shared.http.problems import ProblemError, problem

T = TypeVar("T")


async def run_identity(state: State, action: Callable[[Identity], Awaitable[T]]) -> T:
    """Identity changes commit even when the answer is a refusal: failed-login counters, lockouts,
    revoked token families and their audit rows must survive the 401."""
    session: AsyncSession
    async with state.system_sessions() as session:
        try:
            result = await action(Identity(session, state.settings, state.key_ring))
        except ProblemError:
            await session.commit()
            raise
        await session.commit()
        return result


def _tokens(issued: IssuedTokens) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        tenant=issued.tenant,
    )


def _district_choice(request: Request[Any, Any, Any], exc: DistrictChoiceError) -> Response[bytes]:
    """The problem+json of a login of several districts, with the districts to choose from and the ticket."""
    title = HTTPStatus(422).phrase
    answer = problem(
        422, title, exc.detail, request, errors=exc.errors, districts=exc.districts, districtTicket=exc.ticket
    )
    answer.headers["cache-control"] = "no-store"  # the ticket stands for a password for a few minutes
    return answer


CHOOSE = ResponseSpec(
    DistrictChoiceProblem,
    description="Invalid input; or the user serves several districts: choose one of `districts` at "
    "/auth/login/district with the `districtTicket`",
    media_type="application/problem+json",
)


class AuthController(Controller):
    path = "/auth"
    tags = ["Authentication"]
    cache_control = CacheControlHeader(no_store=True)  # tokens and one-time-code seeds must not be cached
    exception_handlers = {DistrictChoiceError: _district_choice}

    @post(
        "/login",
        operation_id="Login",
        summary="Exchange a password (and one-time code) for tokens",
        status_code=200,
        responses={422: CHOOSE},
    )
    async def login(self, state: State, data: JSONBody[LoginRequest]) -> TokenResponse:
        return _tokens(
            await run_identity(state, lambda i: i.login(data.username, data.password, data.tenant, data.otp))
        )

    @post(
        "/login/district",
        operation_id="ChooseDistrict",
        summary="Finish a login of several districts: the district chosen, with the ticket the login answered",
        status_code=200,
        responses={422: CHOOSE},
    )
    async def choose_district(self, state: State, data: JSONBody[DistrictChoiceRequest]) -> TokenResponse:
        return _tokens(await run_identity(state, lambda i: i.choose_district(data.district_ticket, data.tenant)))

    @post("/refresh", operation_id="RefreshTokens", summary="Rotate a refresh token", status_code=200)
    async def refresh(self, state: State, data: JSONBody[RefreshRequest]) -> TokenResponse:
        return _tokens(await run_identity(state, lambda i: i.refresh(data.refresh_token)))

    @post("/logout", operation_id="Logout", summary="Revoke a refresh token and its family", status_code=204)
    async def logout(self, state: State, data: JSONBody[RefreshRequest]) -> None:
        await run_identity(state, lambda i: i.logout(data.refresh_token))

    @get("/me", operation_id="GetMe", summary="The caller as the token says, with the district's name")
    async def me(self, request: Request[Any, Any, Any], state: State) -> Me:
        p = principal_of(request)
        district = None
        if p.tenant_id is not None:
            session: AsyncSession
            async with state.system_sessions() as session:  # the registry: platform-level, no tenant rows
                tenant = await session.get(Tenant, p.tenant_id)
            if tenant is not None:
                district = District(id=str(tenant.id), slug=tenant.slug, name=tenant.name)
        return Me(
            user_id=str(p.user_id),
            name=p.name,
            tenant_id=str(p.tenant_id) if p.tenant_id else None,
            district=district,
            roles=sorted(p.roles),
            scope=p.scope,
        )

    @post("/totp/enroll", operation_id="EnrollTotp", status_code=200, guards=[requires_role(*TOTP_ROLES)])
    async def enroll_totp(self, request: Request[Any, Any, Any], state: State) -> TotpEnrolment:
        p = principal_of(request)
        uri = await run_identity(state, lambda i: i.enroll_totp(p.user_id))
        return TotpEnrolment(provisioning_uri=uri)

    @post("/totp/confirm", operation_id="ConfirmTotp", status_code=204, guards=[requires_role(*TOTP_ROLES)])
    async def confirm_totp(self, request: Request[Any, Any, Any], state: State, data: JSONBody[OtpRequest]) -> None:
        p = principal_of(request)
        await run_identity(state, lambda i: i.confirm_totp(p.user_id, data.otp))


@get(
    "/.well-known/jwks.json",
    operation_id="GetJwks",
    summary="Public keys that verify Redcell tokens",
    tags=["Authentication"],
)
async def jwks(state: State) -> dict[str, Any]:
    keys: dict[str, Any] = await state.key_ring.jwks()
    return keys
