"""``POST requests``: a GeoReport form read strictly, then a real hotline ticket through the residents' intake.

The submitter's phone is proved as on the residents' page: ``POST verifications`` (an extension of this endpoint,
with the client's key) sends a 6-digit code by SMS, and the request carries ``verification_id`` and
``verification_code``. The code check, its counted wrong attempts, the per-phone limits and the ticket's creation
(numbering, clocks, routing and offers) are the residents' own (``public/services.py``); this module adds what
GeoReport brings: the catalogue item, the place as latitude and longitude, the service's attributes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Channel, PhoneVerification, Ticket
from services.dispatch.notifications.delivery import VERIFICATION_PHONE
from services.dispatch.open311.formats import refused
from services.dispatch.open311.services import SCOPE, Attribute, Service
from services.dispatch.public.schemas import PublicRequestCreate
from services.dispatch.public.services import PublicService, admit_web_request
from services.dispatch.settings import DispatchProcessSettings
from services.dispatch.tickets.intake import phone_key
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared.context import require_tenant
from shared.http.di import build_service
from shared.privacy import data_key, decrypt, normalize_phone, validate_mobile

ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_]{1,60})\]$")
CODE = re.compile(r"^\d{6}$")
# the specification's fields of POST requests, and this endpoint's two for the phone's code
FIELDS = frozenset(
    {
        "jurisdiction_id",
        "api_key",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "verification_id",
        "verification_code",
    }
)
TEXT_LIMITS = {"address_string": 200, "description": 4000, "first_name": 25, "last_name": 25, "media_url": 500}


@dataclass
class Filing:
    """A GeoReport request read and checked, before the code is."""

    service: Service
    verification_id: UUID
    code: str
    description: str = ""
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    caller_name: str | None = None
    phone: str | None = None
    media_url: str | None = None
    answers: dict[str, str] = field(default_factory=dict)

    def title(self) -> str:
        first = self.description.strip().splitlines()[0][:60] if self.description.strip() else ""
        return f"{self.service.name}：{first}" if first else self.service.name

    def ticket_description(self) -> str:
        lines = [self.description.strip()] if self.description.strip() else []
        lines += [f"{a.label}：{self.answers[a.code]}" for a in self.service.attributes if a.code in self.answers]
        if self.media_url:
            lines.append(f"图片或视频链接：{self.media_url}")
        return "\n".join(lines)


def _coordinate(name: str, raw: str, bound: float, errors: list[str]) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        errors.append(f"{name}: not a number")
        return None
    if not math.isfinite(value) or not -bound <= value <= bound:
        errors.append(f"{name}: must be between -{bound:g} and {bound:g}")
        return None
    return value


def _media_url(raw: str, errors: list[str]) -> str | None:
    """The client's link to a photo or video (the specification's ``media_url``): kept and shown as a link, never
    fetched by the platform, so only an absolute http(s) address is taken."""
    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        errors.append("media_url: an absolute http or https address")
        return None
    return value


def _answer(attribute: Attribute, raw: str | None, errors: list[str]) -> str | None:
    name = f"attribute[{attribute.code}]"
    value = (raw or "").strip()
    if not value:
        if attribute.required:
            errors.append(f"{name}: required: {attribute.description}")
        return None
    if attribute.values and value not in {key for key, _ in attribute.values}:
        errors.append(f"{name}: one of: {', '.join(key for key, _ in attribute.values)}")
        return None
    if len(value) > 1000:
        errors.append(f"{name}: at most 1000 characters")
        return None
    return value


def read_filing(form: Mapping[str, str], services: dict[str, Service]) -> Filing:
    """The request as the form gives it; the specification's 400 naming every wrong field otherwise."""
    errors: list[str] = []
    for name in form:
        if name not in FIELDS and not ATTRIBUTE.match(name):
            errors.append(f"{name}: not a field of this endpoint")
    for name, limit in TEXT_LIMITS.items():
        if len(form.get(name, "")) > limit:
            errors.append(f"{name}: at most {limit} characters")
    code = form.get("service_code", "").strip()
    service = services.get(code)
    if not code:
        errors.append("service_code: required")
    elif service is None:  # the specification's 404, alone: the service decides which attributes are asked for
        raise refused(404, f"service_code: {code} is not a service of this jurisdiction")
    lat_raw, long_raw = form.get("lat", "").strip(), form.get("long", "").strip()
    latitude = _coordinate("lat", lat_raw, 90, errors) if lat_raw else None
    longitude = _coordinate("long", long_raw, 180, errors) if long_raw else None
    if bool(lat_raw) != bool(long_raw):
        errors.append("long: give lat and long together" if lat_raw else "lat: give lat and long together")
    address = form.get("address_string", "").strip() or None
    if form.get("address_id", "").strip():
        errors.append("address_id: this jurisdiction has no address ids; give address_string or lat and long")
    elif not lat_raw and not long_raw and address is None:
        errors.append("lat: a location is required: lat and long, or address_string")
    if address is not None and len(address) < 2:
        errors.append("address_string: at least 2 characters")
    answers: dict[str, str] = {}
    if service is not None:
        known = {a.code for a in service.attributes}
        for name in form:
            matched = ATTRIBUTE.match(name)
            if matched and matched.group(1) not in known:
                errors.append(f"{name}: not an attribute of service {service.code}")
        for attribute in service.attributes:
            value = _answer(attribute, form.get(f"attribute[{attribute.code}]"), errors)
            if value is not None:
                answers[attribute.code] = value
    media_url = _media_url(form.get("media_url", ""), errors)
    verification = _verification(form, errors)
    phone = form.get("phone", "").strip() or None
    if phone is not None and not validate_mobile(phone):
        errors.append("phone: not a mainland mobile number")
    if errors or service is None or verification is None:
        raise refused(400, *errors)
    caller_name = (form.get("last_name", "").strip() + form.get("first_name", "").strip()) or None
    return Filing(
        service,
        verification[0],
        verification[1],
        description=form.get("description", ""),
        address=address,
        latitude=latitude,
        longitude=longitude,
        caller_name=caller_name,
        phone=phone,
        media_url=media_url,
        answers=answers,
    )


