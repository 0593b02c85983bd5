"""Micro-wishes on the phone (``/console/volunteer/wishes``): those waiting on the claim platform, claimed in the
volunteer's own name, and the volunteer's claimed ones fulfilled with a photo (filed in documents, kept by dispatch as
the wish's evidence: ``evidence.py``) and a note."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_, translations
from services.console.volunteer.completion import PHOTO_MAX_BYTES, read_photo
from services.console.volunteer.evidence import PhotoRefusedError, wish_photo
from services.console.volunteer.phone import ROLES
from services.console.web import AnyRequest, page, signed_in

WISHES = "/console/volunteer/wishes"
TAKEN = N_("Someone else has claimed this wish already.")
NOT_NOW = N_("This cannot be done on this wish now.")
NEEDS_SOMETHING = N_("Add a photo or a few words about how the wish was fulfilled.")
PHOTO_TITLE = N_("Photo of the wish fulfilled")


class WishPageController(Controller):
    path = WISHES
    include_in_schema = False
    guards = signed_in(*ROLES)

    async def _wishes(self, request: AnyRequest, api: Api, status: int = 200, **context: Any) -> Template:
        waiting, claimed = await asyncio.gather(
            api.get("/api/dispatch/wishes", status="published", limit=50),
            api.get("/api/dispatch/wishes", status="claimed", limit=200),
        )
        mine = [wish for wish in claimed if wish.get("claimedByMe")]
        context = {"errors": FormErrors(), "fulfilling": "", "alert": None, "values": {}, **context}
        return page(
            request,
            "volunteer/wishes.html",
            status_code=status,
            waiting=waiting,
            mine=mine,
            **context,
        )

    @get("/")
    async def wishes(self, request: AnyRequest, api: NamedDependency[Api]) -> Template:
        return await self._wishes(request, api)

    @post("/{wish_id:uuid}/claim")
    async def claim(
        self, request: AnyRequest, api: NamedDependency[Api], wish_id: FromPath[UUID]
    ) -> Template | Redirect:
        try:
            await api.post(f"/api/dispatch/wishes/{wish_id}/claim", None)
        except ApiError as refused:
            if refused.status != 409:
                raise
            return await self._wishes(request, api, 409, alert=TAKEN)
        return Redirect(f"{WISHES}#wish-{wish_id}", status_code=303)

    @post("/{wish_id:uuid}/fulfilment", request_max_body_size=PHOTO_MAX_BYTES + 1024 * 1024)
    async def fulfil(
        self, request: AnyRequest, api: NamedDependency[Api], state: State, wish_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await request.form()
        errors = FormErrors()
        note = str(form.get("note") or "").strip()
        photo = await read_photo(form.get("photo"), errors)
        if not errors and photo is None and not note:
            errors.fields["photo"] = NEEDS_SOMETHING
        if errors:
            return await self._wishes(request, api, 422, errors=errors, fulfilling=str(wish_id), values={"note": note})
        values = {"note": note}
        try:
            if photo is not None:  # filed in documents, and kept by dispatch as the wish's evidence, first
                title = translations(state.console.locale).gettext(PHOTO_TITLE)
                await wish_photo(api, wish_id, photo, title)
            await api.post(f"/api/dispatch/wishes/{wish_id}/fulfil", {"note": note or None})
        except PhotoRefusedError as refused:
            if refused.field:
                errors.fields["photo"] = refused.message
                return await self._wishes(request, api, 422, errors=errors, fulfilling=str(wish_id), values=values)
            alert = NOT_NOW if refused.not_now else refused.message
            return await self._wishes(request, api, 409, alert=alert, fulfilling=str(wish_id), values=values)
        except ApiError as refused:
            if refused.status == 409:  # no longer claimed (staff closed or reassigned it meanwhile)
                return await self._wishes(request, api, 409, alert=NOT_NOW)
            if refused.status == 422:
                errors.fields["photo"] = NEEDS_SOMETHING
                return await self._wishes(request, api, 422, errors=errors, fulfilling=str(wish_id), values=values)
            raise
        return Redirect(f"{WISHES}#wish-{wish_id}", status_code=303)
