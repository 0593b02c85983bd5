"""What the resident's pages share: the district in the address (a dependency, so an unknown one is the 404 page
before anything else happens), the page frame, the API's refusals in the resident's words, the follow cookie."""

from __future__ import annotations

import re
from typing import Any

from litestar.datastructures import Cookie, State
from litestar.params import FromPath
from litestar.response import Template

from services.console.api import ApiError
from services.console.forms import FormErrors
from services.console.i18n import N_
from services.console.resident.public import (
    FOLLOW_COOKIE,
    FOLLOW_DAYS,
    District,
    PublicApi,
    field_message,
    find_district,
    refusal_message,
    remember,
)
from services.console.web import AnyRequest, page

NUMBER = re.compile(r"^[0-9]{8}-[0-9]{4,}$")  # 20261202-0007 (dispatch/tickets/intake.py)
NOT_A_MOBILE = N_("Enter a mainland mobile number of 11 digits.")


async def provide_place(state: State, district: FromPath[str]) -> District:
    """The district the address names (``district`` is the path's segment: a slug, or an id)."""
    return await find_district(state.gateway, district)


def public_api(state: State, place: District) -> PublicApi:
    return PublicApi(state.gateway, place.id)


def resident_page(request: AnyRequest, place: District, template: str, status: int = 200, **context: Any) -> Template:
    """A resident's page: never the signed-in frame (an operator opening it sees what residents see)."""
    context = {"errors": FormErrors(), "values": {}, **context}
    return page(
        request,
        template,
        status_code=status,
        user=None,
        navigation=[],
        district=place.segment,
        district_name=place.name,
        **context,
    )


def read_phone(raw: str, errors: FormErrors) -> str:
    """The mobile number as typed, without spaces and dashes; a message beside ``phone`` when it is not one."""
    phone = raw.strip().replace(" ", "").replace("-", "")
    if not (phone.isdigit() and len(phone) == 11):
        errors.fields["phone"] = NOT_A_MOBILE
    return phone


def refused(error: ApiError) -> FormErrors:
    """An API's 422 or 429 as the form shows it: beside the fields it names, else above the form."""
    if error.status == 429:
        return FormErrors(form=refusal_message(error.detail))
    if error.fields:
        return FormErrors(fields={name: field_message(message) for name, message in error.fields.items()})
    return FormErrors(form=field_message(error.detail))


def follow_cookie(request: AnyRequest, state: State, place: District, number: str, token: str) -> Cookie:
    """The browser's follow tokens with ``number``'s added, for this district's pages only."""
    return Cookie(
        key=FOLLOW_COOKIE,
        value=remember(request, number, token),
        path=f"/console/r/{place.segment}",
        max_age=FOLLOW_DAYS * 86400,
        httponly=True,
        secure=state.console.cookie_secure,
        samesite="lax",
    )
