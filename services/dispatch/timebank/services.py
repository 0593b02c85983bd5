"""The time bank (DSP-08): service hours become points; points are redeemed or given to a paired household.

Points: 10 per hour of service, pro rata, rounded down to whole points (90 min → 15, 5 min → 0).
The balance never goes below zero: every debit is one conditional UPDATE that only succeeds while the
balance covers it (concurrent debits queue on the row and re-check), with the CHECK constraint as a
backstop. Entries are append-only and sum to the balance.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryHousehold, DirectoryLink, Provider, TimeBankAccount, TimeBankEntry
from services.dispatch.tickets.history import actor_name
from services.dispatch.timebank.schemas import AccountView, EntryView, MovementView, RedemptionCreate, TransferCreate
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.db.base import uuid7
from shared.http.problems import conflict, invalid, missing

POINTS_PER_HOUR = 10
PROVIDER = "provider"
HOUSEHOLD = "household"


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
    account: TimeBankAccount = (
        await session.scalars(
            select(TimeBankAccount)
            .where(TimeBankAccount.holder_kind == holder_kind, TimeBankAccount.holder_id == holder_id)
            .execution_options(populate_existing=True)  # balances move by UPDATE statements, not the ORM
        )
    ).one()
    return account


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


async def credit_service(session: AsyncSession, ticket_id: UUID, provider_id: UUID, minutes: int) -> int | None:
    """Credit a completed order's service time to its provider once; None when it was credited before."""
    account = await account_for(session, PROVIDER, provider_id)
    points = points_for(minutes)
    entry_id = await session.scalar(
        pg_insert(TimeBankEntry)
        .values(
            tenant_id=require_tenant(),
            id=uuid7(),
            account_id=account.id,
            kind="credit",
            points=points,
            minutes=minutes,
            ticket_id=ticket_id,
            reason="服务时长入账",
            by_user=actor_name(),
        )
        .on_conflict_do_nothing(constraint="uq_timebank_entry_ticket_kind")
        .returning(TimeBankEntry.id)
    )
    if entry_id is None:
        return None
    await _add(session, account.id, points, minutes)
    return points


def entry_view(e: TimeBankEntry) -> EntryView:
    return EntryView(id=e.id, kind=e.kind, points=e.points, minutes=e.minutes, ticket_id=e.ticket_id,
                     counterpart_account_id=e.counterpart_account_id, reason=e.reason, at=e.at)  # fmt: skip


class TimeBankService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def my_provider(self) -> Provider:
        provider: Provider | None = await self.session.scalar(
            select(Provider).where(Provider.user_id == self.principal.user_id).order_by(Provider.created_at).limit(1)
        )
        if provider is None:
            raise missing("time-bank account")
        return provider

    async def view(self, account: TimeBankAccount) -> AccountView:
        entries = await self.session.scalars(
            select(TimeBankEntry).where(TimeBankEntry.account_id == account.id)
            .order_by(TimeBankEntry.at.desc(), TimeBankEntry.id.desc()).limit(100)
        )  # fmt: skip
        return AccountView(id=account.id, holder_kind=account.holder_kind, holder_id=account.holder_id,
                           balance_points=account.balance_points, service_minutes=account.service_minutes,
                           entries=[entry_view(e) for e in entries])  # fmt: skip

    async def me(self) -> AccountView:
        provider = await self.my_provider()
        account = await self.session.scalar(
            select(TimeBankAccount).where(
                TimeBankAccount.holder_kind == PROVIDER, TimeBankAccount.holder_id == provider.id
            )
        )
        if account is None:  # a read does not open an account
            return AccountView(id=None, holder_kind=PROVIDER, holder_id=provider.id, balance_points=0,
                               service_minutes=0, entries=[])  # fmt: skip
        return await self.view(account)

    async def account(self, account_id: UUID) -> AccountView:
        account = await self.session.get(TimeBankAccount, account_id)
        if account is None:
            raise missing("time-bank account")
        return await self.view(account)

    async def find(self, holder_kind: str, holder_id: UUID) -> AccountView:
        account = await self.session.scalar(
            select(TimeBankAccount).where(
                TimeBankAccount.holder_kind == holder_kind, TimeBankAccount.holder_id == holder_id
            )
        )
        if account is None:
            raise missing("time-bank account")
        return await self.view(account)

    async def _entry(self, account_id: UUID, kind: str, points: int, reason: str,
                     counterpart: UUID | None = None) -> TimeBankEntry:  # fmt: skip
        entry = TimeBankEntry(account_id=account_id, kind=kind, points=points, minutes=0, reason=reason,
                              counterpart_account_id=counterpart, by_user=str(self.principal.user_id))  # fmt: skip
        self.session.add(entry)
        await self.session.flush()
        await self.session.refresh(entry, ["at"])
        return entry

    async def redeem(self, data: RedemptionCreate) -> MovementView:
        provider = await self.my_provider()
        account = await account_for(self.session, PROVIDER, provider.id)
        left = await _debit(self.session, account.id, data.points)
        entry = await self._entry(account.id, "redemption", -data.points, data.item.strip())
        await audit.record(self.session, "dispatch.timebank.redeemed", subject_type="timebank_account",
                           subject_id=str(account.id), detail={"points": data.points})  # fmt: skip
        return MovementView(entry=entry_view(entry), balance_points=left)

    async def transfer(self, data: TransferCreate) -> MovementView:
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
        await audit.record(self.session, "dispatch.timebank.transferred", subject_type="timebank_account",
                           subject_id=str(source.id), detail={"points": data.points, "to": str(target.id)})  # fmt: skip
        return MovementView(entry=entry_view(entry), balance_points=left)
