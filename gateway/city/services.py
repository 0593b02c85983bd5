"""Cities and their figures, on the system role: a city spans districts, so every query names the city (the caller's
own, found from their account, never from the request) and its districts; any other district is a 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.city.models import City, CityAccount, CityDistrict, CityFigures
from gateway.city.schemas import (
    CareView,
    CityFiguresRead,
    CityRead,
    CityRef,
    CityTotals,
    DistrictFigures,
    DistrictRef,
    HotlineView,
    NetworkView,
)
from gateway.models import Tenant, UserAccount
from gateway.tenants.services import MIN_PASSWORD
from gateway.tenants.services import _user as new_login
from shared import audit
from shared.contracts.city import CareFigures, HotlineFigures, NetworkFigures, period_days
from shared.http.problems import ProblemError, invalid


def no_such_district() -> ProblemError:
    return ProblemError(404, "no such district in this city", title="Not Found")


def checked_period(period: str | None) -> str:
    if period is None:
        raise invalid("query.period", "required: a month YYYY-MM or a day YYYY-MM-DD")
    if period_days(period) is None:
        raise invalid("query.period", "a month YYYY-MM or a day YYYY-MM-DD")
    return period


async def districts_of(session: AsyncSession, city: City) -> list[Tenant]:
    return list(
        await session.scalars(
            select(Tenant)
            .join(CityDistrict, CityDistrict.district_id == Tenant.id)
            .where(CityDistrict.city_id == city.id)
            .order_by(Tenant.name, Tenant.slug)
        )
    )


def _ref(tenant: Tenant) -> DistrictRef:
    return DistrictRef(id=str(tenant.id), slug=tenant.slug, name=tenant.name)


# --- the figures districts publish ------------------------------------------------------------------------------


async def record_figures(
    session: AsyncSession,
    district_id: UUID,
    source: str,
    *,
    period: str,
    computed_at: datetime,
    figures: msgspec.Struct,
) -> None:
    """Keep the latest computation of a district's period: a redelivery, or an older run arriving late, changes
    nothing. A district the registry does not hold (never provisioned here), or a period that is none, is ignored:
    retrying could not make it fit."""
    if period_days(period) is None or await session.get(Tenant, district_id) is None:
        return
    values = {
        "district_id": district_id,
        "source": source,
        "period": period,
        "computed_at": computed_at,
        "figures": msgspec.to_builtins(figures),
    }
    statement = insert(CityFigures).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CityFigures.district_id, CityFigures.source, CityFigures.period],
            set_={
                "computed_at": statement.excluded.computed_at,
                "figures": statement.excluded.figures,
                "received_at": func.now(),
            },
            where=CityFigures.computed_at < statement.excluded.computed_at,
        )
    )


def _view(row: CityFigures | None, figures: type[msgspec.Struct], view: type[Any]) -> Any:
    if row is None:
        return None
    held = msgspec.convert(row.figures, figures)
    return view(**msgspec.structs.asdict(held), computed_at=row.computed_at)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _totals(lines: list[DistrictFigures]) -> CityTotals:
    hotlines = [line.hotline for line in lines if line.hotline is not None]
    networks = [line.network for line in lines if line.network is not None]

    def hotline(name: str) -> int:
        return sum(getattr(h, name) for h in hotlines)

    def network(name: str) -> int:
        return sum(getattr(n, name) for n in networks)

    tickets, rated = hotline("tickets"), hotline("rated")
    return CityTotals(
        districts_reporting=sum(1 for line in lines if line.hotline or line.network or line.care),
        tickets=tickets,
        responded=hotline("responded"),
        resolved=hotline("resolved"),
        rated=rated,
        satisfied=hotline("satisfied"),
        response_rate=_rate(hotline("responded"), tickets),
        resolution_rate=_rate(hotline("resolved"), tickets),
        satisfaction_rate=_rate(hotline("satisfied"), rated),
        overdue_yellow=hotline("overdue_yellow"),
        overdue_red=hotline("overdue_red"),
        open=hotline("open"),
        members=network("members"),
        households=network("households"),
        unserved_households=network("unserved_households"),
    )


async def _district_lines(session: AsyncSession, districts: list[Tenant], period: str) -> list[DistrictFigures]:
    rows = await session.scalars(
        select(CityFigures).where(CityFigures.district_id.in_([d.id for d in districts]), CityFigures.period == period)
    )
    held = {(row.district_id, row.source): row for row in rows}
    return [
        DistrictFigures(
            district=_ref(d),
            hotline=_view(held.get((d.id, "hotline")), HotlineFigures, HotlineView),
            network=_view(held.get((d.id, "network")), NetworkFigures, NetworkView),
            care=_view(held.get((d.id, "care")), CareFigures, CareView),
        )
        for d in districts
    ]


async def city_figures(session: AsyncSession, city: City, period: str) -> CityFiguresRead:
    lines = await _district_lines(session, await districts_of(session, city), checked_period(period))
    return CityFiguresRead(
        city=CityRef(code=city.code, name=city.name), period=period, districts=lines, total=_totals(lines)
    )


async def district_figures(session: AsyncSession, city: City, slug: str, period: str) -> DistrictFigures:
    """One of the city's districts; any other district (another city's, none's, unknown) is the same 404."""
    period = checked_period(period)
    district = next((d for d in await districts_of(session, city) if d.slug == slug), None)
    if district is None:
        raise no_such_district()
    return (await _district_lines(session, [district], period))[0]


