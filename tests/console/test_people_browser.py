"""党员与住户 in a real browser against the running platform: a member's ID number shown in full for a stated
reason (an empty reason refused beside the field), the membership transferred to another branch and the move in
the history, the first branch's roll as of a past date still listing the member and today's not; the member list
filtered by unit and name, masked; another district's member and household are the 404 page. A hospitalisation
recorded on a household's page (a missing day refused beside the field) gives its red cell a visit to make."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from shared.clock import china_today
from shared.privacy.validators import id_card_check_digit
from tests.console.support import until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def resident_id() -> str:
    """A resident ID number with a right GB 11643 check digit that no other test uses (born 1950-1999)."""
    first17 = f"330303{1950 + secrets.randbelow(50)}{1 + secrets.randbelow(12):02d}{1 + secrets.randbelow(28):02d}"
    first17 += f"{secrets.randbelow(1000):03d}"
    return first17 + id_card_check_digit(first17)


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def masked_id(number: str) -> str:
    return number[:3] + "*" * 11 + number[-4:]


def call(platform: RunningPlatform, token: str, method: str, path: str, body: Any = None, **params: Any) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, params=params, headers=auth(token))
    assert response.status_code < 300, (path, response.text)
    return response.json() if response.content else None


@dataclass
class Units:
    """A street with a village and its grid, and the street's working committee with two branches."""

    tag: str
    street: dict[str, Any]
    village: dict[str, Any]
    grid: dict[str, Any]
    branch: dict[str, Any]
    other_branch: dict[str, Any]


def units(platform: RunningPlatform, name: str, token: str | None = None) -> Units:
    """Made through orgtree's API as a district admin (district a's unless another admin's token is given)."""
    token = token or platform.a.token
    tag = uuid.uuid4().hex[:4]

    def unit(parent: dict[str, Any], level: str, unit_name: str, **extra: Any) -> dict[str, Any]:
        made: dict[str, Any] = call(
            platform,
            token,
            "POST",
            "/api/orgtree/nodes",
            {"parentId": parent["id"], "level": level, "name": unit_name, **extra},
        )
        return made

    roots = {n["tree"]: n for n in call(platform, token, "GET", "/api/orgtree/nodes")["items"]}
    street = unit(roots["administrative"], "street", f"{name}街道{tag}")
    village = unit(street, "village", f"{name}村{tag}")
    grid = unit(village, "grid", f"{name}村{tag}一网格")
    committee = unit(roots["party"], "street_working_committee", f"{name}街道{tag}党工委")
    branch = unit(committee, "branch", f"{name}村{tag}党支部", linkedNodeId=village["id"])
    other = unit(committee, "branch", f"{name}{tag}第二党支部")
    return Units(tag, street, village, grid, branch, other)


def member(
    platform: RunningPlatform, place: Units, name: str, token: str | None = None, **extra: Any
) -> dict[str, Any]:
    body = {"name": name, "branchId": place.branch["id"], "gridId": place.grid["id"], **extra}
    made: dict[str, Any] = call(platform, token or platform.a.token, "POST", "/api/orgtree/members", body)
    return made