def _verification(form: Mapping[str, str], errors: list[str]) -> tuple[UUID, str] | None:
    raw_id, code = form.get("verification_id", "").strip(), form.get("verification_code", "").strip()
    verification_id = None
    if not raw_id:
        errors.append("verification_id: required: ask for a code with POST verifications first")
    else:
        try:
            verification_id = UUID(raw_id)
        except ValueError:
            errors.append("verification_id: not a verification id")
    if not code:
        errors.append("verification_code: required: the 6-digit code sent by SMS")
    elif not CODE.match(code):
        errors.append("verification_code: the 6-digit code sent by SMS")
    return (verification_id, code) if verification_id is not None and CODE.match(code) else None


class Open311Intake(PublicService):
    """The residents' intake with a GeoReport request's extra facts (its checks are the residents' page's)."""

    def __init__(self, session: AsyncSession, filing: Filing) -> None:
        super().__init__(session)
        self.filing = filing

    def public_form(self) -> PublicRequestCreate:
        return PublicRequestCreate(
            verification_id=self.filing.verification_id,
            code=self.filing.code,
            title=self.filing.title(),
            description=self.filing.ticket_description(),
            category_id=self.filing.service.category_id,
            address=self.filing.address,
        )

    async def _create_request(
        self, verification: PhoneVerification, data: PublicRequestCreate, limits: DispatchProcessSettings
    ) -> tuple[Ticket, str]:
        """As the residents' page files one (the same per-phone limit, counted over both), with the item, the
        place and the scope the client gave; no follow token: the resident follows by number and phone."""
        session, filing = self.session, self.filing
        keys = await data_key(session, require_tenant())
        phone = decrypt(keys, VERIFICATION_PHONE, verification.phone_cipher)
        if filing.phone is not None and normalize_phone(filing.phone) != normalize_phone(phone):
            raise refused(400, "phone: not the phone the code was sent to")
        index = await phone_key(session, phone)
        resident = await admit_web_request(session, verification, index, limits)
        request = TicketCreate(
            channel=Channel.WEB,
            title=data.title,
            description=data.description,
            category_id=filing.service.category_id,
            item_id=filing.service.item_id,
            caller_name=filing.caller_name,
            caller_phone=phone,
            address=filing.address,
            latitude=filing.latitude,
            longitude=filing.longitude,
            scope_kind=filing.answers.get(SCOPE),
        )
        ticket = await build_service(TicketService, session, resident).create(request)
        ticket.created_by = None  # None: the resident (models.Ticket)
        await session.flush()
        return ticket, ""
