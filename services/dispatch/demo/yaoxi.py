"""The rest of Yaoxi's red-cell network in 龙湾区 [000] (issue 16, DSP-13/21/23): the mass-service days on the 25th
and the red-vest Tuesdays of the first village with their rosters and the people served, the village's micro-fund
(two benefactors' donations, a payment for a micro-wish), and the village's issue meeting of today with the case
escalated to it on its agenda, its outcomes left for a cadre to record in the console (会议议程).

Like the visits, this needs orgtree's grids and members in the directory: on the very first ``make dev`` it says so
and is written the next time ``redcell demo load`` runs. Rerunning changes nothing. Names the seed does not give are
marked （示例）."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.agendas.schemas import MeetingCreate
from services.dispatch.agendas.services import AgendaService
from services.dispatch.campaigns.models import CampaignCalendar, CampaignDay, CampaignKind, DutyRole
from services.dispatch.campaigns.schemas import CampaignCreate, DutyCreate
from services.dispatch.campaigns.services import CampaignService
from services.dispatch.campaigns.units import Unit, all_units
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.escalation.ladder import escalate
from services.dispatch.fund.schemas import DisbursementCreate, DonationCreate
from services.dispatch.fund.services import FundService
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from services.dispatch.wishes.models import MicroWish, WishStatus
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.http.di import build_service

SYNTHETIC = "（示例）"
MATTERS = ("政策宣讲、医保代办", "义务理发", "家电维修", "测血压、健康咨询")
SERVED = (18, 12, 9, 15)
DONORS = ((f"林先生{SYNTHETIC}", Decimal(2000)), (f"瑶溪村乡贤联谊会{SYNTHETIC}", Decimal(3000)))
WISH = ("visit", f"独居老人想要一台助行器{SYNTHETIC}", Decimal("150.00"))
CASE = "村口路灯不亮，夜间出行不便"


def mass_service_days(today: date, count: int = 2) -> list[date]:
    """The last ``count`` 25ths on or before today, oldest first."""
    found: list[date] = []
    year, month = today.year, today.month
    while len(found) < count:
        day = date(year, month, 25)
        if day <= today:
            found.append(day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(found)


def tuesdays(today: date, count: int = 3) -> list[date]:
    last = today - timedelta(days=(today.isoweekday() - 2) % 7)
    return [last - timedelta(weeks=k) for k in reversed(range(count))]


async def _first_household(session: AsyncSession, village: Unit) -> uuid.UUID | None:
    household: uuid.UUID | None = await session.scalar(
        select(DirectoryHousehold.household_id)
        .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id)
        .where(DirectoryGrid.path >= village.path, DirectoryGrid.path < village.path + "~")
        .order_by(DirectoryHousehold.household_id)
        .limit(1)
    )
    return household


async def _campaigns(session: AsyncSession, desk: Principal, village: Unit, street: Unit | None) -> int:
    session.add(CampaignCalendar(mass_service_day=25, red_vest_weekday=2))
    await session.flush()
    members = list(
        await session.scalars(
            select(Provider)
            .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.active)
            .order_by(Provider.name, Provider.id)
            .limit(4)
        )
    )
    campaigns = CampaignService(session, desk)
    today = china_today()
    days = [(CampaignKind.MASS_SERVICE, d, village) for d in mass_service_days(today)]
    days += [(CampaignKind.RED_VEST, d, street or village) for d in tuesdays(today)]
    for kind, held_on, unit in days:
        day = await campaigns.create(CampaignCreate(kind=kind, held_on=held_on, unit_id=unit.id))
        for k, member in enumerate(members):
            role = DutyRole.STREET_CADRE if kind == CampaignKind.RED_VEST and k == 0 else DutyRole.BRANCH_MEMBER
            duty = DutyCreate(
                starts_at=time(8 + k, 30 * (k % 2)),
                provider_id=member.id,
                role=role,
                vest=f"红马甲·{member.name}"[:40],
                matter=MATTERS[k % len(MATTERS)],
                served=SERVED[(k + held_on.day) % len(SERVED)],
            )
            await campaigns.add_duty(day.id, duty)
    return len(days)


async def _fund(session: AsyncSession, desk: Principal, village: Unit) -> str:
    fund = build_service(FundService, session, desk)
    for days_ago, (donor, amount) in zip((60, 30), DONORS, strict=True):
        donation = DonationCreate(
            amount=float(amount), donor=donor, received_on=china_today() - timedelta(days=days_ago), purpose="微心愿"
        )
        await fund.donate(village.id, donation)
    household = await _first_household(session, village)
    if household is None:
        return "donations only"
    grid = await session.scalar(select(DirectoryHousehold.grid_id).where(DirectoryHousehold.household_id == household))
    source, title, value = WISH
    wish = MicroWish(
        source=source,
        title=title,
        value_yuan=value,
        household_id=household,
        grid_id=grid,
        beneficiary_masked="陈**",
        status=WishStatus.FULFILLED,
        published_at=now(),
        claimed_at=now(),
        fulfilled_at=now(),
        claimer_kind="unit",
        claimer_unit=f"瑶溪村微基金{SYNTHETIC}",
        evidence_note="村微基金出资购置，已送到老人家中",
    )
    session.add(wish)
    await session.flush()
    paid = DisbursementCreate(amount=float(value), purpose="购置助行器", wish_id=wish.id)
    await fund.disburse(village.id, paid)
    return "two donations and a payment for a wish"


async def _meeting(session: AsyncSession, desk: Principal, village: Unit) -> int:
    household = await _first_household(session, village)
    if household is not None:
        tickets = build_service(TicketService, session, desk)
        case = await tickets.create(TicketCreate(channel="visit", title=CASE, household_id=household))
        await escalate(session, case, 1, "网格无法解决：需村里统一安排", actor=str(desk.user_id), automatic=False)
    agendas = build_service(AgendaService, session, desk)
    meeting = await agendas.create(
        MeetingCreate(
            kind="issue_meeting", unit_id=village.id, attendees=[f"村书记{SYNTHETIC}", f"红领队长{SYNTHETIC}"]
        )
    )
    return len(await agendas.items(meeting))


async def load_yaoxi(session: AsyncSession, desk: Principal) -> str:
    """Write Yaoxi's campaign days, micro-fund and meeting; what to print."""
    if await session.scalar(select(func.count()).select_from(CampaignDay)):
        return "campaign days, micro-fund and meetings already loaded"
    units = await all_units(session, desk)
    villages = [u for u in units if u.level == "village"]
    if not villages:
        return "campaign days: no village here yet (run `redcell demo load` again once the worker has run)"
    village = villages[0]
    street = next((u for u in units if u.level == "street" and village.path.startswith(u.path)), None)
    days = await _campaigns(session, desk, village, street)
    fund = await _fund(session, desk, village)
    cases = await _meeting(session, desk, village)
    return (
        f"campaign days: {days} in {village.name}; micro-fund: {fund}; "
        f"issue meeting of today with {cases} cases on its agenda"
    )