async def test_reveal_transfer_and_the_roll_as_of_a_past_date(platform: RunningPlatform, new_page: Any) -> None:
    place = units(platform, "名册")
    number, phone = resident_id(), f"139{secrets.randbelow(10**8):08d}"
    name = f"陈{place.tag}"
    member(platform, place, name, idCard=number, phone=phone, joinedOn="2020-03-01")
    admin = new_user(platform.gateway, platform.a.token, "ppl", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)

    await page.goto(f"{platform.gateway}/console/people/members?unit={place.grid['id']}")
    await page.get_by_role("heading", name=f"党员 · {place.grid['name']}").wait_for()
    await page.get_by_label("姓名包含").fill(name)
    await page.get_by_role("button", name="筛选").click()
    row = page.get_by_role("row", name=name)
    await row.wait_for()
    assert masked_id(number) in await row.inner_text()
    assert number not in await page.content()  # masked as orgtree returns it
    assert await axe_violations(page) == []
    await screenshot(page, "console-people-members")

    await row.get_by_role("link", name=name).click()
    await page.get_by_role("heading", name=name, exact=True).wait_for()
    assert masked_id(number) in await page.locator(".facts").inner_text()
    await page.get_by_label("查看项目").select_option(label="身份证号")
    await page.get_by_role("button", name="查看完整信息").click()
    assert "请说明查看原因" in await page.locator("#e-purpose").inner_text()
    await page.get_by_label("查看原因").fill("组织关系转接核实")
    await page.get_by_role("button", name="查看完整信息").click()
    shown = page.get_by_role("status").filter(has_text="已记入审计日志")
    await shown.wait_for()
    assert number in await shown.inner_text()

    today = china_today()
    await page.get_by_label("按名称查找党组织").fill(place.other_branch["name"])
    await page.get_by_role("button", name="查找单位").click()
    await page.get_by_label("转入党组织").select_option(label=f"{place.other_branch['name']}（党支部）")
    await page.get_by_label("转接日期").fill("2019-01-01")  # before joining: refused beside the date
    await page.get_by_label("原因", exact=True).select_option(label="正常转接")
    await page.get_by_role("button", name="转接", exact=True).click()
    assert "不得早于上一次转接" in await page.locator("#e-transferredOn").inner_text()
    await page.get_by_label("转接日期").fill(today.isoformat())
    await page.get_by_role("button", name="转接", exact=True).click()
    history = page.locator("#transfers")
    await history.get_by_role("cell", name=place.other_branch["name"]).wait_for()
    assert "正常转接" in await history.inner_text()
    assert place.branch["name"] in await history.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-people-member")

    past = (today - timedelta(days=400)).isoformat()
    await page.goto(f"{platform.gateway}/console/people/roll?unit={place.branch['id']}&asOf={past}")
    roll = page.get_by_role("region", name=f"{past} 的名册")
    await roll.get_by_role("link", name=name).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-people-roll")
    await page.get_by_label("日期", exact=True).fill(today.isoformat())
    await page.get_by_role("button", name="查看名册").click()
    await page.get_by_role("region", name=f"{today.isoformat()} 的名册").wait_for()
    assert await page.get_by_role("link", name=name).count() == 0  # transferred today

    other = units(platform, "外区", token=platform.b.token)
    theirs = member(platform, other, "外区党员", token=platform.b.token)
    house = {"gridId": other.grid["id"], "label": "1组1号"}
    their_household = call(platform, platform.b.token, "POST", "/api/orgtree/households", house)
    for path in (f"members/{theirs['id']}", f"households/{their_household['id']}"):
        answer = await page.goto(f"{platform.gateway}/console/people/{path}")
        assert answer is not None
        assert answer.status == 404
        await page.get_by_role("heading", name="未找到").wait_for()


async def test_a_hospitalisation_recorded_on_a_household_gives_its_member_a_visit_to_make(
    platform: RunningPlatform, new_page: Any
) -> None:
    place = units(platform, "必访")
    serving = member(platform, place, f"联户{place.tag}")
    household = call(
        platform, platform.a.token, "POST", "/api/orgtree/households", {"gridId": place.grid["id"], "label": "7组3号"}
    )
    link = {"householdId": household["id"]}
    call(platform, platform.a.token, "POST", f"/api/orgtree/members/{serving['id']}/households", link)
    admin = new_user(platform.gateway, platform.a.token, "visits", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/people/households/{household['id']}")
    await page.get_by_role("heading", name="家庭情况", exact=True).wait_for()
    assert await page.get_by_text("尚无记录。").count() == 1

    await page.get_by_label("家庭情况类别").select_option(label="住院")
    await page.get_by_role("button", name="记录", exact=True).click()  # no day: refused beside the field
    await page.locator("#f-occurredOn[aria-invalid=true]").wait_for()
    assert await page.get_by_text("尚无记录。").count() == 1
    await page.get_by_label("日期", exact=True).fill(china_today().isoformat())
    await page.get_by_label("备注").fill("突发脑梗住院")
    await page.get_by_role("button", name="记录", exact=True).click()
    await page.locator("[data-household-events] li", has_text="住院").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-people-household-events")

    def task() -> list[Any]:
        tasks = call(platform, platform.a.token, "GET", "/api/dispatch/visits/tasks")["items"]
        return [(t["kind"], t["memberId"]) for t in tasks if t["householdId"] == household["id"]]

    assert until("the mandatory visit", task) == [("hospitalised", serving["id"])]
