"""A real browser for the console's tests: Debian's Chromium driven by Playwright (its Python package).

Playwright cannot download its own browsers here (closed network), so the tests use the system's
Chromium through ``executable_path``. ``python -m deploy.system_packages ensure`` (run by ``make test``; every
system package is installed there) installs it with apt when it is missing and the run may do so; otherwise the
test session stops and names the one command that provides it. A browser test never skips.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from deploy.system_packages import apt_install, has_cjk_font

# Debian's browser, and a CJK font so pages and screenshots show Chinese rather than empty boxes.
PACKAGES = ("chromium", "fonts-wqy-microhei")
INSTALL_COMMAND = f"sudo apt-get install -y --no-install-recommends {' '.join(PACKAGES)}"
CANDIDATES = ("chromium", "chromium-browser")
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this network refuses.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where the browser tests write each page's screenshot, when asked (`make screenshots`): a full-page PNG costs
# about 0.3 s of the two cores, and ``make test`` took over 140 of them for pictures nobody looked at.
SCREENSHOTS = os.environ.get("REDCELL_SCREENSHOTS")
DESKTOP = (1440, 900)
PHONE = (390, 844)


def chromium_path() -> str | None:
    configured = os.environ.get("REDCELL_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _apt_install() -> bool:
    return apt_install(PACKAGES)


def ensure() -> str:
    """The browser's path, installing it first where this run may; raises with the command otherwise."""
    path = chromium_path()
    if path is None or not has_cjk_font():
        _apt_install()
        path = chromium_path()
    if path is None:
        raise RuntimeError(f"the console's browser tests need Chromium; provide it with: {INSTALL_COMMAND}")
    return path


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """One headless Chromium for the session; each test opens its own context (cookies apart)."""
    from playwright.async_api import async_playwright

    try:
        path = ensure()
    except RuntimeError as missing:
        pytest.exit(str(missing), returncode=3)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def new_page(browser: Any) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """``await new_page()`` → a page in a fresh context (1440×900, zh-CN, Asia/Shanghai); ``viewport=PHONE``
    gives a touch phone. Contexts close after the test."""
    contexts: list[Any] = []

    async def open_page(viewport: tuple[int, int] = DESKTOP, **options: Any) -> Any:
        width, height = viewport
        phone = viewport == PHONE
        context = await browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=phone,
            has_touch=phone,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return await context.new_page()

    yield open_page
    for context in contexts:
        await context.close()


async def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """The page's accessibility violations of those impacts, one readable line each (empty when clean)."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in impacts:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


async def screenshot(page: Any, name: str, folder: Path | None = None) -> Path | None:
    """Write the page as it looks now to ``<folder>/<name>.png``: by default to ``$REDCELL_SCREENSHOTS`` (kept out
    of git), and not at all when that is unset."""
    if folder is None:
        if not SCREENSHOTS:
            return None
        folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    await page.screenshot(path=str(target), full_page=True)
    return target


def main(argv: list[str]) -> int:
    if argv[1:] != ["ensure"]:
        print("usage: python -m tests.platform.browser ensure", file=sys.stderr)
        return 2
    try:
        print(f"browser: {ensure()}")
    except RuntimeError as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
