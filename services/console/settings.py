"""Settings of the console process (``REDCELL_CONSOLE__...``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDCELL_CONSOLE__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # The public API base the console calls with the user's token (the gateway: /auth/..., /api/...).
    gateway_url: str = "http://127.0.0.1:8000"
    gateway_timeout_s: float = 10.0
    # The session cookie is sent over HTTPS only; set false only for plain-HTTP development.
    cookie_secure: bool = True
    # Signed-in sessions last this long without use (seconds); each request renews them.
    session_lifetime_s: int = 8 * 3600
    # Times are shown in this zone unless a district says otherwise.
    time_zone: str = "Asia/Shanghai"
    locale: str = "zh_CN"


@lru_cache(maxsize=1)
def get_console_settings() -> ConsoleSettings:
    return ConsoleSettings()
