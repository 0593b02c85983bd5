"""文件 in a real browser against the running platform: a district admin uploads a PDF on a street (a file of the
wrong kind refused beside the file, nothing stored), watches it reach 100%, lands on its page with the preview,
finds it by a Chinese word once the documents worker has indexed it, and adds a second version; a street admin of
another street neither lists nor finds it, and its address is the 未找到 page."""

from __future__ import annotations

import io
import re
import time
import uuid
from typing import Any

import httpx
from PIL import Image
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from reportlab.pdfgen import canvas

from tests.console.test_browser import sign_in
from tests.platform.browser import axe_violations, screenshot
from tests.platform.platform import RunningPlatform, auth, new_user

DOCUMENTS = "/api/documents/documents"
MiB = 1024 * 1024
WORKER_S = 30  # the worker indexes a stored file within seconds; a test waits this long at most


def pdf(text: str) -> bytes:
    """A one-page PDF (what a scanner or an office suite sends)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=True)  # the same bytes each time: a download is compared with them
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def street(platform: RunningPlatform, name: str) -> dict[str, Any]:
    """A street of district a, made through orgtree's API as the district admin."""
    admin = auth(platform.a.token)
    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")
    body = {"parentId": root["id"], "level": "street", "name": name}
    made = httpx.post(f"{platform.gateway}/api/orgtree/nodes", json=body, headers=admin)
    assert made.status_code == 201, made.text
    node: dict[str, Any] = made.json()
    return node


def filed_on(platform: RunningPlatform, unit: dict[str, Any]) -> list[dict[str, Any]]:
    listed = httpx.get(
        f"{platform.gateway}{DOCUMENTS}", params={"unitPath": unit["path"]}, headers=auth(platform.a.token)
    )
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


def png() -> bytes:
    """A small photo (the worker makes its thumbnail)."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 40, 30)).save(out, "PNG")
    return out.getvalue()


def uploaded(
    platform: RunningPlatform, unit: dict[str, Any], title: str, kind: str = "minutes", photo: bool = False
) -> dict[str, Any]:
    """A document filed on ``unit`` through the API, as the console's script does it: grant, PUT, confirm."""
    data = png() if photo else pdf("minutes")
    body = {
        "typeCode": kind,
        "title": title,
        "filename": "照片.png" if photo else "纪要.pdf",
        "contentType": "image/png" if photo else "application/pdf",
        "sizeBytes": len(data),
        "unitId": unit["id"],
        "unitPath": unit["path"],
        "unitName": unit["name"],
    }
    admin = auth(platform.a.token)
    started = httpx.post(f"{platform.gateway}/api/documents/uploads", json=body, headers=admin)
    assert started.status_code == 201, started.text
    grant = started.json()["upload"]
    sent = httpx.put(grant["url"], content=data, headers=grant["headers"])
    assert sent.status_code == 200, sent.text
    confirmed = httpx.post(
        f"{platform.gateway}/api/documents/uploads/{started.json()['versionId']}/confirm", json={}, headers=admin
    )
    assert confirmed.status_code == 200, confirmed.text
    document: dict[str, Any] = confirmed.json()["document"]
    return document


async def until_shown(page: Any, url: str, locator: Any) -> None:
    """Reload ``url`` until ``locator`` shows (the worker indexes in the background), for WORKER_S at most."""
    deadline = time.monotonic() + WORKER_S
    while True:
        await page.goto(url)
        try:
            await locator.wait_for(timeout=1000)
        except PlaywrightTimeoutError:
            assert time.monotonic() < deadline, f"{url} never showed what was waited for"
        else:
            return


