"""Settings of the dispatch processes (``REDCELL_DISPATCH__...``); per-district rules live in the database."""

from __future__ import annotations

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DispatchProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDCELL_DISPATCH__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # Caller lookup reads households from orgtree with the operator's own token (no copy of personal data here).
    orgtree_url: str = "http://127.0.0.1:8101"
    orgtree_timeout_s: float = 2.0
    # SMS gateway spoken to over HTTP (JSON POST); empty: SMS messages go to the local development channel.
    sms_gateway_url: str = ""
    sms_gateway_token: SecretStr = SecretStr("")
    delivery_timeout_s: float = 5.0
    delivery_max_attempts: int = 6  # then the message is marked dead in the delivery log
    # The public request endpoint: codes per phone per hour, requests per phone per day.
    public_codes_per_hour: int = 3
    public_requests_per_day: int = 5
    verification_ttl_s: int = 600


@lru_cache(maxsize=1)
def get_dispatch_settings() -> DispatchProcessSettings:
    return DispatchProcessSettings()
