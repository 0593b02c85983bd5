"""The city's view (GW-02): a city account reads its districts' published figures side by side; platform operators
create cities, give them districts and accounts. A city account's token carries no district, so every service
refuses it: what it reads is only what the districts published here, counts and rates."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.city import services as cities
from gateway.city.accounts import CITY_VIEWER, city_of
from gateway.city.models import City
from gateway.city.schemas import (
    CityAccountCreate,
    CityAccountRead,
    CityCreate,
    CityDistricts,
    CityFiguresRead,
    CityRead,
    DistrictFigures,
)
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role
from shared.http.problems import ProblemError

AnyRequest = Request[Any, Any, Any]
# Optional in the signature only so that a missing one is a 422 naming it (checked in the service).
Period = Annotated[str | None, QueryParameter(description="a month YYYY-MM or a day YYYY-MM-DD", max_length=20)]


async def _own_city(session: AsyncSession, request: AnyRequest) -> City:
    """The caller's city, read afresh: an account taken from its city reads nothing more."""
    city = await city_of(session, principal_of(request).user_id)
    if city is None:
        raise ProblemError(403, "this account belongs to no city", title="Forbidden")
    return city


class CityFiguresController(Controller):
    path = "/city/figures"
    tags = ["City"]
    guards = [requires_role(CITY_VIEWER)]

    @get("/", operation_id="CityFigures", summary="Every district of the caller's city side by side, for a period")
    async def figures(self, request: AnyRequest, state: State, period: Period = None) -> CityFiguresRead:
        session: AsyncSession
        async with state.system_sessions() as session:
            return await cities.city_figures(session, await _own_city(session, request), cities.checked_period(period))

    @get("/{slug:str}", operation_id="CityDistrictFigures", summary="One district of the caller's city, for a period")
    async def district(
        self, request: AnyRequest, state: State, slug: FromPath[str], period: Period = None
    ) -> DistrictFigures:
        session: AsyncSession
        async with state.system_sessions() as session:
            city = await _own_city(session, request)
            return await cities.district_figures(session, city, slug, cities.checked_period(period))


class PlatformCityController(Controller):
    """For platform operators: cities over the registry, their districts and accounts; no figures."""

    path = "/platform/cities"
    tags = ["Platform"]
    guards = [requires_role(Role.PLATFORM_OPERATOR)]

    @post("/", operation_id="CreateCity", summary="Create a city grouping districts (GW-02)")
    async def create(self, state: State, data: JSONBody[CityCreate]) -> CityRead:
        session: AsyncSession
        async with state.system_sessions() as session, session.begin():
            city, created = await cities.create_city(session, data.code, data.name, list(data.districts))
            if not created:
                raise ProblemError(409, f"city {data.code} already exists", title="Conflict")
            return await cities.city_read(session, city)

    @get("/", operation_id="ListCities", summary="Cities with their districts and accounts")
    async def list(self, state: State) -> list[CityRead]:
        session: AsyncSession
        async with state.system_sessions() as session:
            return [await cities.city_read(session, city) for city in await cities.every_city(session)]

    @get("/{code:str}", operation_id="GetCity", summary="One city with its districts and accounts")
    async def one(self, state: State, code: FromPath[str]) -> CityRead:
        session: AsyncSession
        async with state.system_sessions() as session:
            return await cities.city_read(session, await cities.city_by_code(session, code))

    @put("/{code:str}/districts", operation_id="SetCityDistricts", summary="The city's districts from now on")
    async def districts(self, state: State, code: FromPath[str], data: JSONBody[CityDistricts]) -> CityRead:
        session: AsyncSession
        async with state.system_sessions() as session, session.begin():
            city = await cities.city_by_code(session, code, lock=True)
            await cities.set_districts(session, city, list(data.districts))
            return await cities.city_read(session, city)

    @post("/{code:str}/accounts", operation_id="AddCityAccount", summary="A new login of the city (role city_viewer)")
    async def account(self, state: State, code: FromPath[str], data: JSONBody[CityAccountCreate]) -> CityAccountRead:
        session: AsyncSession
        async with state.system_sessions() as session, session.begin():
            city = await cities.city_by_code(session, code)
            user = await cities.add_account(session, city, data.username, data.password, data.display_name)
            return CityAccountRead(
                user_id=str(user.id),
                username=user.username,
                display_name=user.display_name,
                city=city.code,
                roles=[CITY_VIEWER],
            )
