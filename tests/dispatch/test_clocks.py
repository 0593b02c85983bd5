"""Clocks (DSP-05, DSP-16): the working calendar, and the sweep that turns due deadlines into yellow and red
warnings and automatic escalation, each exactly once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks.calendar import add_working_minutes, end_of_day
from services.dispatch.clocks.timers import due_after
from services.dispatch.deadlines.sweeps import JOBS, sweep_deadlines
from services.dispatch.models import CalendarDay, Deadline, Ticket, TicketStatus
from services.dispatch.tickets.transitions import move
from shared.settings import Settings
from tests.dispatch.builders import District, events_of, history, make_overdue, open_ticket, operator, staff
from tests.platform.tokens import TestIssuer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


async def add_days(district: District, *days: tuple[date, bool, str]) -> None:
    async def add(session: AsyncSession) -> None:
        session.add_all(CalendarDay(day=d, is_working=w, label=label) for d, w, label in days)

    await district.run(add)


async def working(district: District, start: datetime, minutes: int) -> datetime:
    async def compute(session: AsyncSession) -> datetime:
        return await add_working_minutes(session, start, minutes)

    result: datetime = await district.run(compute)
    return result


async def deadlines(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, ticket: str) -> list[Any]:
    response = await client.get(f"/api/dispatch/tickets/{ticket}/deadlines", headers=operator(issuer, district))
    assert response.status_code == 200, response.text
    rows: list[Any] = response.json()
    return rows


async def stored(district: District, ticket: str) -> Ticket:
    async def read(session: AsyncSession) -> Ticket:
        return (await session.scalars(select(Ticket).where(Ticket.id == uuid.UUID(ticket)))).one()

    row: Ticket = await district.run(read)
    return row


# --- the working calendar ------------------------------------------------------------------------


async def test_a_friday_afternoon_limit_skips_the_weekend_and_a_holiday(
    district_a: District, district_b: District
) -> None:
    await add_days(district_a, (date(2026, 9, 28), False, "节假日"))
    # Friday 15:30 + 4 working hours: 2 h on Friday, then Monday is a holiday, so Tuesday 10:30.
    assert await working(district_a, local("2026-09-25", "15:30"), 240) == local("2026-09-29", "10:30")
    # The holiday is district A's own: B's calendar runs on to Monday.
    assert await working(district_b, local("2026-09-25", "15:30"), 240) == local("2026-09-28", "10:30")


async def test_a_make_up_working_day_counts_and_hours_outside_the_day_do_not(district_a: District) -> None:
    await add_days(district_a, (date(2026, 10, 10), True, "国庆调休上班"))
    # Friday 17:00 + 2 h: half an hour on Friday, then the make-up Saturday from 08:30.
    assert await working(district_a, local("2026-10-09", "17:00"), 120) == local("2026-10-10", "10:00")
    # Before opening, the clock starts at 08:30; after closing, on the next working day.
    assert await working(district_a, local("2026-09-29", "07:00"), 60) == local("2026-09-29", "09:30")
    assert await working(district_a, local("2026-09-29", "18:00"), 60) == local("2026-09-30", "09:30")
    # The result is the same instant whatever zone the start is given in.
    utc_start = local("2026-09-29", "07:00").astimezone(ZoneInfo("UTC"))
    assert await working(district_a, utc_start, 60) == local("2026-09-29", "09:30")


async def test_round_the_clock_categories_ignore_the_calendar_and_working_ones_use_it(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    async def plain(session: AsyncSession) -> datetime:
        return await due_after(session, local("2026-09-25", "15:30"), 24 * 60, working_time=False)

    assert await district_a.run(plain) == local("2026-09-26", "15:30")  # Saturday: no calendar

    life = await open_ticket(client, issuer, district_a)
    [clock] = await deadlines(client, issuer, district_a, life["id"])
    started, due = datetime.fromisoformat(clock["startedAt"]), datetime.fromisoformat(clock["dueAt"])
    assert clock["kind"] == "resolution"
    assert clock["state"] == "running"
    assert due - started == timedelta(days=1)

    consultation = await open_ticket(client, issuer, district_a, categoryId=str(district_a.categories["consultation"]))
    [clock] = await deadlines(client, issuer, district_a, consultation["id"])
    started, due = datetime.fromisoformat(clock["startedAt"]), datetime.fromisoformat(clock["dueAt"])
    assert due == await working(district_a, started, 3 * 9 * 60)  # three working days of 08:30-17:30
    assert due - started > timedelta(days=1)


async def test_a_referral_due_date_ends_at_midnight_in_the_district(district_a: District) -> None:
    async def compute(session: AsyncSession) -> datetime:
        return await end_of_day(session, date(2026, 12, 31))

    assert await district_a.run(compute) == local("2027-01-01", "00:00")


# --- the sweep -------------------------------------------------------------------------------------


async def test_the_sweep_is_a_scheduled_job_every_few_seconds() -> None:
    [job] = [j for j in JOBS if j.name == "dispatch.deadlines"]
    assert job.interval_s <= 10
    from services.dispatch.schedule import JOBS as SERVICE_JOBS

    assert job in SERVICE_JOBS


async def test_overdue_resolution_turns_yellow_then_red_then_escalates_one_level(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    assert await make_overdue(district_a, ticket["id"], "resolution") == 1
    await sweep_deadlines(settings)

    view = (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=operator(issuer, district_a))).json()
    assert view["warning"] == "yellow"
    assert view["level"] == 0
    warned = [h for h in await history(district_a, ticket["id"]) if h.action == "warned"]
    assert [(h.details["warning"], h.details["clock"], h.actor) for h in warned] == [
        ("yellow", "resolution", "system:dispatch-scheduler")
    ]
    [yellow] = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    assert (yellow["warning"], yellow["clock"], yellow["level"]) == ("yellow", "resolution", 0)
    clocks = {c["kind"]: c for c in await deadlines(client, issuer, district_a, ticket["id"])}
    assert clocks["resolution"]["state"] == "fired"
    red_due = datetime.fromisoformat(clocks["red"]["dueAt"])
    assert red_due - datetime.fromisoformat(clocks["resolution"]["dueAt"]) == timedelta(minutes=24 * 60)
    assert clocks["red"]["state"] == "running"

    assert await make_overdue(district_a, ticket["id"], "red") == 1
    await sweep_deadlines(settings)

    view = (await client.get(f"/api/dispatch/tickets/{ticket['id']}", headers=operator(issuer, district_a))).json()
    assert view["level"] == 1
    assert view["status"] == "assigned"
    assert view["unitId"] == str(district_a.village)  # the village red-collar issue meeting owns it now
    assert view["warning"] == "red"  # the red mark stays on the desk after the case climbs
    actions = [(h.action, h.details.get("warning")) for h in await history(district_a, ticket["id"])]
    assert actions == [
        ("created", None),
        ("warned", "yellow"),
        ("warned", "red"),
        ("escalated", None),
        ("assigned", None),
    ]
    escalated = [h for h in await history(district_a, ticket["id"]) if h.action == "escalated"]
    assert [(h.from_level, h.to_level, h.reason, h.actor) for h in escalated] == [
        (0, 1, "逾期自动升级", "system:dispatch-scheduler")
    ]
    overdue = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    assert [e["warning"] for e in overdue] == ["yellow", "red"]
    [event] = await events_of(district_a, "dispatch.TicketEscalated", ticket["id"])
    assert event["automatic"] is True
    assert (event["from_level"], event["to_level"]) == (0, 1)
    assert event["level_code"] == "village_meeting"
    assert event["unit_id"] == str(district_a.village)
    running = [c for c in await deadlines(client, issuer, district_a, ticket["id"]) if c["state"] == "running"]
    assert [(c["kind"], c["level"]) for c in running] == [("resolution", 1)]
    assert datetime.fromisoformat(running[0]["dueAt"]) - datetime.fromisoformat(running[0]["startedAt"]) == timedelta(
        days=30
    )


async def test_at_the_top_of_the_ladder_a_red_warning_stays_red(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    headers = staff(issuer, district_a)
    for level in range(1, 5):
        response = await client.post(
            f"/api/dispatch/tickets/{ticket['id']}/escalations",
            json={"toLevel": level, "reason": "本级无法化解"},
            headers=headers,
        )
        assert response.status_code == 200, response.text
    await make_overdue(district_a, ticket["id"], "resolution")
    await sweep_deadlines(settings)
    await make_overdue(district_a, ticket["id"], "red")
    await sweep_deadlines(settings)
    row = await stored(district_a, ticket["id"])
    assert (row.level_rank, row.warning, row.unit_id) == (4, "red", district_a.root)
    escalations = [h for h in await history(district_a, ticket["id"]) if h.action == "escalated"]
    assert all(h.actor != "system:dispatch-scheduler" for h in escalations)
    assert len(escalations) == 4
    assert [e["warning"] for e in await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])] == [
        "yellow",
        "red",
    ]


async def test_two_sweeps_at_once_fire_each_deadline_once(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    tickets = [await open_ticket(client, issuer, district_a) for _ in range(3)]
    for ticket in tickets:
        await make_overdue(district_a, ticket["id"], "resolution")
    await asyncio.gather(sweep_deadlines(settings), sweep_deadlines(settings))
    for ticket in tickets:
        warned = [h for h in await history(district_a, ticket["id"]) if h.action == "warned"]
        assert len(warned) == 1
        assert len(await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])) == 1
        reds = [c for c in await deadlines(client, issuer, district_a, ticket["id"]) if c["kind"] == "red"]
        assert len(reds) == 1

    for ticket in tickets:
        await make_overdue(district_a, ticket["id"], "red")
    await asyncio.gather(sweep_deadlines(settings), sweep_deadlines(settings))
    await sweep_deadlines(settings)  # and a rerun finds nothing left to do
    for ticket in tickets:
        assert (await stored(district_a, ticket["id"])).level_rank == 1
        assert len([h for h in await history(district_a, ticket["id"]) if h.action == "escalated"]) == 1
        assert len(await events_of(district_a, "dispatch.TicketEscalated", ticket["id"])) == 1
        assert len(await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])) == 2


async def test_an_overdue_sign_for_clock_warns_yellow_without_escalating(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)

    async def route(session: AsyncSession) -> None:
        row = (await session.scalars(select(Ticket).where(Ticket.id == uuid.UUID(ticket["id"])))).one()
        await move(session, row, TicketStatus.ROUTING, "offered", actor="system:test")

    await district_a.run(route)
    assert await make_overdue(district_a, ticket["id"], "sign_for") == 1
    await sweep_deadlines(settings)
    [event] = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    assert (event["warning"], event["clock"]) == ("yellow", "sign_for")
    row = await stored(district_a, ticket["id"])
    assert (row.level_rank, row.status) == (0, "routing")
    assert await events_of(district_a, "dispatch.TicketEscalated", ticket["id"]) == []
    warned = [h for h in await history(district_a, ticket["id"]) if h.action == "warned"]
    assert [h.details["clock"] for h in warned] == ["sign_for"]


async def test_a_clock_of_a_ticket_no_longer_open_fires_without_a_warning(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    cancelled = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/cancel",
        json={"reason": "来电人撤回"},
        headers=operator(issuer, district_a),
    )
    assert cancelled.status_code == 200, cancelled.text

    async def stray(session: AsyncSession) -> uuid.UUID:
        # A clock left waiting (say, written by a race with the cancellation) on a closed ticket.
        began = datetime.now(SHANGHAI)
        row = Deadline(
            ticket_id=uuid.UUID(ticket["id"]),
            kind="red",
            level_rank=0,
            started_at=began,
            due_at=began - timedelta(minutes=1),
        )
        session.add(row)
        await session.flush()
        return row.id

    stray_id = await district_a.run(stray)
    await sweep_deadlines(settings)
    clocks = {c["id"]: c for c in await deadlines(client, issuer, district_a, ticket["id"])}
    assert clocks[str(stray_id)]["state"] == "fired"
    assert [h.action for h in await history(district_a, ticket["id"]) if h.action == "warned"] == []
    assert await events_of(district_a, "dispatch.TicketOverdue", ticket["id"]) == []
    assert (await stored(district_a, ticket["id"])).warning is None


async def test_deadlines_of_another_district_are_a_404(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    response = await client.get(f"/api/dispatch/tickets/{ticket['id']}/deadlines", headers=operator(issuer, district_b))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    volunteer = await client.get(
        f"/api/dispatch/tickets/{ticket['id']}/deadlines", headers=staff(issuer, district_a, "volunteer")
    )
    assert volunteer.status_code == 403
