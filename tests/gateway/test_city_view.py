"""The city's view (GW-02) end to end: a platform operator groups 龙湾区 and 瓯海区 into a city and gives it an account;
each district's dispatch and orgtree publish their figures (the scheduler's job, run here at once) through the
outbox to the gateway's worker; the city account reads both districts side by side, the same figures the districts'
own reports show. Refused: bad periods and bodies (problem+json naming the field, nothing stored), another city's
district (404), district and platform tokens (403), the city's token at a service (403). And no personal value of
the districts (names, phones, ID numbers, addresses, member, household and ticket ids) is in a stored row or an
answer."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import jwt

from gateway.city.services import record_figures
from gateway.tenants.cli import create_platform_operator_cli
from services.dispatch.city_figures import publish as hotline
from services.orgtree.city_figures import publish as network
from services.training.city_figures import publish as care
from shared.clock import china_today
from shared.contracts.city import PUBLISH_EVERY_S, SLICE_S, NetworkFigures, in_this_slice
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.console.support import Caller, categories, new_phone, until
from tests.gateway.support import is_problem
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login
from tests.seeds.story import village

HOTLINE_KEYS = {
    "tickets",
    "responded",
    "resolved",
    "rated",
    "satisfied",
    "responseRate",
    "resolutionRate",
    "satisfactionRate",
    "score",
    "overdueYellow",
    "overdueRed",
    "open",
    "visitLinks",
    "visitsDue",
    "daily",
}
NETWORK_KEYS = {
    "stationedCadres",
    "villageCadres",
    "redCollarLeaders",
    "members",
    "households",
    "unservedHouseholds",
    "coveragePercent",
    "membersOutsideRange",
    "linksMin",
    "linksMax",
}
CARE_KEYS = {"year", "certificatesDue", "reviewed", "overdue", "reviewRate"}
DAILY_KEYS = {"day", "tickets", "overdue"}
SOURCES = {"hotline": HOTLINE_KEYS, "network": NETWORK_KEYS, "care": CARE_KEYS}


def _id_card(body: str) -> str:
    """A citizen ID number with its GB 11643 check digit (orgtree checks it)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _get(platform: RunningPlatform, path: str, token: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{platform.gateway}{path}", headers=auth(token), params=params)


def _post(platform: RunningPlatform, path: str, token: str, body: Any) -> httpx.Response:
    return httpx.post(f"{platform.gateway}{path}", headers=auth(token), json=body)


def _household(platform: RunningPlatform, tag: str) -> Caller:
    """A household of 龙湾区 with its head's name, address and phone, served by a member with a phone (orgtree)."""
    where = village(platform, auth(platform.a.token), f"城市视图{tag}")
    phone, member_phone = new_phone(), new_phone()
    serving = {"name": "林志红", "branchId": where.branch["id"], "gridId": where.grid["id"], "phone": member_phone}
    member = _post(platform, "/api/orgtree/members", platform.a.token, serving)
    assert member.status_code == 201, member.text
    head = {
        "gridId": where.grid["id"],
        "label": "1组9号",
        "headName": "王建国",
        "address": "来电村1组9号",
        "phone": phone,
    }
    household = _post(platform, "/api/orgtree/households", platform.a.token, head)
    assert household.status_code == 201, household.text
    linked = _post(
        platform,
        f"/api/orgtree/members/{member.json()['id']}/households",
        platform.a.token,
        {"householdId": household.json()["id"]},
    )
    assert linked.status_code in {200, 201}, linked.text
    return Caller(phone, household.json(), where.grid, member.json(), member_phone)


def _ticket(platform: RunningPlatform, category: dict[str, Any], name: str, phone: str, address: str) -> dict[str, Any]:
    """A phoned-in ticket with the caller's name, phone and address (dispatch encrypts and masks them)."""
    body = {
        "channel": "phone",
        "title": f"路灯不亮 {uuid.uuid4().hex[:4]}",
        "categoryId": category["id"],
        "callerName": name,
        "callerPhone": phone,
        "address": address,
    }
    answer = _post(platform, "/api/dispatch/tickets", platform.a.token, body)
    assert answer.status_code == 201, answer.text
    ticket: dict[str, Any] = answer.json()["ticket"]
    return ticket


def _publish(settings: Settings) -> None:
    """One run of each service's scheduled job (every district), as the scheduler runs it every ten minutes."""

    async def run() -> None:
        assert await hotline.publish_all(settings) > 0
        assert await network.publish_all(settings) > 0
        assert await care.publish_all(settings) > 0

    asyncio.run(run())


async def _stored(settings: Settings, districts: list[str]) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_gateway")))
    try:
        rows = await conn.fetch(
            "SELECT f.* FROM city_figures f JOIN tenant t ON t.id = f.district_id WHERE t.slug = ANY($1::text[])",
            districts,
        )
    finally:
        await conn.close()
    return [{**row, "figures": json.loads(row["figures"])} for row in rows]  # asyncpg reads jsonb as text


def _personal_values(platform: RunningPlatform, caller: Caller, extra: list[str]) -> set[str]:
    """What the districts hold of people, as their own APIs give it to their administrators: names, phones, ID
    numbers and addresses entered here, and every member, household and ticket id of both districts' first pages."""
    values = {caller.phone, caller.member_phone, "林志红", "王建国", "来电村1组9号", *extra}
    for district in (platform.a, platform.b):
        for path, key in (
            ("/api/orgtree/members", "id"),
            ("/api/orgtree/households", "id"),
            ("/api/dispatch/tickets", "id"),
        ):
            answer = _get(platform, path, district.token, limit=200)
            assert answer.status_code == 200, answer.text
            for item in answer.json()["items"]:
                values.add(str(item[key]))
                values.update(str(item[name]) for name in ("name", "headName") if item.get(name))
    values.update({caller.household["id"], caller.member["id"]})
    return {value for value in values if value}


def _strings(value: Any) -> list[str]:
    """Every key and scalar of a JSON-like value, as text."""
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (str(key), *_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [str(value)]


def _leaked(personal: set[str], texts: list[str]) -> set[str]:
    return {value for value in personal for text in texts if value in text}


def _no_personal_field(figures: dict[str, Any], keys: set[str]) -> None:
    extra = {"computedAt"} & set(figures)
    assert set(figures) - extra == keys
    for day in figures.get("daily", []):
        assert set(day) == DAILY_KEYS


def test_a_city_reads_its_districts_side_by_side_and_nothing_personal(
    platform: RunningPlatform, settings: Settings, cell_settings: Settings
) -> None:
    tag = uuid.uuid4().hex[:6]
    operator = f"ops-city-{tag}"
    asyncio.run(create_platform_operator_cli(settings, operator, PASSWORD))
    ops = login(platform.gateway, operator)["accessToken"]

    # what the districts hold: a household and its member in 龙湾区, callers' tickets, an ID number in 瓯海区
    caller = _household(platform, tag)
    category = categories(platform, platform.a.token)[0]
    ticket = _ticket(platform, category, "周晓梅", caller.phone, "来电村1组9号")
    named = {"callerName": "吴国强", "callerPhone": new_phone(), "address": "瑶溪街道南洋大道88号"}
    second = _ticket(platform, category, named["callerName"], named["callerPhone"], named["address"])
    ouhai = village(platform, auth(platform.b.token), "城市视图")
    id_card = _id_card("33030419800101" + f"{int(tag[:3], 16) % 1000:03d}")
    member_phone = new_phone()
    person = {"name": "陈丽华", "branchId": ouhai.branch["id"], "idCard": id_card, "phone": member_phone}
    member = _post(platform, "/api/orgtree/members", platform.b.token, person)
    assert member.status_code == 201, member.text

    # bad bodies: problem+json naming the field, no city stored
    code = f"wz-{tag}"
    body = {"code": code, "name": "温州市", "districts": [platform.a.slug, platform.b.slug]}
    for bad, field in (
        ({**body, "districts": platform.a.slug}, "body.districts"),  # a list, not a string
        ({**body, "name": 5}, "body.name"),  # a number where text belongs
        ({**body, "code": "温州"}, "body.code"),
        ({**body, "districts": ["no-such-district"]}, "body.districts"),
    ):
        refused = is_problem(_post(platform, "/platform/cities", ops, bad), 422)
        assert field in [e["field"] for e in refused["errors"]], refused
    assert is_problem(_post(platform, "/platform/cities", ops, {**body, "population": 9_000_000}), 422)
    assert _get(platform, f"/platform/cities/{code}", ops).status_code == 404
    assert is_problem(_post(platform, "/platform/cities", platform.a.token, body), 403)  # not a district's to make

    city = _post(platform, "/platform/cities", ops, body)
    assert city.status_code == 201, city.text
    assert [d["name"] for d in city.json()["districts"]] == ["瓯海区", "龙湾区"]  # by name
    assert is_problem(_post(platform, "/platform/cities", ops, body), 409)
    # another city, of a district of its own: its figures are not Wenzhou's to read
    other_slug = f"anqing-{tag}"
    provisioned = _post(platform, "/platform/tenants", ops, {"slug": other_slug, "name": "怀宁县"})
    assert provisioned.status_code == 201, provisioned.text
    other = {"code": f"aq-{tag}", "name": "安庆市", "districts": [other_slug]}
    assert _post(platform, "/platform/cities", ops, other).status_code == 201
    taken = is_problem(_post(platform, "/platform/cities", ops, {**other, "code": f"x-{tag}"}), 422)
    assert taken["errors"][0]["field"] == "body.districts"  # a district belongs to one city

    account = {"username": f"wenzhou-city-{tag}", "password": "city-view-password"}
    assert is_problem(_post(platform, f"/platform/cities/{code}/accounts", ops, {**account, "password": "short"}), 422)
    made = _post(platform, f"/platform/cities/{code}/accounts", ops, account)
    assert made.status_code == 201, made.text
    assert made.json()["roles"] == ["city_viewer"]
    assert is_problem(_post(platform, f"/platform/cities/{code}/accounts", ops, account), 409)
    viewer = login(platform.gateway, account["username"], account["password"])["accessToken"]
    claims = jwt.decode(viewer, options={"verify_signature": False})
    assert (claims["tenant"], claims["roles"]) == (None, ["city_viewer"])

    # the districts publish; the figures cross the outbox, the relay and the gateway's worker
    _publish(cell_settings)  # as the platform's scheduler runs it: the second district is on the second cell
    period = china_today().strftime("%Y-%m")

    def arrived() -> dict[str, Any] | None:
        answer = _get(platform, "/city/figures", viewer, period=period)
        assert answer.status_code == 200, answer.text
        lines = answer.json()["districts"]
        return answer.json() if all(line["hotline"] and line["network"] and line["care"] for line in lines) else None

    seen = until("both districts' figures at the gateway", arrived, timeout_s=60)
    assert seen["city"] == {"code": code, "name": "温州市"}
    assert [line["district"]["slug"] for line in seen["districts"]] == [platform.b.slug, platform.a.slug]
    longwan = seen["districts"][1]
    first = china_today().replace(day=1).isoformat()
    last = china_today().isoformat()
    rates = _get(platform, "/api/dispatch/reports/rates", platform.a.token, **{"from": first, "to": last})
    assert rates.status_code == 200, rates.text
    own = rates.json()["total"]
    for key in ("tickets", "responded", "resolved", "rated", "satisfied", "responseRate", "resolutionRate"):
        assert longwan["hotline"][key] == own[key], key  # the same 三率 as the district's own report
    assert longwan["hotline"]["tickets"] >= 2  # the two tickets above
    assert sum(day["tickets"] for day in longwan["hotline"]["daily"]) == longwan["hotline"]["tickets"]
    coverage = _get(platform, "/api/orgtree/reports/red-cell-coverage", platform.a.token).json()
    assert (longwan["network"]["households"], longwan["network"]["unservedHouseholds"]) == (
        coverage["households"],
        coverage["unservedHouseholds"],
    )
    summary = _get(platform, "/api/training/certificates/summary", platform.a.token).json()
    assert (longwan["care"]["certificatesDue"], longwan["care"]["reviewed"], longwan["care"]["reviewRate"]) == (
        summary["due"],
        summary["reviewed"],
        summary["rate"],
    )
    assert seen["total"]["tickets"] == sum(line["hotline"]["tickets"] for line in seen["districts"])
    assert seen["total"]["districtsReporting"] == 2
    today = _get(platform, "/city/figures", viewer, period=china_today().isoformat()).json()
    assert today["districts"][1]["hotline"]["tickets"] >= 2
    assert today["districts"][1]["hotline"]["daily"] == []  # a day has no days

    one = _get(platform, f"/city/figures/{platform.a.slug}", viewer, period=period)
    assert one.status_code == 200, one.text
    assert one.json()["hotline"]["tickets"] == longwan["hotline"]["tickets"]

    # refused: periods (named), another city's district and an unknown one (404), anyone but the city (403)
    for bad_period in ("2026-13", "2026-02-30", "12/2026", "2026-12-7"):
        wrong = is_problem(_get(platform, "/city/figures", viewer, period=bad_period), 422)
        assert [e["field"] for e in wrong["errors"]] == ["query.period"], bad_period
    assert is_problem(_get(platform, "/city/figures", viewer), 422)["errors"][0]["field"] == "query.period"
    assert is_problem(_get(platform, f"/city/figures/{other_slug}", viewer, period=period), 404)
    assert is_problem(_get(platform, "/city/figures/no-such-district", viewer, period=period), 404)
    assert is_problem(_get(platform, "/city/figures", platform.a.token, period=period), 403)
    assert is_problem(_get(platform, "/city/figures", ops, period=period), 403)
    assert _get(platform, "/api/dispatch/tickets", viewer).status_code == 403  # no district: no service answers it
    assert _get(platform, f"/api/dispatch/tickets/{ticket['id']}", viewer).status_code in {403, 404}

    # a redelivery or a late older run changes nothing: one row per district, source and period, the latest kept
    rows = asyncio.run(_stored(settings, [platform.a.slug, platform.b.slug]))
    assert len({(r["district_id"], r["source"], r["period"]) for r in rows}) == len(rows)
    longwan_id = uuid.UUID(longwan["district"]["id"])
    held = next(r for r in rows if (r["district_id"], r["source"], r["period"]) == (longwan_id, "network", period))
    stale = NetworkFigures(
        stationed_cadres=0,
        village_cadres=0,
        red_collar_leaders=0,
        members=999_999,
        households=0,
        unserved_households=0,
        coverage_percent=0.0,
        members_outside_range=0,
        links_min=0,
        links_max=0,
    )

    async def late() -> None:
        engine = make_engine(settings, "gateway", "system", pool_size=1)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                earlier = held["computed_at"] - timedelta(minutes=5)
                await record_figures(
                    session, held["district_id"], "network", period=period, computed_at=earlier, figures=stale
                )
        finally:
            await engine.dispose()

    asyncio.run(late())
    again = asyncio.run(_stored(settings, [platform.a.slug, platform.b.slug]))
    kept = next(r for r in again if (r["district_id"], r["source"], r["period"]) == (longwan_id, "network", period))
    assert (kept["figures"], kept["computed_at"]) == (held["figures"], held["computed_at"])

    # nothing personal: the stored rows and every answer hold counts, rates, days and the districts' own names
    entered = [id_card, member_phone, "陈丽华", "周晓梅", "吴国强", *named.values(), ticket["id"], second["id"]]
    personal = _personal_values(platform, caller, [*entered, member.json()["id"]])
    answers = [seen, today, one.json(), _get(platform, "/city/figures", viewer, period=period).json()]
    for row in again:
        assert set(row) == {"district_id", "source", "period", "computed_at", "figures", "received_at"}
        _no_personal_field(row["figures"], SOURCES[row["source"]])
    for answer in answers:
        for line in answer.get("districts", [answer]):
            assert set(line) == {"district", *SOURCES}
            for source, keys in SOURCES.items():
                _no_personal_field(line[source], keys)
    texts = [s for item in [*answers, *[{k: str(v) for k, v in r.items()} for r in again]] for s in _strings(item)]
    texts += [json.dumps(r["figures"], ensure_ascii=False) for r in again]
    assert _leaked(personal, [f"来电 {caller.phone}"]) == {caller.phone}  # the check finds a value inside text
    assert _leaked(personal, texts) == set()
    assert datetime.now(UTC) - datetime.fromisoformat(longwan["hotline"]["computedAt"]) < timedelta(minutes=15)


def test_each_district_is_published_once_in_every_ten_minutes() -> None:
    start = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    runs = [start + timedelta(seconds=SLICE_S * n) for n in range(PUBLISH_EVERY_S // SLICE_S)]
    for district in (uuid.uuid4() for _ in range(50)):
        assert sum(in_this_slice(district, run) for run in runs) == 1
