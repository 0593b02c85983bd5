"""批量导入导出 in a real browser against the running platform: a district admin uploads a members' sheet with one
bad row, watches the progress bar reach its end, finds nothing stored and reads the problem in Chinese, on the page
and in the downloaded report, which names the row; imports the corrected sheet (the members are there); then exports
the street's members and finds them masked in the downloaded workbook."""

from __future__ import annotations

import io
import random
import uuid
from pathlib import Path
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from shared.privacy import id_card_check_digit
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["姓名", "身份证号", "手机号", "所在党组织", "所在网格", "党员类别", "入党日期"]
NOT_A_CLASSIFICATION = "「老党员」不是可选的值，可选：自管党员、在职党员、流动党员"  # orgtree's problem in Chinese


def id_number() -> str:
    born = f"{random.randint(1950, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}"
    first17 = f"330303{born}{random.randint(0, 999):03d}"
    return first17 + id_card_check_digit(first17)


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "党员"
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def street(platform: RunningPlatform, token: str, tag: str) -> tuple[str, str, str]:
    """A street with a community, a grid and a branch, through orgtree's import; the street's id and the name paths."""
    name = f"批量街道{tag}"
    units = "\n".join(
        [
            "树,上级单位,名称,层级,对应行政单位",
            f"行政,,{name},街道,",
            f"行政,{name},批量社区{tag},社区,",
            f"行政,{name}/批量社区{tag},批量网格{tag},网格,",
            f"党组织,,{name}党工委,街道党工委,{name}",
            f"党组织,{name}党工委,批量社区{tag}党支部,党支部,{name}/批量社区{tag}",
        ]
    )
    done = httpx.post(f"{platform.gateway}/api/orgtree/imports/units", content=units.encode(), headers=auth(token))
    assert done.status_code == 200, done.text
    found = httpx.get(f"{platform.gateway}/api/orgtree/nodes/search", params={"q": name}, headers=auth(token))
    street_id = next(n["id"] for n in found.json() if n["name"] == name)
    return street_id, f"{name}党工委/批量社区{tag}党支部", f"{name}/批量社区{tag}/批量网格{tag}"


def members_under(platform: RunningPlatform, token: str, street_id: str) -> int:
    answer = httpx.get(
        f"{platform.gateway}/api/orgtree/exports/members", params={"within": street_id}, headers=auth(token)
    )
    assert answer.status_code == 200, answer.text
    return int(answer.headers["x-row-count"])


async def upload(page: Any, platform: RunningPlatform, content: bytes) -> None:
    await page.goto(f"{platform.gateway}/console/bulk/import")
    await page.get_by_label("表格内容").select_option(label="党员")
    await page.get_by_label("文件（.xlsx 或 .csv，不超过 64 MB）").set_input_files(
        files=[{"name": "党员.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    await page.get_by_role("button", name="开始导入").click()


async def finished_bar(page: Any, state: str) -> None:
    """The state a user reads, then the bar at its end."""
    await page.get_by_text(state, exact=True).wait_for()
    bar = page.get_by_role("progressbar")
    assert await bar.get_attribute("value") == await bar.get_attribute("max")


def sheet_of(path: Path) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_a_bad_row_stores_nothing_its_report_names_it_and_the_corrected_sheet_goes_in(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    token = platform.a.token
    street_id, branch, grid = street(platform, token, tag)
    admin = new_user(platform.gateway, token, "bulk", ["district_admin"])
    ids = [id_number() for _ in range(3)]
    rows = [
        [f"批量党员{tag}{n}", ids[n], f"139{random.randint(0, 99_999_999):08d}", branch, grid, "在职党员", "2001-07-01"]
        for n in range(3)
    ]
    rows[1][5] = "老党员"  # not a classification: row 3 as Excel shows it

    page = await new_page()
    await sign_in(page, platform, admin)
    await upload(page, platform, workbook(rows))
    await finished_bar(page, "未导入：没有保存任何数据")
    assert "发现 1 个问题，没有保存任何数据" in await page.locator("#job-progress [role=alert]").inner_text()
    problem = page.get_by_role("row").filter(has_text="党员类别")
    assert await problem.get_by_role("cell").all_inner_texts() == ["3", "党员类别", NOT_A_CLASSIFICATION]
    assert await problem.locator("[lang=en]").count() == 0
    assert members_under(platform, token, street_id) == 0
    assert await axe_violations(page) == []
    await screenshot(page, "console-bulk-import-failed")
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="下载问题清单（.xlsx）").click()
    report = sheet_of(Path(await (await downloading.value).path()))
    assert report[0] == ["行号", "列", "问题"]
    assert [line[:2] for line in report[1:]] == [[3, "党员类别"]]
    assert report[1][2] == NOT_A_CLASSIFICATION

    rows[1][5] = "流动党员"
    await upload(page, platform, workbook(rows))
    await finished_bar(page, "导入完成")
    assert "党员: 3" in await page.locator("#job-progress .bulk-counts").inner_text()
    assert members_under(platform, token, street_id) == 3
    await screenshot(page, "console-bulk-import-done")

    await page.goto(f"{platform.gateway}/console/bulk/export?kind=members&within={street_id}")
    assert await page.get_by_label("单位", exact=True).input_value() == street_id
    assert await axe_violations(page) == []
    await screenshot(page, "console-bulk-export")
    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="下载 Excel（.xlsx）").click()
    exported = sheet_of(Path(await (await downloading.value).path()))
    header, lines = exported[0], exported[1:]
    by_name = {line[header.index("姓名")]: line for line in lines}
    assert sorted(by_name) == sorted(row[0] for row in rows)
    shown_ids = [line[header.index("身份证号")] for line in lines]
    assert all("*" in shown for shown in shown_ids)
    assert not set(shown_ids) & set(ids)
    assert all("*" in line[header.index("手机号")] for line in lines)
