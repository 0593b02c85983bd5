"""The seeds' systems end to end (issue 16): each test walks one system's story through the gateway, on the
kernel's ``platform`` fixture."""

from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user, redcell, wait_for_root

__all__ = ["PASSWORD", "RunningPlatform", "auth", "login", "new_user", "redcell", "wait_for_root"]
