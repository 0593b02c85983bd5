from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from gateway.identity.schemas import DisplayName, Password, Slug, Username
from shared.contracts.city import CareFigures, HotlineFigures, NetworkFigures

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Districts = Annotated[list[Slug], msgspec.Meta(max_length=200)]


class CityCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    code: Slug  # e.g. wenzhou
    name: Name  # 温州市
    districts: Districts = []  # the districts' codes (slugs)


class CityDistricts(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    districts: Districts  # the city's districts from now on (codes); a district belongs to one city at most


class CityAccountCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    username: Username
    password: Password
    display_name: DisplayName | None = None


class DistrictRef(msgspec.Struct, rename="camel", kw_only=True):
    id: str
    slug: str
    name: str


class CityRead(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    name: str
    districts: list[DistrictRef]  # by name
    accounts: list[str]  # usernames
    created_at: datetime | None = None


class CityAccountRead(msgspec.Struct, rename="camel", kw_only=True):
    user_id: str
    username: str
    display_name: str
    city: str  # the city's code
    roles: list[str]


class HotlineView(HotlineFigures, frozen=True, kw_only=True, rename="camel"):
    computed_at: datetime  # when the district computed them (snapshot figures are as of then)


class NetworkView(NetworkFigures, frozen=True, kw_only=True, rename="camel"):
    computed_at: datetime


class CareView(CareFigures, frozen=True, kw_only=True, rename="camel"):
    computed_at: datetime


class DistrictFigures(msgspec.Struct, rename="camel", kw_only=True):
    """One district's figures for the period; ``null`` where the district has not published any yet."""

    district: DistrictRef
    hotline: HotlineView | None
    network: NetworkView | None
    care: CareView | None


class CityTotals(msgspec.Struct, rename="camel", kw_only=True):
    """The city's districts summed (those that published); rates from the sums, None when a denominator is 0."""

    districts_reporting: int
    tickets: int
    responded: int
    resolved: int
    rated: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    overdue_yellow: int
    overdue_red: int
    open: int
    members: int
    households: int
    unserved_households: int


class CityRef(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    name: str


class CityFiguresRead(msgspec.Struct, rename="camel", kw_only=True):
    city: CityRef
    period: str
    districts: list[DistrictFigures]  # every district of the city, by name
    total: CityTotals
