"""Micro-wishes on the phone (``/console/volunteer/wishes``): those waiting on the claim platform, claimed in the
volunteer's own name, and the volunteer's claimed ones fulfilled with a photo (kept as the wish's evidence in the
platform's object store) and a note."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.console.api import Api, ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_
from services.console.volunteer.completion import PHOTO_MAX_BYTES, PHOTO_NOT_IMAGE, PHOTO_TOO_LARGE, read_photo
from services.console.volunteer.phone import ROLES
from services.console.web import AnyRequest, page, signed_in

WISHES = "/console/volunteer/wishes"
TAKEN = N_("Someone else has claimed this wish already.")
NOT_NOW = N_("This cannot be done on this wish now.")
NEEDS_SOMETHING = N_("Add a photo or a few words about how the wish was fulfilled.")


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
        self, request: AnyRequest, api: NamedDependency[Api], wish_id: FromPath[UUID]
    ) -> Template | Redirect:
        form = await request.form()
        errors = FormErrors()
        note = str(form.get("note") or "").strip()
        photo = await read_photo(form.get("photo"), errors)
        if not errors and photo is None and not note:
            errors.fields["photo"] = NEEDS_SOMETHING
        if errors:
            return await self._wishes(request, api, 422, errors=errors, fulfilling=str(wish_id), values={"note": note})
        try:
            if photo is not None:
                await api.call(
                    "POST",
                    f"/api/dispatch/wishes/{wish_id}/evidence",
                    content=photo.content,
                    headers={"content-type": photo.content_type},
                )
            await api.post(f"/api/dispatch/wishes/{wish_id}/fulfil", {"note": note or None})
        except ApiError as refused:
            if refused.status == 409:  # no longer claimed (staff closed or reassigned it meanwhile)
                return await self._wishes(request, api, 409, alert=NOT_NOW)
            if refused.status in (413, 415, 422):
                errors.fields["photo"] = PHOTO_TOO_LARGE if refused.status == 413 else PHOTO_NOT_IMAGE
                return await self._wishes(
                    request, api, 422, errors=errors, fulfilling=str(wish_id), values={"note": note}
                )
            raise
        return Redirect(f"{WISHES}#wish-{wish_id}", status_code=303)
