"""The provider registry (DSP-12)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import OPERATORS, PROVIDERS
from services.dispatch.models import Provider, ProviderKind
from services.dispatch.providers.schemas import (
    ProviderCreate,
    ProviderPage,
    ProviderSelfUpdate,
    ProviderUpdate,
    ProviderView,
)
from services.dispatch.providers.services import ProviderService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

Kind = Annotated[str | None, QueryParameter(name="kind", pattern="^(" + "|".join(ProviderKind) + ")$")]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]
OPERATOR = [requires_role(*OPERATORS)]
PROVIDER = [requires_role(*PROVIDERS)]


async def provider_views(providers: ProviderService, rows: list[Provider]) -> list[ProviderView]:
    """Phones masked; ``awaitingPreService`` where the district's rule holds a member volunteer back."""
    rule = await providers.pre_service_required()
    return [
        view(ProviderView, row, phone=row.phone_masked, awaiting_pre_service=rule and row.awaits_pre_service())
        for row in rows
    ]


async def provider_view(providers: ProviderService, row: Provider) -> ProviderView:
    [one] = await provider_views(providers, [row])
    return one


class ProviderController(Controller):
    """Who can take orders: teams, studios, firms and skilled residents registered here; member volunteers
    follow orgtree's members."""

    path = "/api/dispatch/providers"
    tags = ["Providers"]
    guards = [requires_tenant]
    dependencies = {"providers": provide_service(ProviderService)}

    @get("/", operation_id="ListProviders", guards=OPERATOR, summary="Providers, oldest first")
    async def list_providers(
        self,
        providers: NamedDependency[ProviderService],
        kind: Kind = None,
        grid_id: Annotated[UUID | None, QueryParameter(name="gridId")] = None,
        active: Annotated[bool | None, QueryParameter(name="active")] = None,
        after: Annotated[UUID | None, QueryParameter(name="after")] = None,
        limit: Limit = 50,
    ) -> ProviderPage:
        rows, cursor = await providers.page(kind=kind, grid_id=grid_id, active=active, after=after, limit=limit)
        return ProviderPage(items=await provider_views(providers, rows), next=cursor)

    @post(
        "/",
        operation_id="RegisterProvider",
        guards=OPERATOR,
        summary="Register a professional team, expert studio, franchise firm or skilled resident",
    )
    async def create(self, providers: NamedDependency[ProviderService], data: JSONBody[ProviderCreate]) -> ProviderView:
        return await provider_view(providers, await providers.create(data))

    @get("/me", operation_id="GetMyProviders", guards=PROVIDER, summary="The caller's own provider entries")
    async def get_mine(self, providers: NamedDependency[ProviderService]) -> list[ProviderView]:
        return await provider_views(providers, await providers.mine())

    @patch("/me", operation_id="UpdateMyProviders", guards=PROVIDER, summary="Go on or off duty and share where I am")
    async def update_mine(
        self, providers: NamedDependency[ProviderService], data: JSONBody[ProviderSelfUpdate]
    ) -> list[ProviderView]:
        return await provider_views(providers, await providers.update_mine(data))

    @get("/{provider_id:uuid}", operation_id="GetProvider", guards=OPERATOR, summary="One provider, phone masked")
    async def get_provider(
        self, providers: NamedDependency[ProviderService], provider_id: FromPath[UUID]
    ) -> ProviderView:
        return await provider_view(providers, await providers.get(provider_id))

    @patch(
        "/{provider_id:uuid}",
        operation_id="UpdateProvider",
        guards=OPERATOR,
        summary="Duty, skills, position, registry fields; deactivating withdraws its open orders",
    )
    async def update(
        self, providers: NamedDependency[ProviderService], provider_id: FromPath[UUID], data: JSONBody[ProviderUpdate]
    ) -> ProviderView:
        return await provider_view(providers, await providers.update(provider_id, data))
