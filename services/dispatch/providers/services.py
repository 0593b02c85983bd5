"""The provider registry (DSP-12): teams, studios, franchise firms and skilled residents registered by the hotline;
member volunteers follow orgtree's members (``directory/``). Deactivating a provider stands it down."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryGrid, Provider, ProviderKind
from services.dispatch.providers import pre_service
from services.dispatch.providers.schemas import ProviderCreate, ProviderSelfUpdate, ProviderUpdate
from services.dispatch.routing.offers import stand_down
from services.dispatch.tickets.intake import changed_values, check_phone
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, missing
from shared.privacy import data_key, encrypt, mask_phone, normalize_phone

REGISTERED_KINDS = (
    ProviderKind.PROFESSIONAL_TEAM,
    ProviderKind.EXPERT_STUDIO,
    ProviderKind.FRANCHISE_FIRM,
    ProviderKind.SKILLED_RESIDENT,
)
FEE_MODES = ("low_fee", "free")
ORGTREE_FIELDS = {"grid_id": "gridId", "user_id": "userId", "name": "name"}  # member volunteers follow orgtree
PHONE_FIELD = "provider.phone"  # the field name the SMS channel decrypts a provider's phone under
STOOD_DOWN = "服务者已停用"


class ProviderRepository(Repository[Provider]):
    model_type = Provider
    noun = "provider"


class ProviderService:
    def __init__(self, session: AsyncSession, principal: Principal, providers: ProviderRepository) -> None:
        self.session = session
        self.principal = principal
        self.providers = providers

    async def pre_service_required(self) -> bool:
        """The district's rule that member volunteers are offered tickets only after pre-service training."""
        return await pre_service.required(self.session)

    async def get(self, provider_id: UUID) -> Provider:
        return await self.providers.get_or_404(provider_id)

    async def page(
        self, *, kind: str | None, grid_id: UUID | None, active: bool | None, after: UUID | None, limit: int
    ) -> tuple[list[Provider], str | None]:
        """Keyset-paged on the (time-ordered) id."""
        query = select(Provider)
        if kind is not None:
            query = query.where(Provider.kind == kind)
        if grid_id is not None:
            query = query.where(Provider.grid_id == grid_id)
        if active is not None:
            query = query.where(Provider.active.is_(active))
        if after is not None:
            query = query.where(Provider.id > after)
        rows = list(await self.session.scalars(query.order_by(Provider.id).limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, str(rows[-1].id) if more and rows else None

    async def _check(self, errors: FieldErrors, values: dict[str, Any], provider: Provider | None) -> None:
        """Rules over the provider as it would be after the change."""
        merged: dict[str, Any] = {"kind": None, "fee_mode": None, "latitude": None, "longitude": None}
        if provider is not None:
            merged = {key: getattr(provider, key) for key in merged}
        merged.update(values)
        # Only rules the change touches: an older row that breaks one must not block an unrelated update.
        if "fee_mode" in values and merged["kind"] == ProviderKind.FRANCHISE_FIRM:
            if merged["fee_mode"] not in FEE_MODES:
                errors.add("feeMode", f"a franchise firm serves at one of: {', '.join(FEE_MODES)}")
        elif "fee_mode" in values and merged["fee_mode"] is not None:
            errors.add("feeMode", "only franchise firms have a fee mode")
        located = "latitude" in values or "longitude" in values
        if located and (merged["latitude"] is None) != (merged["longitude"] is None):
            field = "longitude" if merged["longitude"] is None else "latitude"
            errors.add(field, "give latitude and longitude together")
        check_phone(errors, "phone", values.get("phone"))
        grid_id = values.get("grid_id")
        if grid_id is not None and await self.session.get(DirectoryGrid, grid_id) is None:
            errors.add("gridId", "not a grid of this district")
        if provider is not None and provider.kind == ProviderKind.MEMBER_VOLUNTEER:
            for key in sorted(set(values) & set(ORGTREE_FIELDS)):
                errors.add(ORGTREE_FIELDS[key], "a member volunteer's grid, account and name follow orgtree")

    async def _protect_phone(self, provider: Provider, phone: str | None) -> None:
        if phone is None:
            provider.phone_cipher = provider.phone_masked = None
            return
        keys = await data_key(self.session, require_tenant())
        provider.phone_cipher = encrypt(keys, PHONE_FIELD, normalize_phone(phone))
        provider.phone_masked = mask_phone(phone)

    async def _audit(self, action: str, provider: Provider, detail: dict[str, Any]) -> None:
        await audit.record(self.session, action, subject_type="provider", subject_id=str(provider.id), detail=detail)

    async def create(self, data: ProviderCreate) -> Provider:
        errors = FieldErrors()
        if data.kind == ProviderKind.MEMBER_VOLUNTEER:
            errors.add("kind", "member volunteers come from orgtree's members; register the member there")
        else:
            errors.choice("kind", data.kind, REGISTERED_KINDS)
        values = changed_values(data)
        await self._check(errors, values, None)
        errors.raise_if_any("the provider has invalid fields")
        columns = {**values, "name": data.name.strip(), "skills": sorted(set(data.skills)), "active": True}
        del columns["phone"]  # kept encrypted only, just below
        provider = Provider(**columns)
        await self._protect_phone(provider, data.phone)
        await self.providers.add(provider)
        await self._audit("dispatch.provider.registered", provider, {"kind": provider.kind})
        return provider

    async def _apply(self, provider: Provider, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key == "phone":
                await self._protect_phone(provider, value)
            elif key == "skills":
                provider.skills = sorted(set(value))
            elif key == "name":
                provider.name = value.strip()
            elif key != "active":
                setattr(provider, key, value)
        if values.get("active") is False and provider.active:
            provider.active = False
            await self.session.flush()
            await stand_down(self.session, provider, reason=STOOD_DOWN, actor=str(self.principal.user_id))
        elif values.get("active") is True:
            provider.active = True
        await self.session.flush()
        await self._audit("dispatch.provider.updated", provider, {"fields": sorted(values)})

    async def update(self, provider_id: UUID, data: ProviderUpdate) -> Provider:
        provider = await self.get(provider_id)
        values = changed_values(data)
        errors = FieldErrors()
        await self._check(errors, values, provider)
        errors.raise_if_any("the provider has invalid fields")
        await self._apply(provider, values)
        return provider

    async def mine(self) -> list[Provider]:
        query = select(Provider).where(Provider.user_id == self.principal.user_id).order_by(Provider.id)
        rows = list(await self.session.scalars(query))
        if not rows:
            raise missing("provider")
        return rows

    async def update_mine(self, data: ProviderSelfUpdate) -> list[Provider]:
        """On duty and position, for every provider entry of the caller (a member may also be a skilled resident)."""
        providers = await self.mine()
        values = changed_values(data)
        errors = FieldErrors()
        for provider in providers:
            await self._check(errors, values, provider)
            if errors.items:
                break
        errors.raise_if_any("the change has invalid fields")
        for provider in providers:
            await self._apply(provider, values)
        return providers
