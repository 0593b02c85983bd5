"""The district's own learning record store: where its statements are pushed (``push.py``). The password is
sealed under the district's data key like every other secret at rest, decrypted only to push, never returned."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.xapi.models import LrsSettings, XapiStatement
from services.training.xapi.schemas import LrsSettingsInput, LrsSettingsView
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.http.problems import FieldErrors, missing
from shared.http.views import view
from shared.privacy import data_key, decrypt, encrypt

PASSWORD_FIELD = "xapi_lrs.password"  # noqa: S105 - the protected field's name, not a password


def endpoint_errors(endpoint: str) -> str | None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "an absolute http(s) URL of the LRS's xAPI endpoint"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "no query, fragment or credentials in the URL (the username and password go in their own fields)"
    if len(endpoint) > 500:
        return "at most 500 characters"
    return None


async def password_of(session: AsyncSession, row: LrsSettings) -> str:
    return decrypt(await data_key(session, row.tenant_id), PASSWORD_FIELD, row.password_cipher)


class LrsService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _view(self, row: LrsSettings) -> LrsSettingsView:
        count = int(await self.session.scalar(select(func.count()).where(XapiStatement.pushed_at.is_(None))) or 0)
        oldest_error = await self.session.scalar(
            select(XapiStatement.last_error)
            .where(XapiStatement.pushed_at.is_(None), XapiStatement.last_error.is_not(None))
            .order_by(XapiStatement.stored)
            .limit(1)
        )
        return view(LrsSettingsView, row, password_set=True, unpushed=count, last_error=oldest_error)

    async def get(self) -> LrsSettingsView:
        row = await self.session.get(LrsSettings, require_tenant())
        if row is None:
            raise missing("LRS setting (none configured)")
        return await self._view(row)

    async def put(self, data: LrsSettingsInput) -> LrsSettingsView:
        row = await self.session.get(LrsSettings, require_tenant(), with_for_update=True)
        errors = FieldErrors()
        endpoint = data.endpoint.strip()
        if (problem := endpoint_errors(endpoint)) is not None:
            errors.add("endpoint", problem)
        username = data.username.strip()
        if not username or len(username) > 200:
            errors.add("username", "1 to 200 characters")
        if data.password is None and row is None:
            errors.add("password", "required when the LRS is first set")
        elif data.password is not None and not 1 <= len(data.password) <= 200:
            errors.add("password", "1 to 200 characters")
        errors.raise_if_any("the LRS settings have invalid fields")
        endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        sealed = None
        if data.password is not None:
            keys = await data_key(self.session, require_tenant())
            sealed = encrypt(keys, PASSWORD_FIELD, data.password)
        if row is None:
            row = LrsSettings(tenant_id=require_tenant())
            self.session.add(row)
        if sealed is not None:
            row.password_cipher = sealed
        row.endpoint, row.username, row.enabled = endpoint, username, data.enabled
        row.updated_at, row.updated_by = now(), self.principal.user_id
        # statements waiting out a backoff against the old settings are tried against the new ones straight away
        await self.session.execute(
            update(XapiStatement).where(XapiStatement.pushed_at.is_(None)).values(next_attempt_at=now())
        )
        await self.session.flush()
        await audit.record(
            self.session,
            "training.xapi.lrs_set",
            subject_type="xapi_lrs",
            subject_id=str(row.tenant_id),
            detail={"endpoint": endpoint, "enabled": data.enabled, "passwordChanged": data.password is not None},
        )
        return await self._view(row)
