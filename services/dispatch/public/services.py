"""Residents' own requests without an account (DSP-01 online channel): a code by SMS proves the phone.

- The code is 6 random digits (``secrets``), stored as an argon2 hash in ``phone_verification`` with the
  phone encrypted and blind-indexed. The SMS needs the code in clear at send time, so the delivery log's
  params carry it encrypted under the district's data key (``codeCipher``, field
  ``notification.verification_code``); the log API never shows it and delivery drops it once the message is
  delivered, skipped or dead.
- Limits per phone (codes per hour, requests per day) are counted in the database, under a transaction
  advisory lock on the phone's blind index: exact across API replicas, durable, and with no second store to
  keep in step. The gateway adds its per-address limit for anonymous traffic in front.
- Five wrong codes kill a verification; an expired or used one is refused. The follow token is 32 random
  bytes; only its SHA-256 is stored on the ticket (a token that long needs no slow hash).
- Following by number and phone: a right code for the phone the request was made from (filed here or phoned in)
  earns a fresh follow token, replacing the old one. The code is spent whatever the number, and a number that is
  not that phone's is the same 404 as an unknown one, so one code cannot probe numbers and nothing tells them
  apart; each try costs a code, which the hourly limit per phone bounds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.services import district_settings
from services.dispatch.closure.feedback import collected_via, take_feedback
from services.dispatch.closure.schemas import FeedbackCreate
from services.dispatch.models import Channel, Feedback, PhoneVerification, ServiceCategory, Ticket, TicketHistory
from services.dispatch.notifications.delivery import CODE_FIELD, CODE_PARAM, VERIFICATION_PHONE
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.public.schemas import FollowTokenCreate, PublicRequestCreate
from services.dispatch.settings import DispatchProcessSettings
from services.dispatch.tickets.intake import phone_key
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.audit import actor_scope, current_client_ip
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.context import require_tenant
from shared.http.di import build_service
from shared.http.problems import ProblemError, invalid
from shared.privacy import blind_index, data_key, decrypt, encrypt, normalize_phone, validate_mobile

MAX_WRONG_CODES = 5
# OWASP's minimum argon2id profile: a 6-digit code guarded by 5 tries needs no more, and keeps intake cheap.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def too_many(detail: str) -> ProblemError:
    return ProblemError(429, detail, title="Too Many Requests")


def no_such_request() -> ProblemError:
    return ProblemError(404, "no such request in this district", title="Not Found")


def follow_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _lock_phone(session: AsyncSession, purpose: str, index: bytes) -> None:
    """Serialise concurrent requests for one phone until commit, so a limit cannot be raced past."""
    key = f"dispatch.public.{purpose}:{require_tenant()}:{index.hex()}"
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


async def admit_web_request(
    session: AsyncSession, verification: PhoneVerification, index: bytes, limits: DispatchProcessSettings
) -> Principal:
    """Admit a request filed online from a verified phone, on the residents' page or by an Open311 client: one at a
    time per phone (the lock, until commit), at most ``public_requests_per_day`` a day counted over both. The
    verification is used up and stands for the resident, who has no account (RLS still binds the district)."""
    await _lock_phone(session, "request", index)
    recent = await session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.caller_phone_index == index,
            Ticket.channel == Channel.WEB,
            Ticket.created_by.is_(None),  # filed online by the resident (a phoned-in one may be followed too)
            Ticket.created_at > now() - timedelta(days=1),
        )
    )
    if (recent or 0) >= limits.public_requests_per_day:
        per_day = limits.public_requests_per_day
        raise too_many(f"at most {per_day} requests per phone number a day; please call the hotline")
    verification.verified_at = now()
    return Principal(user_id=verification.id, tenant_id=require_tenant(), roles=frozenset({Role.RESIDENT}))


class PublicService:
    """A resident's requests in one transaction of the district named in the path; the resident has no account,
    so the service has no principal: a verified phone stands for them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def start_verification(self, phone: str, limits: DispatchProcessSettings) -> PhoneVerification:
        """Send a code to ``phone``; 404 for a district without a hotline, 429 past the hourly limit."""
        with actor_scope("resident:web", ("resident",), client_ip=current_client_ip.get()):
            return await self._start_verification(phone, limits)

    async def _start_verification(self, phone: str, limits: DispatchProcessSettings) -> PhoneVerification:
        session = self.session
        await district_settings(session)
        if not validate_mobile(phone):
            raise invalid("phone", "not a mainland mobile number")
        keys = await data_key(session, require_tenant())
        index = blind_index(keys, VERIFICATION_PHONE, phone, normalize_phone)
        await _lock_phone(session, "code", index)
        current = now()
        sent = await session.scalar(
            select(func.count())
            .select_from(PhoneVerification)
            .where(PhoneVerification.phone_index == index, PhoneVerification.created_at > current - timedelta(hours=1))
        )
        if (sent or 0) >= limits.public_codes_per_hour:
            raise too_many(f"at most {limits.public_codes_per_hour} codes per phone number per hour; try again later")
        code = f"{secrets.randbelow(1_000_000):06d}"
        row = PhoneVerification(
            phone_index=index,
            phone_cipher=encrypt(keys, VERIFICATION_PHONE, normalize_phone(phone)),
            code_hash=_hasher.hash(code),
            created_at=current,
            expires_at=current + timedelta(seconds=limits.verification_ttl_s),
        )
        session.add(row)
        await session.flush()
        sealed = base64.b64encode(encrypt(keys, CODE_FIELD, code)).decode()
        params = {
            "verificationId": str(row.id),
            "ttlMinutes": max(1, limits.verification_ttl_s // 60),
            CODE_PARAM: sealed,
        }
        await queue_notification(
            session, template="verification_code", recipient_kind="resident", channel="sms", params=params
        )
        await audit.record(
            session, "dispatch.public.code_sent", subject_type="phone_verification", subject_id=str(row.id)
        )
        return row

    async def file_request(
        self, data: PublicRequestCreate, limits: DispatchProcessSettings
    ) -> tuple[Ticket, str] | ProblemError:
        """The resident's ticket and its follow token, or the 422 for a wrong code, returned (not raised) so
        that the caller commits the counted wrong attempt before answering."""
        await district_settings(self.session)
        checked = await self._check_code(data.verification_id, data.code)
        if isinstance(checked, ProblemError):
            return checked
        with actor_scope(f"resident:{checked.id}", ("resident",), client_ip=current_client_ip.get()):
            return await self._create_request(checked, data, limits)

    async def _check_code(self, verification_id: UUID, code: str) -> PhoneVerification | ProblemError:
        """The verification if ``code`` is right; otherwise the 422 to answer."""
        row = await self.session.scalar(
            select(PhoneVerification).where(PhoneVerification.id == verification_id).with_for_update()
        )
        if row is None:
            return invalid("verificationId", "no such verification; ask for a code first")
        if row.verified_at is not None:
            return invalid("verificationId", "this code has been used already; ask for a new one")
        if row.attempts >= MAX_WRONG_CODES:
            return invalid("code", "too many wrong codes; ask for a new one")
        if row.expires_at <= now():
            return invalid("code", "the code has expired; ask for a new one")
        try:
            _hasher.verify(row.code_hash, code)
        except (VerificationError, InvalidHashError):
            row.attempts += 1
            left = MAX_WRONG_CODES - row.attempts
            return invalid("code", f"wrong code; {left} tries left" if left else "wrong code; ask for a new one")
        return row

    async def _create_request(
        self, verification: PhoneVerification, data: PublicRequestCreate, limits: DispatchProcessSettings
    ) -> tuple[Ticket, str]:
        """The resident's ticket (channel web, caller phone from the verification) and its follow token."""
        session = self.session
        keys = await data_key(session, require_tenant())
        phone = decrypt(keys, VERIFICATION_PHONE, verification.phone_cipher)
        index = await phone_key(session, phone)
        resident = await admit_web_request(session, verification, index, limits)
        request = TicketCreate(
            channel=Channel.WEB,
            title=data.title,
            description=data.description,
            category_id=data.category_id,
            caller_phone=phone,
            address=data.address,
        )
        ticket = await build_service(TicketService, session, resident).create(request)
        token = secrets.token_urlsafe(32)
        ticket.created_by = None  # None: the resident (models.Ticket)
        ticket.follow_token_hash = follow_hash(token)
        await session.flush()
        return ticket, token

    async def categories(self) -> list[ServiceCategory]:
        """The district's active service categories, in the desk's order; 404 for a district without a hotline."""
        await district_settings(self.session)
        query = select(ServiceCategory).where(ServiceCategory.active).order_by(ServiceCategory.rank)
        return list(await self.session.scalars(query))

    async def follow_token(self, number: str, data: FollowTokenCreate) -> tuple[Ticket, str] | ProblemError:
        """A fresh follow token for request ``number`` if the verified phone made it; the refusal (a wrong code,
        or the 404 for a number that is not that phone's) is returned, not raised, so the spent code commits."""
        await district_settings(self.session)
        checked = await self._check_code(data.verification_id, data.code)
        if isinstance(checked, ProblemError):
            return checked
        checked.verified_at = now()  # spent whatever the number: one code answers for one try
        keys = await data_key(self.session, require_tenant())
        index = await phone_key(self.session, decrypt(keys, VERIFICATION_PHONE, checked.phone_cipher))
        query = select(Ticket).where(Ticket.number == number, Ticket.caller_phone_index == index)
        ticket = await self.session.scalar(query.with_for_update())
        if ticket is None:
            return no_such_request()
        token = secrets.token_urlsafe(32)
        ticket.follow_token_hash = follow_hash(token)  # the old token stops answering
        with actor_scope(f"resident:{checked.id}", ("resident",), client_ip=current_client_ip.get()):
            await audit.record(
                self.session, "dispatch.public.follow_token_issued", subject_type="ticket", subject_id=str(ticket.id)
            )
        return ticket, token

    async def _followed(self, number: str, token: str | None, *, for_update: bool = False) -> Ticket:
        """The ticket ``number`` if ``token`` is its follow token; 404 alike for a wrong token and a wrong number."""
        query = select(Ticket).where(Ticket.number == number)
        ticket = await self.session.scalar(query.with_for_update() if for_update else query)
        if (
            ticket is None
            or not token
            or ticket.follow_token_hash is None
            or not hmac.compare_digest(ticket.follow_token_hash, follow_hash(token))
        ):
            raise no_such_request()
        return ticket

    async def followed_request(self, number: str, token: str | None) -> tuple[Ticket, list[TicketHistory]]:
        """The ticket ``number`` and its history, if ``token`` is its follow token."""
        ticket = await self._followed(number, token)
        query = select(TicketHistory).where(TicketHistory.ticket_id == ticket.id)
        history = await self.session.scalars(query.order_by(TicketHistory.at, TicketHistory.id))
        return ticket, list(history)

    async def give_feedback(self, number: str, token: str | None, data: FeedbackCreate) -> tuple[Feedback, Ticket]:
        """The resident's feedback form on their own page (``via`` page), for the request the token follows."""
        ticket = await self._followed(number, token, for_update=True)
        via = collected_via(data, resident=True)
        with actor_scope("resident:web", ("resident",), client_ip=current_client_ip.get()):
            return await take_feedback(self.session, ticket, data, via=via), ticket