# --- what platform operators do ----------------------------------------------------------------------------------


async def _tenants(session: AsyncSession, slugs: list[str]) -> list[Tenant]:
    found = {t.slug: t for t in await session.scalars(select(Tenant).where(Tenant.slug.in_(slugs)))}
    unknown = [slug for slug in dict.fromkeys(slugs) if slug not in found]
    if unknown:
        raise invalid("body.districts", f"no such district: {', '.join(unknown)}")
    return [found[slug] for slug in dict.fromkeys(slugs)]


async def set_districts(session: AsyncSession, city: City, slugs: list[str]) -> None:
    """The city's districts from now on; a district of another city is refused (422), nothing changed."""
    districts = await _tenants(session, slugs)
    taken = (
        await session.execute(
            select(Tenant.slug, City.name)
            .join(CityDistrict, CityDistrict.district_id == Tenant.id)
            .join(City, City.id == CityDistrict.city_id)
            .where(Tenant.id.in_([d.id for d in districts]), City.id != city.id)
        )
    ).all()
    if taken:
        named = ", ".join(f"{slug} ({name})" for slug, name in taken)
        raise invalid("body.districts", f"already a district of another city: {named}")
    await session.execute(delete(CityDistrict).where(CityDistrict.city_id == city.id))
    session.add_all(CityDistrict(district_id=d.id, city_id=city.id) for d in districts)
    await session.flush()
    await audit.record(
        session, "city.districts_set", subject_type="city", subject_id=str(city.id), detail={"districts": slugs}
    )


async def city_by_code(session: AsyncSession, code: str, *, lock: bool = False) -> City:
    query = select(City).where(City.code == code)
    city = await session.scalar(query.with_for_update() if lock else query)
    if city is None:
        raise ProblemError(404, f"no city {code}", title="Not Found")
    return city


async def create_city(session: AsyncSession, code: str, name: str, slugs: list[str]) -> tuple[City, bool]:
    """A city with its districts; idempotent on the code (``created`` False: the existing city, unchanged)."""
    existing = await session.scalar(select(City).where(City.code == code))
    if existing is not None:
        return existing, False
    city = City(code=code, name=name.strip())
    session.add(city)
    await session.flush()
    await audit.record(session, "city.created", subject_type="city", subject_id=str(city.id))
    await set_districts(session, city, slugs)
    return city, True


async def city_read(session: AsyncSession, city: City) -> CityRead:
    accounts = await session.scalars(
        select(UserAccount.username)
        .join(CityAccount, CityAccount.user_id == UserAccount.id)
        .where(CityAccount.city_id == city.id)
        .order_by(UserAccount.username)
    )
    return CityRead(
        code=city.code,
        name=city.name,
        districts=[_ref(d) for d in await districts_of(session, city)],
        accounts=list(accounts),
        created_at=city.created_at,
    )


async def add_account(
    session: AsyncSession, city: City, username: str, password: str, display_name: str | None
) -> UserAccount:
    """A new login of the city (not of a district); an existing username is refused, never turned into one."""
    if len(password) < MIN_PASSWORD:
        message = f"at least {MIN_PASSWORD} characters"
        raise ProblemError(422, "password too short", errors=[{"field": "body.password", "message": message}])
    user, created = await new_login(session, username, password, platform_operator=False, display_name=display_name)
    if not created:
        raise ProblemError(409, "this username is taken", errors=[{"field": "body.username", "message": "taken"}])
    session.add(CityAccount(user_id=user.id, city_id=city.id))
    await session.flush()
    await audit.record(session, "city.account_added", subject_type="user", subject_id=str(user.id))
    return user


async def every_city(session: AsyncSession) -> list[City]:
    return list(await session.scalars(select(City).order_by(City.code)))
