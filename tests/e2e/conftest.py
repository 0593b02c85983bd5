"""End-to-end tests use the kernel's ``platform`` fixture (tests/platform/platform.py)."""

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user, redcell, wait_for_root

__all__ = ["PASSWORD", "RunningPlatform", "auth", "login", "new_user", "redcell", "wait_for_root"]
