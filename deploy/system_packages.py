"""The Debian packages Redcell needs beyond Python, checked and installed in one place.

``python -m deploy.system_packages ensure [NEED ...]`` (``make test`` asks for all, ``make dev`` for fonts and
OCR) installs what is missing with apt when it runs as root, refreshing the package lists once if the first try
fails; otherwise it names the one command that provides it. The container image installs the runtime ones in
deploy/Dockerfile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def has_chromium() -> bool:
    configured = os.environ.get("REDCELL_CHROMIUM")  # tests/platform/browser.py honours it too
    return bool(configured) or any(shutil.which(name) for name in ("chromium", "chromium-browser"))


def has_cjk_font() -> bool:
    """The font generated PDFs embed (the documents service's setting), which pages and screenshots use too."""
    path = os.environ.get("REDCELL_DOCUMENTS__PDF_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    return os.path.isfile(path)


def has_chinese_ocr(command: str = "tesseract") -> bool:
    """Tesseract is there and has its simplified-Chinese model."""
    found = shutil.which(command)
    if found is None:
        return False
    listed = subprocess.run([found, "--list-langs"], capture_output=True, text=True, check=False)
    return "chi_sim" in (listed.stdout + listed.stderr).split()


@dataclass(frozen=True, slots=True)
class Need:
    name: str
    why: str
    packages: tuple[str, ...]
    present: Callable[[], bool]


NEEDS = (
    Need("fonts", "Chinese in generated PDFs, rendered images and screenshots", ("fonts-wqy-microhei",), has_cjk_font),
    Need(
        "ocr",
        "OCR of scans and photographed forms (DOC-07)",
        ("tesseract-ocr", "tesseract-ocr-chi-sim"),
        has_chinese_ocr,
    ),
    Need("browser", "the console's browser tests", ("chromium",), has_chromium),
)
BY_NAME = {need.name: need for need in NEEDS}


def install_command(packages: Iterable[str]) -> str:
    return f"sudo apt-get install -y --no-install-recommends {' '.join(packages)}"


def apt_install(packages: Iterable[str]) -> bool:
    """Install ``packages`` with apt as root; refresh the package lists once if the first try fails."""
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "--no-install-recommends", *packages]
    for attempt in range(2):
        if attempt:
            subprocess.run([apt, "update", "-q"], env=env, capture_output=True, check=False)
        if subprocess.run(install, env=env, capture_output=True, check=False).returncode == 0:
            return True
    return False


def ensure(names: Iterable[str] = tuple(BY_NAME)) -> list[Need]:
    """Install what is missing of the named needs where this run may; the needs still missing afterwards."""
    wanted = [BY_NAME[name] for name in names]
    missing = [need for need in wanted if not need.present()]
    if missing:
        apt_install(package for need in missing for package in need.packages)
    return [need for need in missing if not need.present()]


def main(argv: list[str]) -> int:
    names = argv[2:] or list(BY_NAME)
    if argv[1:2] != ["ensure"] or not set(names) <= set(BY_NAME):
        print(f"usage: python -m deploy.system_packages ensure [{'|'.join(BY_NAME)} ...]", file=sys.stderr)
        return 2
    missing = ensure(names)
    for need in missing:
        print(f"{need.why} need {', '.join(need.packages)}: {install_command(need.packages)}", file=sys.stderr)
    if not missing:
        print(f"system packages: {', '.join(names)} present")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
