"""The console's browser plumbing: Debian's Chromium under Playwright, Chinese text, axe findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.platform import browser as plumbing
from tests.platform.browser import PHONE, axe_violations, screenshot

HEAD = """<!doctype html><html lang="zh-CN"><head>
<meta name="viewport" content="width=device-width, initial-scale=1"><title>登录</title></head><body><main>"""
LABELLED = (
    HEAD
    + """
<h1>红细胞</h1><label for="u">用户名</label><input id="u" name="u"><button>登录</button></main></body></html>"""
)
UNLABELLED = (
    HEAD
    + """
<h1>红细胞</h1><input name="u"><button></button></main></body></html>"""
)


async def test_chromium_renders_chinese_and_a_clean_page_has_no_violations(new_page: Any, tmp_path: Path) -> None:
    page = await new_page()
    await page.set_content(LABELLED)
    assert await page.inner_text("h1") == "红细胞"
    assert await axe_violations(page) == []
    written = await screenshot(page, "plumbing-desktop", folder=tmp_path)
    assert written is not None
    assert written.read_bytes().startswith(b"\x89PNG")


async def test_axe_reports_a_field_without_a_label_and_a_button_without_a_name(new_page: Any) -> None:
    page = await new_page(viewport=PHONE)
    await page.set_content(UNLABELLED)
    found = " ".join(await axe_violations(page))
    assert "label" in found
    assert "button-name" in found
    assert await page.evaluate("window.innerWidth") == PHONE[0]


def test_a_missing_browser_stops_the_run_with_the_command_that_provides_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDCELL_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="apt-get install -y --no-install-recommends chromium"):
        plumbing.ensure()
    assert plumbing.main(["browser", "ensure"]) == 1
