"""The idle-item swap (闲置物品交换, DSP-27 [003]) in a real browser against the running platform: a district admin
registers an idle item (a wrong phone is refused beside the field first), holds the community's swap day, records
the items brought, swaps two of them, gives the third to a household in need (a settled item is offered no more),
and reads the month's report for the community."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import httpx

from tests.console.support import until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

SWAP = "/api/dispatch/swap"


def api(platform: RunningPlatform, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{platform.gateway}{path}", json=body, headers=auth(platform.a.token), timeout=30)
    assert response.status_code < 300, (path, response.text)
    return response.json()


def community_in_need(platform: RunningPlatform, tag: str) -> tuple[str, dict[str, Any]]:
    """A community with a grid and a low-income household, made through orgtree's API; returns (the community's id,
    the household) once dispatch's directory knows the household (a probe ticket is filed and cancelled)."""
    roots = {n["tree"]: n for n in api(platform, "GET", "/api/orgtree/nodes")["items"]}

    def unit(parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
        made: dict[str, Any] = api(
            platform, "POST", "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name}
        )
        return made

    community = unit(unit(roots["administrative"], "street", f"交换街道{tag}"), "community", f"幸福社区{tag}")
    grid = unit(community, "grid", f"幸福社区{tag}网格")
    body = {"gridId": grid["id"], "label": f"2组{tag}号", "headName": "赵桂兰", "categories": ["low_income"]}
    household: dict[str, Any] = api(platform, "POST", "/api/orgtree/households", body)

    def probe() -> dict[str, Any] | None:
        call = {"channel": "phone", "title": "登记探测", "householdId": household["id"]}
        filed = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=call, headers=auth(platform.a.token))
        return filed.json()["ticket"] if filed.status_code == 201 else None

    ticket = until("the household in dispatch's directory", probe)
    api(platform, "POST", f"/api/dispatch/tickets/{ticket['id']}/cancel", {"reason": "测试探测"})
    return community["id"], household


async def test_items_are_registered_swapped_and_given_at_the_monthly_swap_day(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    village, household = community_in_need(platform, tag)
    registered = {"category": "clothing", "condition": "good", "communityId": village, "ownerName": "李秀英"}
    cooker = api(platform, "POST", f"{SWAP}/items", {**registered, "title": f"电饭煲{tag}", "category": "appliances"})
    coat = api(platform, "POST", f"{SWAP}/items", {**registered, "title": f"羽绒服{tag}", "ownerName": "赵大海"})

    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "swap", ["district_admin"]))
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/swap")
    await page.get_by_role("heading", name="闲置物品交换", exact=True).wait_for()
    await page.get_by_label("物品名称").fill(f"儿童绘本{tag}")
    await page.get_by_label("物品类别").select_option(label="图书")
    await page.get_by_label("新旧程度").select_option(label="九成新")
    await page.get_by_label("件数").fill("12")
    await page.get_by_label("社区", exact=True).select_option(value=village)
    await page.get_by_label("物主姓名").fill("王小明")
    await page.get_by_label("物主电话").fill("12345")
    await page.get_by_role("button", name="登记物品").click()
    await page.locator("#e-ownerPhone").wait_for()
    assert await page.locator("#e-ownerPhone").inner_text() == "请填写大陆手机号或带区号的固定电话，或留空。"
    assert await axe_violations(page) == []
    await page.get_by_label("物主电话").fill("13912345678")
    await page.get_by_role("button", name="登记物品").click()
    await page.wait_for_url(re.compile(r"/console/swap/items/[0-9a-f-]{36}$"))
    books = page.url.rsplit("/", 1)[1]
    assert await page.locator("[data-state]").inner_text() == "待交换"
    facts = await page.locator("dl.facts").inner_text()
    assert "王**" in facts
    assert "139****5678" in facts
    assert "王小明" not in facts

    await page.goto(f"{platform.gateway}/console/swap/events")
    await page.get_by_label("社区或街道", exact=True).select_option(value=village)
    await page.get_by_label("举办日期").fill(date.today().isoformat())
    await page.get_by_label("地点").fill("社区党群服务中心一楼")
    await page.get_by_role("button", name="登记交换日").click()
    await page.wait_for_url(re.compile(r"/console/swap/events/[0-9a-f-]{36}$"))
    for item in (books, cooker["id"], coat["id"]):
        await page.locator(f"input[name=itemIds][value='{item}']").check()
    await page.get_by_role("button", name="登记带来的物品").click()
    await page.locator(f"[data-item='{coat['id']}']").wait_for()
    await page.get_by_label("闲置物品", exact=True).select_option(value=books)
    await page.get_by_label("换回", exact=True).select_option(value=cooker["id"])
    await page.get_by_role("button", name="登记交换").click()
    await page.locator(f"[data-item='{books}'] [data-state=swapped]").wait_for()
    assert f"换回电饭煲{tag}，由李**换走" in await page.locator(f"[data-item='{books}']").inner_text()
    await page.get_by_label("捐赠的物品").select_option(value=coat["id"])
    await page.get_by_label("困难户", exact=True).select_option(value=household["id"])
    await page.get_by_role("button", name="登记捐赠").click()
    await page.locator(f"[data-item='{coat['id']}'] [data-state=donated]").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-swap-day")

    # the donated coat is not offered to be given again
    await page.goto(f"{platform.gateway}/console/swap/items/{coat['id']}")
    assert await page.locator("[data-state]").inner_text() == "已捐赠"
    assert await page.get_by_role("button", name="登记捐赠").count() == 0

    await page.goto(f"{platform.gateway}/console/swap/report")
    row = page.locator(f"[data-community='{village}']")
    cells = [c.strip() for c in (await row.locator("td").all_inner_texts())[2:]]
    assert cells == ["3", "2", "1", "1"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-swap-report")
