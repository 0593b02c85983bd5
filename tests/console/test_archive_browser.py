"""档案管理 in a real browser against the running platform: the district admin finds a permanent (immutable)
document and is told in words why it cannot be deleted; places a legal hold on a minutes record (deleting it and
changing its retention are then refused in words), releases it, changes its retention class and deletes it with a
reason, which the deletion log keeps. A street admin of another street finds the record 未找到, and the deletion
log is the district admin's."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.console.boards_support import filed
from tests.console.support import signed_in_client, street
from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user


async def test_the_archive_refuses_in_words_holds_releases_and_deletes_with_the_log(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    ours, theirs = street(platform, "档案街道"), street(platform, "外街道")
    token = platform.a.token
    kept = filed(platform, token, "policy", f"党建工作制度{tag}", ours)
    minutes = filed(platform, token, "minutes", f"党员大会纪要{tag}", ours)
    admin = new_user(platform.gateway, token, "arc", ["district_admin"])

    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/archive/")
    await page.get_by_role("heading", name="到期待处置").wait_for()
    await page.get_by_role("link", name="全部档案").click()
    row = page.get_by_role("row", name=re.compile(kept["title"]))
    await row.wait_for()
    assert "永久" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-records")
    await row.get_by_role("link", name=kept["title"]).click()
    await page.get_by_role("heading", name=kept["title"]).wait_for()

    await page.get_by_role("button", name="删除文件").click()
    assert "请写明原因" in await page.locator("#e-delete-reason").inner_text()
    await page.get_by_label("删除原因").fill("到期清理")
    await page.get_by_role("button", name="删除文件").click()
    refusal = page.get_by_role("alert")
    await refusal.wait_for()
    assert "该文件不能删除" in await refusal.inner_text()
    assert "该文件不可更改，永久保管。" in await refusal.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-refused")
    answer = httpx.get(f"{platform.gateway}/api/documents/documents/{kept['id']}", headers=auth(token))
    assert answer.json()["state"] == "active"  # nothing deleted

    await page.goto(f"{platform.gateway}/console/archive/documents/{minutes['id']}")
    await page.get_by_label("保全原因").fill("纪检审计调取")
    await page.get_by_role("button", name="设置法律保全").click()
    await page.get_by_role("button", name="解除法律保全").wait_for()
    assert "法律保全中" in await page.locator(".page-head").inner_text()
    await page.get_by_label("删除原因").fill("到期清理")
    await page.get_by_role("button", name="删除文件").click()
    await page.get_by_role("alert").wait_for()
    assert re.search(r"起处于法律保全（由.+设置）", await page.get_by_role("alert").inner_text())
    await page.get_by_label("保管期限", exact=True).select_option(label="定期3年")
    await page.get_by_role("button", name="变更保管期限").click()
    await page.get_by_text("文件处于法律保全期间，保管期限不能变更。").wait_for()

    await page.get_by_role("link", name="档案管理").first.click()
    await page.get_by_role("link", name="法律保全", exact=True).click()
    held = page.get_by_role("row", name=re.compile(minutes["title"]))
    await held.wait_for()
    assert "纪检审计调取" in await held.inner_text()
    assert await axe_violations(page) == []
    await held.get_by_role("link", name=minutes["title"]).click()

    await page.get_by_label("解除原因").fill("审计结束")
    await page.get_by_role("button", name="解除法律保全").click()
    await page.get_by_role("button", name="设置法律保全").wait_for()
    await page.get_by_label("保管期限", exact=True).select_option(label="定期3年")
    await page.get_by_role("button", name="变更保管期限").click()
    await page.locator(".facts").get_by_text("定期3年").wait_for()
    await page.get_by_label("删除原因").fill("重复归档")
    await page.get_by_role("button", name="删除文件").click()
    await page.locator(".page-head").get_by_text("已删除").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive")

    await page.goto(f"{platform.gateway}/console/archive/deletions")
    entry = page.get_by_role("row", name=re.compile(minutes["title"]))
    await entry.wait_for()
    assert "重复归档" in await entry.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-deletions")

    other = signed_in_client(platform, new_user(platform.gateway, token, "arc", ["street_admin"], scope=theirs["path"]))
    mine = signed_in_client(platform, new_user(platform.gateway, token, "arc", ["street_admin"], scope=ours["path"]))
    try:
        answer = other.get(f"/console/archive/documents/{kept['id']}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert kept["title"] not in answer.text
        assert kept["title"] not in other.get("/console/archive/records").text
        assert kept["title"] in mine.get("/console/archive/records").text
        refused = mine.get("/console/archive/deletions")  # the district admin's
        assert refused.status_code == 403
        assert "您无权打开此页面" in refused.text
    finally:
        other.close()
        mine.close()


async def test_a_street_keeps_its_regulations_and_submits_an_acceptance_dossier(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:4]
    ours, theirs = street(platform, "制度街道"), street(platform, "旁街道")
    token = platform.a.token
    rule = filed(platform, token, "regulation", f"三会一课制度{tag}", ours)
    ledger = filed(platform, token, "ledger", f"走访台账{tag}", ours)
    username = new_user(platform.gateway, token, "reg", ["street_admin"], scope=ours["path"])

    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/archive/regulations")
    await page.get_by_role("heading", name="现行制度").wait_for()
    await page.get_by_label("规章制度文件").select_option(label=rule["title"])
    await page.get_by_role("button", name="收入制度库").click()
    assert "请填写生效日期" in await page.locator("#e-effectiveFrom").inner_text()
    await page.get_by_label("规章制度文件").select_option(label=rule["title"])
    await page.get_by_label("生效日期", exact=True).fill("2026-01-01")
    await page.get_by_label("文号（选填）").fill(f"街委发〔2026〕{tag}号")
    await page.get_by_label("试行").check()
    await page.get_by_role("button", name="收入制度库").click()
    row = page.get_by_role("row", name=re.compile(rule["title"]))
    await row.wait_for()
    assert "试行" in await row.inner_text()
    assert "2026年1月1日" in await row.inner_text()
    await row.get_by_role("button", name=f"结束{rule['title']}的试行").click()
    await page.get_by_role("row", name=re.compile(rule["title"])).get_by_text("正式施行").wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-regulations")

    await page.get_by_role("link", name="验收材料").click()
    await page.get_by_label("验收材料名称").fill(f"年度党建验收{tag}")
    await page.get_by_label("受检单位").select_option(label=ours["name"])
    await page.get_by_role("button", name="新建验收材料").click()
    await page.get_by_role("heading", name=f"年度党建验收{tag}").wait_for()
    await page.get_by_role("button", name="提交验收").click()
    await page.get_by_text("请先添加文件，再提交验收材料。").wait_for()
    await page.get_by_label("要加入的文件").select_option(label=ledger["title"])
    await page.get_by_role("button", name="加入验收材料").click()
    await page.get_by_role("row", name=re.compile(ledger["title"])).wait_for()
    await page.get_by_role("button", name="提交验收").click()
    await page.get_by_text("已提交的验收材料已锁定").wait_for()
    assert "已提交" in await page.locator(".page-head").inner_text()
    await page.get_by_label("审核意见内容").fill("请补充照片")
    await page.get_by_role("button", name="添加意见").click()
    await page.get_by_text("只有区管理员和上级单位可以审核验收材料。").wait_for()  # not above its own street
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-dossier")
    dossier = page.url.rsplit("/", 1)[-1]

    await page.goto(f"{platform.gateway}/console/archive/documents/{ledger['id']}")
    await page.get_by_label("删除原因").fill("重复归档")
    await page.get_by_role("button", name="删除文件").click()
    await page.get_by_text("该文件在已提交的验收材料中。").wait_for()

    other = signed_in_client(platform, new_user(platform.gateway, token, "reg", ["street_admin"], scope=theirs["path"]))
    try:
        answer = other.get(f"/console/archive/dossiers/{dossier}")
        assert answer.status_code == 404
        assert "未找到" in answer.text
        assert rule["title"] not in other.get("/console/archive/regulations").text
    finally:
        other.close()


async def test_the_district_admin_changes_a_document_type(platform: RunningPlatform, new_page: Any) -> None:
    admin = new_user(platform.gateway, platform.a.token, "typ", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, admin)
    await page.goto(f"{platform.gateway}/console/archive/types")
    await page.get_by_role("link", name="民主测评表").click()
    await page.get_by_label("文件大小上限（MiB）").fill("0")
    await page.get_by_role("button", name="保存文件类型").click()
    assert "1 到 2048" in await page.locator("#e-maxBytes").inner_text()
    await page.get_by_label("文件大小上限（MiB）").fill("60")
    await page.get_by_label("保管期限").select_option(label="定期3年")
    await page.get_by_role("button", name="保存文件类型").click()
    row = page.get_by_role("row", name=re.compile("民主测评表"))
    await row.wait_for()
    assert "60 MiB" in await row.inner_text()
    assert "定期3年" in await row.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-archive-types")
