"""退单审定 in a real browser against the running platform (DSP-18): a grid leader returns a ticket from its page,
first refused beside the grid field in Chinese (their own grid is no evidence), then citing the neighbouring grid's
boundary; the village cadre finds it awaiting their ruling with the time left, upholds it naming that grid, and
the ticket moves there with the return and the ruling on its timeline; the ping-pong report counts the grid's return."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.support import grid_ticket, until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


def village_with_two_grids(platform: RunningPlatform, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A street with a village of two grids, made as the district admin, once dispatch's directory knows both."""
    admin = auth(platform.a.token)

    def node(parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
        body = {"parentId": parent["id"], "level": level, "name": name}
        made = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=admin)
        assert made.status_code == 201, made.text
        created: dict[str, Any] = made.json()
        return created

    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")
    village = node(node(root, "street", f"退单街道{tag}"), "village", f"退单街道{tag}一村")
    grids = node(village, "grid", f"退单{tag}一网格"), node(village, "grid", f"退单{tag}二网格")

    def known() -> bool:
        units = httpx.get(f"{platform.gateway}/api/dispatch/numbers/units", headers=admin).json()
        return {grid["id"] for grid in grids} <= {unit["id"] for unit in units}

    until("both grids in dispatch's directory", known)
    return grids


async def test_a_grid_returns_a_ticket_with_evidence_and_the_village_upholds_it(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    home, neighbour = village_with_two_grids(platform, tag)
    ticket = grid_ticket(platform, platform.a.token, home, f"井盖松动{tag}")
    village_path = home["path"].rsplit("/", 2)[0] + "/"
    leader = new_user(platform.gateway, platform.a.token, "ret", ["grid_leader"], scope=home["path"])
    cadre = new_user(platform.gateway, platform.a.token, "rul", ["community_cadre"], scope=village_path)

    page = await new_page()
    await sign_in(page, platform, leader)
    await page.wait_for_url(re.compile(r"/console/"))
    await page.goto(f"{platform.gateway}/console/tickets/{ticket['id']}")
    await page.get_by_role("link", name="退单（管辖争议）").click()
    await page.get_by_role("heading", name="管辖依据").wait_for()
    await page.get_by_label("事发地所在网格（网格边界）").select_option(value=home["id"])
    await page.get_by_label("引用原文：网格边界描述或责任清单条目").fill("网格划分图：井盖位于二网格一侧")
    await page.get_by_label("不属本单位办理的理由").fill("事发地不在本网格")
    await page.get_by_role("button", name="提交退单").click()
    await page.get_by_text("请选择事发地所在网格（不能是本单位的网格）。").wait_for()
    assert await page.get_by_label("事发地所在网格（网格边界）").get_attribute("aria-invalid") == "true"
    assert await axe_violations(page) == []

    await page.get_by_label("事发地所在网格（网格边界）").select_option(value=neighbour["id"])
    await page.get_by_role("button", name="提交退单").click()
    await page.get_by_role("heading", name="退单及其依据").wait_for()
    assert "待审定" in await page.locator(".marks").inner_text()

    ruler = await new_page()
    await sign_in(ruler, platform, cadre)
    await ruler.wait_for_url(re.compile(r"/console/"))
    await ruler.goto(f"{platform.gateway}/console/returns/")
    row = ruler.get_by_role("region", name="待我审定").get_by_role("row", name=re.compile(ticket["number"]))
    await row.wait_for()
    assert re.search(r"剩余\d+小时\d+分钟", await row.inner_text())
    await row.get_by_role("link").click()
    await ruler.get_by_role("heading", name="审定退单").wait_for()
    await ruler.get_by_label("退单成立：工单改派下方指定的单位").check()
    await ruler.get_by_label("承办单位（退单成立时指定）").select_option(value=neighbour["id"])
    await ruler.get_by_label("审定理由").fill("核对网格图，井盖属二网格")
    assert await axe_violations(ruler) == []
    await ruler.get_by_role("button", name="提交审定").click()
    await ruler.get_by_text("改由承办").wait_for()
    assert "退单成立" in await ruler.locator(".marks").inner_text()
    await screenshot(ruler, "console-returns")

    await ruler.goto(f"{platform.gateway}/console/returns/report")
    counted = ruler.get_by_role("row", name=re.compile(home["name"]))
    await counted.wait_for()
    assert (await counted.inner_text()).split() == [home["name"], "1", "1", "0", "0", "0"]
    assert await axe_violations(ruler) == []

    seen = httpx.get(f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}", headers=auth(platform.a.token))
    assert seen.json()["unitId"] == neighbour["id"]
    await ruler.goto(f"{platform.gateway}/console/tickets/{ticket['id']}")
    timeline = ruler.locator("#ticket-timeline")
    await timeline.get_by_text("退单成立，改派其他单位").wait_for()
    assert "承办单位退单（附依据）" in await timeline.inner_text()