async def test_an_admin_uploads_a_pdf_sees_it_and_finds_it_and_adds_a_version(
    platform: RunningPlatform, new_page: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    unit = street(platform, f"文档街道{tag}")
    title = f"关于楼道堆物的抄告单{tag}"
    username = new_user(platform.gateway, platform.a.token, "docs", ["district_admin"])
    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/documents/new")
    await page.get_by_role("heading", name="上传文件", exact=True).wait_for()
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents-upload")

    # a PDF as 活动照片 (photos only): refused beside the file, nothing asked of the store, nothing stored
    await page.get_by_label("文件类型").select_option(value="photo")
    await page.get_by_label("标题").fill(title)
    await page.get_by_label("所属单位").select_option(value=unit["id"])
    await page.get_by_label("选择文件").set_input_files(
        {"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": pdf("minutes")}
    )
    await page.get_by_role("button", name="上传", exact=True).click()
    message = page.locator("#e-file")
    await message.wait_for()
    assert "活动照片只接受：JPEG 图片、PNG 图片" in await message.inner_text()
    assert await page.get_by_label("选择文件").get_attribute("aria-invalid") == "true"
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents-upload-refused")
    assert filed_on(platform, unit) == []

    # as 会议纪要: sent with its progress to 100%, then the document's page with the PDF in a frame
    seen: list[int] = []
    await page.expose_function("sawProgress", lambda value: seen.append(int(value)))
    await page.evaluate(
        """() => { const bar = document.querySelector('#f-progress');
        new MutationObserver(() => window.sawProgress(bar.value)).observe(bar, {attributes: true}); }"""
    )
    await page.get_by_label("文件类型").select_option(value="minutes")
    await page.get_by_label("文件说明").fill("街道联席会议纪要")
    await page.get_by_role("button", name="上传", exact=True).click()
    await page.wait_for_url(re.compile(r"/console/documents/[0-9a-f-]{36}$"))
    assert seen
    assert max(seen) == 100
    await page.get_by_role("heading", name=title).wait_for()
    facts = await page.locator(".facts").inner_text()
    assert "会议纪要" in facts
    assert f"文档街道{tag}" in facts
    assert "定期10年" in facts
    frame = page.locator("iframe[data-preview]")
    shown = await page.request.get(await frame.get_attribute("src"))
    assert shown.status == 200
    assert shown.headers["content-type"] == "application/pdf"
    assert await page.get_by_role("cell", name="纪要.pdf").count() == 1
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents-document")
    document_url = page.url

    # a second version, with what changed: a scan large enough to go in parts (16 MiB and up: 8 MiB each)
    signed = pdf("minutes, signed")
    large = signed + b"%" + b" " * (17 * MiB - len(signed) - 1)
    await page.get_by_label("变更说明").fill("补充签字页")
    await page.get_by_label("选择文件").set_input_files(
        {"name": "纪要-签字.pdf", "mimeType": "application/pdf", "buffer": large}
    )
    await page.get_by_role("button", name="上传新版本文件").click()
    await page.get_by_role("cell", name="补充签字页").wait_for()
    assert "17 MB" in await page.get_by_role("row", name="补充签字页").inner_text()
    assert await page.get_by_role("link", name="下载第2版").count() == 1
    assert await page.get_by_role("link", name="下载第1版").count() == 1
    first = await page.get_by_role("link", name="下载第1版").get_attribute("href")
    download = await page.request.get(f"{platform.gateway}{first}")
    assert download.status == 200
    assert await download.body() == pdf("minutes")

    # the list of the street's documents, and a search by a Chinese word of its title
    await page.goto(f"{platform.gateway}/console/documents?unit={unit['path']}")
    await page.get_by_role("link", name=title).wait_for()
    assert "第2版" in await page.get_by_role("row", name=title).inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents")
    search = f"{platform.gateway}/console/documents/search?q=抄告单&unit={unit['path']}"
    await until_shown(page, search, page.get_by_role("link", name=title))
    assert "抄告单" in await page.locator(".hits mark").first.inner_text()
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents-search")
    await page.get_by_role("link", name=title).click()
    await page.wait_for_url(document_url)


async def loaded(image: Any) -> bool:
    return bool(await image.evaluate("(img) => img.complete && img.naturalWidth > 0"))


async def test_a_photo_shows_with_its_thumbnail(platform: RunningPlatform, new_page: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    photo = uploaded(platform, street(platform, f"照片街道{tag}"), f"志愿服务现场{tag}", "photo", photo=True)
    page = await new_page()
    await sign_in(page, platform, new_user(platform.gateway, platform.a.token, "docs", ["district_admin"]))
    thumbnail = page.locator("img[data-thumbnail]")
    await until_shown(page, f"{platform.gateway}/console/documents/{photo['id']}", thumbnail)
    assert await loaded(thumbnail)
    assert await loaded(page.get_by_role("img", name=f"志愿服务现场{tag}", exact=True))
    assert await axe_violations(page) == []
    await screenshot(page, "console-documents-photo")


async def test_a_street_admin_does_not_see_another_streets_document(platform: RunningPlatform, new_page: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    theirs, mine = street(platform, f"甲街道{tag}"), street(platform, f"乙街道{tag}")
    title = f"甲街道抄告单{tag}"
    document = uploaded(platform, theirs, title)

    def indexed() -> bool:
        found = httpx.get(
            f"{platform.gateway}/api/documents/search",
            params={"q": "抄告单", "unitPath": theirs["path"]},
            headers=auth(platform.a.token),
        )
        return any(hit["document"]["id"] == document["id"] for hit in found.json()["items"])

    deadline = time.monotonic() + WORKER_S
    while not indexed():  # searchable for the district: so the street admin's empty search means something
        assert time.monotonic() < deadline, "the worker never indexed the document"
        time.sleep(0.3)
    username = new_user(platform.gateway, platform.a.token, "street", ["street_admin"], scope=mine["path"])
    page = await new_page()
    await sign_in(page, platform, username)
    await page.goto(f"{platform.gateway}/console/documents")
    await page.get_by_role("heading", name="文件", exact=True).wait_for()
    assert await page.get_by_role("link", name=title).count() == 0
    await page.goto(f"{platform.gateway}/console/documents/search?q=抄告单")
    await page.get_by_role("heading", name="搜索结果").wait_for()
    assert await page.get_by_role("link", name=title).count() == 0
    assert await axe_violations(page) == []
    answer = await page.goto(f"{platform.gateway}/console/documents/{document['id']}")
    assert answer.status == 404
    assert "未找到" in await page.content()
    assert title not in await page.content()
