"""The time bank (DSP-08): service hours become points; points are redeemed or given to a paired household.

Points: 10 per hour of service, pro rata, rounded down to whole points (90 min → 15, 5 min → 0).
The balance never goes below zero: every debit is one conditional UPDATE that only succeeds while the
balance covers it (concurrent debits queue on the row and re-check), with the CHECK constraint as a
backstop. Entries are append-only and sum to the balance.

Points follow the order: each resolution is credited once (its "round"), and when the resident's
dissatisfaction reopens the order that credit is reversed, so only the resolution the resident accepts
keeps its points. A reversal takes back at most what the balance still holds: points already redeemed or
given away bought real goods and are not clawed back into a negative balance; the reversal entry says how
many could not be taken back, and the audit log records it for the hotline's supervisors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryHousehold, DirectoryLink, Provider, TimeBankAccount, TimeBankEntry
from services.dispatch.tickets.history import actor_id
from services.dispatch.timebank.schemas import RedemptionCreate, TransferCreate
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing

POINTS_PER_HOUR = 10
PROVIDER = "provider"
HOUSEHOLD = "household"
CREDIT = "credit"
REVERSAL = "reversal"
ONE_PER_ROUND = "uq_timebank_entry_ticket_kind_round"


@dataclass(frozen=True)
class Reversal:
    """What reversing a credit did: the points taken back, those the balance no longer held, and the entry."""

    entry: TimeBankEntry
    points: int
    shortfall: int


def points_for(minutes: int) -> int:
    return minutes * POINTS_PER_HOUR // 60


async def account_for(session: AsyncSession, holder_kind: str, holder_id: UUID) -> TimeBankAccount:
    """The holder's account, opened on first use (concurrent openers meet on the unique key)."""
    await session.execute(
        pg_insert(TimeBankAccount)
        .values(
            tenant_id=require_tenant(),
            id=uuid7(),
            holder_kind=holder_kind,
            holder_id=holder_id,
            balance_points=0,
            service_minutes=0,
        )
        .on_conflict_do_nothing(constraint="uq_timebank_account_holder")
    )
    # populate_existing: balances move by UPDATE statements, not the ORM
    query = holder_is(holder_kind, holder_id).execution_options(populate_existing=True)
    account: TimeBankAccount = (await session.scalars(query)).one()
    return account


def holder_is(holder_kind: str, holder_id: UUID) -> Select[Any]:
    return select(TimeBankAccount).where(
        TimeBankAccount.holder_kind == holder_kind, TimeBankAccount.holder_id == holder_id
    )


