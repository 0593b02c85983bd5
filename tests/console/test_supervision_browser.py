"""Supervision (督办) in a real browser: unresolved cases by ladder rung and by deadline, each linking to its ticket,
and the 三率 per unit and period as a table and an inline SVG chart; a street-scoped account sees its street only.

Two streets of district a are made through orgtree's API; their tickets are taken in, escalated, resolved and rated
through dispatch's API. The clocks run out by moving their due time in the database (time passing), and the
platform's scheduler gives the yellow and red warnings (a red one escalates the case a rung up by itself).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from shared.settings import Settings
from tests.console.support import (
    Street,
    dispatch_call,
    escalate,
    grid_ticket,
    operator,
    run_out,
    street_with_grid,
    token_of,
    warned,
)
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import PASSWORD, RunningPlatform, auth, new_user


@dataclass
class Cases:
    east: Street  # 3 tickets: one waiting at the grid, one at rung 2, one resolved and rated satisfied
    west: Street  # 2 tickets: one with a yellow warning, one with a red warning (escalated to rung 1 by it)
    soon: dict[str, Any]
    high: dict[str, Any]
    done: dict[str, Any]
    yellow: dict[str, Any]
    red: dict[str, Any]


@pytest.fixture(scope="module")
async def cases(platform: RunningPlatform, settings: Settings) -> Cases:
    tag = uuid.uuid4().hex[:4]
    admin = platform.a.token
    east, west = street_with_grid(platform, f"督办东街道{tag}"), street_with_grid(platform, f"督办西街道{tag}")
    soon = grid_ticket(platform, admin, east.grid, "楼道灯不亮")
    high = grid_ticket(platform, admin, east.grid, "违建占用消防通道")
    escalate(platform, admin, high, 1)
    high = escalate(platform, admin, high, 2)
    done = grid_ticket(platform, admin, east.grid, "下水道堵塞")
    escalate(platform, admin, done, 1)  # the village's unit takes it on (signed for)
    dispatch_call(platform, admin, f"tickets/{done['id']}/resolution", {"note": "已疏通下水道"})
    desk = token_of(platform, operator(platform))  # the handler may not rate its own work: the desk calls
    dispatch_call(platform, desk, f"tickets/{done['id']}/feedback", {"satisfied": True, "via": "phone"})
    yellow = grid_ticket(platform, admin, west.grid, "夜间施工噪音")
    red = grid_ticket(platform, admin, west.grid, "路灯损坏")
    for late in (yellow, red):
        assert await run_out(settings, late, "resolution") == 1
    yellow = warned(platform, admin, yellow, "yellow")
    warned(platform, admin, red, "yellow")
    assert await run_out(settings, red, "red") == 1  # the further day after the yellow warning
    red = warned(platform, admin, red, "red")
    assert red["level"] == 1
    return Cases(east, west, soon, high, done, yellow, red)


async def open_supervision(page: Any, platform: RunningPlatform, username: str) -> None:
    """Ask for the page, sign in, and land on it."""
    await page.goto(f"{platform.gateway}/console/supervision")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_url(re.compile(r"/console/supervision$"))


def unit_row(page: Any, name: str) -> Any:
    return page.locator("#rates-table tbody tr").filter(has=page.get_by_role("rowheader", name=re.compile(name)))


async def test_cases_by_rung_and_deadline_and_the_rates_as_table_and_chart(
    platform: RunningPlatform, cases: Cases, new_page: Any
) -> None:
    admin = new_user(platform.gateway, platform.a.token, "dadmin", ["district_admin"])
    page = await new_page()
    await open_supervision(page, platform, admin)
    assert await page.locator("h1").inner_text() == "督办"
    await page.locator("#board").get_by_role("link", name=re.compile("^网格")).click()  # the first rung
    await page.wait_for_url(re.compile(r"rung=0"))
    assert await page.locator(f"#rung-{cases.soon['id']}").count() == 1
    assert await page.locator(f"#rung-{cases.high['id']}").count() == 0
    rung_two = page.get_by_role("link", name=re.compile("^村党员议事会"))
    await rung_two.focus()  # keyboard: a rung is a link, Enter opens it
    await page.keyboard.press("Enter")
    await page.locator(f"#rung-{cases.high['id']}").wait_for()
    assert "rung=2" in page.url
    assert await page.locator("#rungs [aria-current=true]").inner_text() == await rung_two.inner_text()

    for code, group, shown, hidden in (
        ("red", "红牌预警", cases.red, cases.yellow),
        ("yellow", "黄牌预警", cases.yellow, cases.red),
        ("soon", "24 小时内到期", cases.soon, cases.yellow),
    ):
        await page.locator("#deadlines").get_by_role("link", name=re.compile(group)).click()
        await page.wait_for_url(re.compile(f"due={code}"))  # swapped, then the address follows
        assert group in await page.locator("#deadlines [aria-current=true]").inner_text()
        assert await page.locator(f"#due-{shown['id']}").count() == 1, group
        assert await page.locator(f"#due-{hidden['id']}").count() == 0, group
    assert "due=soon" in page.url  # each choice keeps the others
    assert "rung=2" in page.url
    assert cases.high["number"] in await page.locator(f"#rung-{cases.high['id']}").inner_text()

    # the 三率 per street, month to date: the table gives the figures, the chart draws them
    east, west = unit_row(page, cases.east.node["name"]), unit_row(page, cases.west.node["name"])
    east_cells = await east.locator("td").all_inner_texts()
    assert [cell.split("\n")[0] for cell in east_cells[:4]] == ["3", "66.7%", "33.3%", "100.0%"]
    west_cells = await west.locator("td").all_inner_texts()
    assert [cell.split("\n")[0] for cell in west_cells[:4]] == ["2", "50.0%", "0.0%", "—"]
    chart = page.locator("#rates-chart svg")
    assert await chart.get_attribute("role") == "img"
    assert "按街道统计的三率" in (await chart.locator("title").text_content() or "")
    assert "全部数据见图旁的表格" in (await chart.locator("desc").text_content() or "")
    east_bars = chart.locator("g.unit").filter(has=page.locator("text", has_text=cases.east.node["name"]))
    labels = await east_bars.locator("text[data-series]").all_text_contents()
    assert labels == ["66.7%", "33.3%", "100.0%"]
    assert await axe_violations(page) == []
    await screenshot(page, "console-supervision")

    # per grid: the form swaps the rates only, and the address says what is shown
    await page.get_by_label("统计单位").select_option("grid")
    await page.get_by_role("button", name="查询三率").click()
    await unit_row(page, cases.east.grid["name"]).wait_for()
    assert "by=grid" in page.url
    assert "due=soon" in page.url
    assert await page.locator(f"#due-{cases.soon['id']}").count() == 1

    # a case's number opens its ticket
    await page.locator("#deadlines").get_by_role("link", name=cases.soon["number"]).click()
    await page.wait_for_url(re.compile(rf"/console/tickets/{cases.soon['id']}$"))


async def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(
    platform: RunningPlatform, cases: Cases, new_page: Any
) -> None:
    supervisor = new_user(platform.gateway, platform.a.token, "super", ["hotline_supervisor"])
    page = await new_page()
    await open_supervision(page, platform, supervisor)
    assert await page.get_by_role("navigation").get_by_role("link", name="督办").count() == 1
    today = date.fromisoformat(await page.get_by_label("结束日期").input_value())
    await page.get_by_label("开始日期").fill((today + timedelta(days=1)).isoformat())
    await page.get_by_role("button", name="查询三率").click()
    message = page.locator("#e-from")
    await message.wait_for()
    assert await message.inner_text() == "开始日期不能晚于结束日期。"
    assert await page.get_by_label("开始日期").get_attribute("aria-invalid") == "true"
    assert await page.locator("#rates-table").count() == 0
    assert await axe_violations(page) == []

    await page.goto(f"{platform.gateway}/console/supervision?from=2026-13-40&to=2026-12-01")  # typed by hand
    assert await page.locator("#e-from").inner_text() == "请按“年-月-日”填写日期，例如 2026-12-01。"
    await page.goto(f"{platform.gateway}/console/supervision?from=2024-01-01&to=2026-12-01")
    assert await page.locator("#e-to").inner_text() == "统计时段最长 366 天。"


async def test_a_street_account_sees_only_its_street(platform: RunningPlatform, cases: Cases, new_page: Any) -> None:
    street_admin = new_user(platform.gateway, platform.a.token, "street", ["street_admin"], cases.east.node["path"])
    seen = httpx.get(
        f"{platform.gateway}/api/dispatch/tickets/{cases.red['id']}", headers=auth(token_of(platform, street_admin))
    )
    assert seen.status_code == 404  # the API's rule the page relies on
    page = await new_page()
    await open_supervision(page, platform, street_admin)
    content = await page.content()
    for theirs in (cases.yellow, cases.red):
        assert theirs["number"] not in content
    assert cases.west.node["name"] not in content
    assert await page.locator(f"#rung-{cases.high['id']}").count() == 1  # the highest rung holding a case
    assert await page.locator(f"#due-{cases.soon['id']}").count() == 1  # nothing red or yellow here
    counts = await page.locator("#rungs .sv-choices a").all_inner_texts()
    assert [text.split("\n")[1] for text in counts[:3]] == ["1 件", "0 件", "1 件"]
    units = await page.locator("#rates-table tbody th").all_inner_texts()
    assert [unit.split("\n")[0] for unit in units] == [cases.east.node["name"]]
    assert await axe_violations(page) == []
