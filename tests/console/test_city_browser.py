"""城市视图 in a real browser: a platform operator makes 温州市 of two new districts (鹿城区, 洞头区) with an account; a
ticket is taken in 鹿城区 and both districts publish their figures (the scheduler's jobs, run here at once). The city
account signs in and lands on its page: both districts side by side in the hotline table and the Yaoxi roll-up, the
三率 and volumes charts drawn on the server; a period the gateway refuses is shown beside the field in Chinese; a
district administrator is refused the page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from gateway.tenants.cli import create_platform_operator_cli
from services.dispatch.city_figures import publish as hotline
from services.orgtree.city_figures import publish as network
from services.training.city_figures import publish as care
from shared.clock import china_today
from shared.scheduler import apply_each
from shared.settings import Settings
from tests.console.support import new_ticket, until
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, wait_for_root


def _created(platform: RunningPlatform, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{platform.gateway}{path}", headers=auth(token), json=body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_the_city_sees_its_districts_side_by_side(
    platform: RunningPlatform, settings: Settings, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    operator = f"ops-{tag}"
    await create_platform_operator_cli(settings, operator, PASSWORD)
    ops = login(platform.gateway, operator)["accessToken"]
    admins, ids = {}, []
    for slug, name in ((f"lucheng-{tag}", "鹿城区"), (f"dongtou-{tag}", "洞头区")):
        body = {"slug": slug, "name": name, "adminUsername": f"{slug}-admin", "adminPassword": PASSWORD}
        ids.append((uuid.UUID(_created(platform, "/platform/tenants", ops, body)["id"]),) * 2)
        admins[name] = login(platform.gateway, f"{slug}-admin")["accessToken"]
        wait_for_root(platform.gateway, admins[name])
    code, viewer = f"wenzhou-{tag}", f"city-{tag}"
    districts = [f"lucheng-{tag}", f"dongtou-{tag}"]
    _created(platform, "/platform/cities", ops, {"code": code, "name": "温州市", "districts": districts})
    _created(platform, f"/platform/cities/{code}/accounts", ops, {"username": viewer, "password": PASSWORD})

    def catalogue_ready() -> bool:
        answer = httpx.get(f"{platform.gateway}/api/dispatch/catalogue", headers=auth(admins["鹿城区"]))
        return answer.status_code == 200 and bool(answer.json())

    until("鹿城区's hotline catalogue", catalogue_ready)
    new_ticket(platform, admins["鹿城区"], title=f"井盖松动 {tag}")
    for service, job in (("dispatch", hotline), ("orgtree", network), ("training", care)):
        # the scheduler's job for these two districts only, as it runs for each district
        assert await apply_each(settings, service, ids, job.publish_district, actor="test:city-figures") >= 2 * 3
    city_token = login(platform.gateway, viewer)["accessToken"]
    month = china_today().strftime("%Y-%m")

    def published() -> bool:
        answer = httpx.get(f"{platform.gateway}/city/figures", headers=auth(city_token), params={"period": month})
        return answer.status_code == 200 and all(
            d["hotline"] and d["network"] and d["care"] for d in answer.json()["districts"]
        )

    until("both districts' figures at the gateway", published, timeout_s=60)

    page = await new_page()
    await sign_in(page, platform, viewer)
    await page.wait_for_url(re.compile(r"/console/city"))  # the only page a city account may open
    await page.get_by_role("heading", name="城市视图：温州市").wait_for()
    hotline_table = page.locator("#city-hotline")
    lucheng = hotline_table.get_by_role("row", name=re.compile("鹿城区"))
    assert (await lucheng.locator("td").first.inner_text()) == "1"  # one ticket taken this month
    dongtou = hotline_table.get_by_role("row", name=re.compile("洞头区"))
    assert (await dongtou.locator("td").first.inner_text()) == "0"
    assert "全市" in await hotline_table.locator("tfoot").inner_text()
    network_table = page.locator("#city-network")
    assert await network_table.get_by_role("row", name=re.compile("鹿城区")).count() == 1
    assert await network_table.get_by_role("row", name=re.compile("洞头区")).count() == 1
    care_table = page.locator("#city-care")
    assert await care_table.get_by_role("row", name=re.compile("洞头区")).locator("td").count() == 6
    rates_chart = page.get_by_role("img", name=re.compile("各区三率"))
    assert await rates_chart.locator("g.unit").count() == 2
    volumes = page.get_by_role("img", name=re.compile("各区工单数及超时工单"))
    assert await volumes.locator("g.district").count() == 2
    assert await axe_violations(page) == []
    await screenshot(page, "console-city")

    await page.get_by_label("月份或日期").fill("2026-13")
    await page.get_by_role("button", name="查看数据").click()
    await page.locator("#e-period").wait_for()
    assert await page.locator("#e-period").inner_text() == "月份请写作 2026-12，日期请写作 2026-12-07。"
    assert await page.get_by_label("月份或日期").input_value() == "2026-13"  # kept as typed
    assert await axe_violations(page) == []

    await page.get_by_role("link", name="今天").click()
    await page.wait_for_url(re.compile(r"period=\d{4}-\d{2}-\d{2}"))
    assert (
        await page.locator("#city-hotline")
        .get_by_role("row", name=re.compile("鹿城区"))
        .locator("td")
        .first.inner_text()
    ) == "1"

    district_admin = await new_page()
    await sign_in(district_admin, platform, f"lucheng-{tag}-admin")
    await district_admin.wait_for_url(re.compile(r"/console/(?!sign-in)"))
    assert await district_admin.get_by_role("link", name="城市视图").count() == 0
    await district_admin.goto(f"{platform.gateway}/console/city")
    await district_admin.get_by_text("您无权打开此页面").first.wait_for()
