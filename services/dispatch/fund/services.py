"""The village micro-fund (微基金, DSP-23 [000]): benefactors give to their village's fund; the village pays out of
it for a micro-wish or a case, each payment linked to the one it paid for. A payment never takes the balance below
zero: one booking at a time per village (a transaction-scoped advisory lock), and the database checks the balance
each line leaves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.campaigns.units import Unit, all_units, find_unit
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.fund.models import EntryKind, FundEntry
from services.dispatch.fund.schemas import DisbursementCreate, DonationCreate, VillageFund
from services.dispatch.tickets.services import TicketService
from services.dispatch.wishes.services import WishService
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.context import require_tenant
from shared.http.problems import FieldErrors, ProblemError, invalid

CENT = Decimal("0.01")
LATE_BOOKING_DAYS = 366  # a receipt from last year may be entered late; not one from the future


def yuan(amount: float) -> Decimal | None:
    """The amount as exact yuan, or None if it has more than two decimals."""
    exact = Decimal(str(amount))
    return exact.quantize(CENT) if exact == exact.quantize(CENT) else None


def check_day(errors: FieldErrors, field: str, day: date) -> None:
    today = china_today()
    if day > today:
        errors.add(field, "is in the future")
    elif (today - day).days > LATE_BOOKING_DAYS:
        errors.add(field, f"more than {LATE_BOOKING_DAYS} days ago")


class FundService:
    def __init__(
        self, session: AsyncSession, principal: Principal, tickets: TicketService, wishes: WishService
    ) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets
        self.wishes = wishes

    async def village(self, village_id: UUID) -> Unit:
        return await find_unit(self.session, self.principal, village_id, "village")

    async def _balance(self, village_id: UUID) -> Decimal:
        total = await self.session.scalar(
            select(
                func.coalesce(
                    func.sum(case((FundEntry.kind == EntryKind.DONATION, FundEntry.amount), else_=-FundEntry.amount)),
                    0,
                )
            ).where(FundEntry.village_id == village_id)
        )
        return Decimal(total or 0)

    async def _lock(self, village: Unit) -> None:
        key = f"microfund:{require_tenant()}:{village.id}"
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    async def funds(self) -> list[VillageFund]:
        """Each village the caller may see with its totals (a village with no entries shows zeros)."""
        villages = await all_units(self.session, self.principal, "village")
        rows = await self.session.execute(
            select(FundEntry.village_id, FundEntry.kind, func.sum(FundEntry.amount)).group_by(
                FundEntry.village_id, FundEntry.kind
            )
        )
        sums: dict[tuple[UUID, str], Decimal] = {(v, k): Decimal(a) for v, k, a in rows.all()}
        return [self.fund_of(v, sums) for v in villages]

    @staticmethod
    def fund_of(village: Unit, sums: dict[tuple[UUID, str], Decimal]) -> VillageFund:
        given = sums.get((village.id, EntryKind.DONATION), Decimal(0))
        paid = sums.get((village.id, EntryKind.DISBURSEMENT), Decimal(0))
        return VillageFund(
            village_id=village.id,
            village_name=village.name,
            street_name=village.street_name,
            donations=given,
            disbursements=paid,
            balance=given - paid,
        )

    async def ledger(self, village_id: UUID) -> tuple[VillageFund, list[FundEntry]]:
        village = await self.village(village_id)
        entries = list(
            await self.session.scalars(
                select(FundEntry)
                .where(FundEntry.village_id == village.id)
                .order_by(FundEntry.booked_at.desc(), FundEntry.id.desc())
            )
        )
        sums: dict[tuple[UUID, str], Decimal] = {}
        for entry in entries:
            key = (village.id, entry.kind)
            sums[key] = sums.get(key, Decimal(0)) + entry.amount
        return self.fund_of(village, sums), entries

    async def _book(self, village: Unit, entry: FundEntry) -> FundEntry:
        self.session.add(entry)
        await self.session.flush()
        await audit.record(
            self.session,
            f"dispatch.fund.{entry.kind}",
            subject_type="fund_entry",
            subject_id=str(entry.id),
            detail={"villageId": str(village.id), "amount": str(entry.amount), "balance": str(entry.balance_after)},
        )
        return entry

    def _entry(self, village: Unit, kind: str, amount: Decimal, balance: Decimal, day: date) -> FundEntry:
        return FundEntry(
            village_id=village.id,
            village_name=village.name,
            village_path=village.path,
            kind=kind,
            amount=amount,
            balance_after=balance,
            on_day=day,
            recorded_by_name=self.principal.name,
            booked_at=now(),
        )

    async def donate(self, village_id: UUID, data: DonationCreate) -> FundEntry:
        errors = FieldErrors()
        amount = yuan(data.amount)
        if amount is None:
            errors.add("amount", "yuan with at most two decimals")
        day = data.received_on or china_today()
        check_day(errors, "receivedOn", day)
        errors.raise_if_any("the donation has invalid fields")
        assert amount is not None
        village = await self.village(village_id)
        await self._lock(village)
        entry = self._entry(village, EntryKind.DONATION, amount, await self._balance(village.id) + amount, day)
        entry.donor, entry.purpose = data.donor.strip(), data.purpose.strip()
        return await self._book(village, entry)

    @staticmethod
    def _inside(village: Unit, path: str | None, field: str, what: str) -> None:
        if path is None or not path.startswith(village.path):
            raise invalid(field, f"the {what} is not of {village.name}")

    async def disburse(self, village_id: UUID, data: DisbursementCreate) -> FundEntry:
        errors = FieldErrors()
        amount = yuan(data.amount)
        if amount is None:
            errors.add("amount", "yuan with at most two decimals")
        day = data.paid_on or china_today()
        check_day(errors, "paidOn", day)
        if (data.wish_id is None) == (data.ticket_id is None):
            errors.add("wishId", "name the micro-wish (wishId) or the case (ticketId) it pays for, one of the two")
        errors.raise_if_any("the disbursement has invalid fields")
        assert amount is not None
        village = await self.village(village_id)
        # another district's wish or case is a 404 (their services' own lookups); another village's a 422
        if data.wish_id is not None:
            wish = await self.wishes.get(data.wish_id)
            grid = await self.session.get(DirectoryGrid, wish.grid_id) if wish.grid_id else None
            self._inside(village, grid.path if grid else None, "wishId", "micro-wish")
            title = wish.title
        else:
            assert data.ticket_id is not None
            ticket = await self.tickets.get(data.ticket_id)
            self._inside(village, ticket.grid_path, "ticketId", "case")
            title = f"{ticket.number} {ticket.title}"
        await self._lock(village)
        balance = await self._balance(village.id)
        if amount > balance:
            raise ProblemError(
                409,
                f"the micro-fund of {village.name} holds ¥{balance}: a payment of ¥{amount} would take it below zero",
                title="Conflict",
            )
        entry = self._entry(village, EntryKind.DISBURSEMENT, amount, balance - amount, day)
        entry.purpose, entry.wish_id, entry.ticket_id = data.purpose.strip(), data.wish_id, data.ticket_id
        entry.linked_title = title[:200]
        return await self._book(village, entry)