async def _add(session: AsyncSession, account_id: UUID, points: int, minutes: int = 0) -> int:
    new_balance: int = (
        await session.execute(
            update(TimeBankAccount)
            .where(TimeBankAccount.id == account_id)
            .values(
                balance_points=TimeBankAccount.balance_points + points,
                service_minutes=TimeBankAccount.service_minutes + minutes,
            )
            .returning(TimeBankAccount.balance_points)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    return new_balance


async def _debit(session: AsyncSession, account_id: UUID, points: int) -> int:
    """Take ``points`` if the balance covers them, in one statement; 409 otherwise."""
    left: int | None = (
        await session.execute(
            update(TimeBankAccount)
            .where(TimeBankAccount.id == account_id, TimeBankAccount.balance_points >= points)
            .values(balance_points=TimeBankAccount.balance_points - points)
            .returning(TimeBankAccount.balance_points)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one_or_none()
    if left is None:
        raise conflict("not enough points")
    return left


async def _count(session: AsyncSession, ticket_id: UUID, kind: str) -> int:
    query = select(func.count()).where(TimeBankEntry.ticket_id == ticket_id, TimeBankEntry.kind == kind)
    return int(await session.scalar(query) or 0)


async def credit_service(session: AsyncSession, ticket_id: UUID, provider_id: UUID, minutes: int) -> int | None:
    """Credit the order's latest resolution to its provider once; None when that resolution was credited before
    (a replay). The caller holds the ticket's lock; the unique round is the backstop."""
    credits = await _count(session, ticket_id, CREDIT)
    if credits > await _count(session, ticket_id, REVERSAL):
        return None  # the latest credit still stands: this resolution was credited already
    account = await account_for(session, PROVIDER, provider_id)
    points = points_for(minutes)
    entry_id = await session.scalar(
        pg_insert(TimeBankEntry)
        .values(
            tenant_id=require_tenant(),
            id=uuid7(),
            account_id=account.id,
            kind=CREDIT,
            points=points,
            minutes=minutes,
            ticket_id=ticket_id,
            round=credits + 1,
            reason="服务时长入账" if credits == 0 else f"第{credits + 1}次办结，服务时长入账",
            by_user=actor_id(),
        )
        .on_conflict_do_nothing(constraint=ONE_PER_ROUND)
        .returning(TimeBankEntry.id)
    )
    if entry_id is None:
        return None
    await _add(session, account.id, points, minutes)
    return points


async def reverse_service(session: AsyncSession, ticket_id: UUID) -> Reversal | None:
    """Reverse the order's standing credit (the resident was not satisfied and the order is reopened); None when
    there is none. Takes back at most the balance (never below zero) and all of the credited service time."""
    credit = await session.scalar(
        select(TimeBankEntry)
        .where(TimeBankEntry.ticket_id == ticket_id, TimeBankEntry.kind == CREDIT)
        .order_by(TimeBankEntry.round.desc())
        .limit(1)
    )
    if credit is None or await _count(session, ticket_id, REVERSAL) >= credit.round:
        return None
    balance = await session.scalar(
        select(TimeBankAccount.balance_points).where(TimeBankAccount.id == credit.account_id).with_for_update()
    )
    taken = min(credit.points, int(balance or 0))
    shortfall = credit.points - taken
    reason = f"居民不满意、工单重办，冲回第{credit.round}次办结的服务积分"
    if shortfall:
        reason += f"（应冲回{credit.points}分，余额仅{taken}分，已兑换或赠出的{shortfall}分不再追回）"
    entry = TimeBankEntry(
        tenant_id=require_tenant(),
        account_id=credit.account_id,
        kind=REVERSAL,
        points=-taken,
        minutes=-credit.minutes,
        ticket_id=ticket_id,
        round=credit.round,
        reason=reason,
        by_user=actor_id(),
    )
    session.add(entry)
    await session.flush()  # the unique round refuses a second reversal of the same credit
    await _add(session, credit.account_id, -taken, -credit.minutes)
    detail = {"ticketId": str(ticket_id), "round": credit.round, "points": taken, "shortfall": shortfall}
    subject = str(credit.account_id)
    await audit.record(
        session, "dispatch.timebank.reversed", subject_type="timebank_account", subject_id=subject, detail=detail
    )
    return Reversal(entry=entry, points=taken, shortfall=shortfall)


class TimeBankAccountRepository(Repository[TimeBankAccount]):
    model_type = TimeBankAccount
    noun = "time-bank account"


class TimeBankService:
    def __init__(self, session: AsyncSession, principal: Principal, accounts: TimeBankAccountRepository) -> None:
        self.session = session
        self.principal = principal
        self.accounts = accounts

    async def my_provider(self) -> Provider:
        provider: Provider | None = await self.session.scalar(
            select(Provider).where(Provider.user_id == self.principal.user_id).order_by(Provider.created_at).limit(1)
        )
        if provider is None:
            raise missing("time-bank account")
        return provider

    async def statement(self, account: TimeBankAccount) -> tuple[TimeBankAccount, list[TimeBankEntry]]:
        """The account with its latest 100 entries, newest first."""
        entries = await self.session.scalars(
            select(TimeBankEntry)
            .where(TimeBankEntry.account_id == account.id)
            .order_by(TimeBankEntry.at.desc(), TimeBankEntry.id.desc())
            .limit(100)
        )
        return account, list(entries)

    async def me(self) -> tuple[TimeBankAccount, list[TimeBankEntry]]:
        provider = await self.my_provider()
        account = await self.session.scalar(holder_is(PROVIDER, provider.id))
        if account is None:  # a read does not open an account
            unopened = TimeBankAccount(holder_kind=PROVIDER, holder_id=provider.id, balance_points=0, service_minutes=0)
            return unopened, []
        return await self.statement(account)

    async def account(self, account_id: UUID) -> tuple[TimeBankAccount, list[TimeBankEntry]]:
        return await self.statement(await self.accounts.get_or_404(account_id))

    async def find(self, holder_kind: str, holder_id: UUID) -> tuple[TimeBankAccount, list[TimeBankEntry]]:
        return await self.statement(await self.accounts.one_or_404(holder_is(holder_kind, holder_id)))

    async def _entry(
        self, account_id: UUID, kind: str, points: int, reason: str, counterpart: UUID | None = None
    ) -> TimeBankEntry:
        entry = TimeBankEntry(
            account_id=account_id,
            kind=kind,
            points=points,
            minutes=0,
            reason=reason,
            counterpart_account_id=counterpart,
            by_user=str(self.principal.user_id),
        )
        self.session.add(entry)
        await self.session.flush()
        await self.session.refresh(entry, ["at"])
        return entry

    async def redeem(self, data: RedemptionCreate) -> tuple[TimeBankEntry, int]:
        """The redemption's entry and the balance left."""
        provider = await self.my_provider()
        account = await account_for(self.session, PROVIDER, provider.id)
        left = await _debit(self.session, account.id, data.points)
        entry = await self._entry(account.id, "redemption", -data.points, data.item.strip())
        await self._audit("dispatch.timebank.redeemed", account, {"points": data.points})
        return entry, left

    async def transfer(self, data: TransferCreate) -> tuple[TimeBankEntry, int]:
        """The giver's entry and the balance left."""
        provider = await self.my_provider()
        if await self.session.get(DirectoryHousehold, data.household_id) is None:
            raise invalid("householdId", "not a household of this district")
        link = None
        if provider.member_id is not None:
            link = await self.session.get(DirectoryLink, (data.household_id, provider.member_id))
        if link is None:
            raise invalid("householdId", "points can only be given to a household paired with you")
        source = await account_for(self.session, PROVIDER, provider.id)
        target = await account_for(self.session, HOUSEHOLD, data.household_id)
        left = await _debit(self.session, source.id, data.points)
        await _add(self.session, target.id, data.points)
        reason = data.reason.strip()
        entry = await self._entry(source.id, "transfer_out", -data.points, reason, target.id)
        await self._entry(target.id, "transfer_in", data.points, reason, source.id)
        await self._audit("dispatch.timebank.transferred", source, {"points": data.points, "to": str(target.id)})
        return entry, left

    async def _audit(self, action: str, account: TimeBankAccount, detail: dict[str, Any]) -> None:
        subject = str(account.id)
        await audit.record(self.session, action, subject_type="timebank_account", subject_id=subject, detail=detail)
