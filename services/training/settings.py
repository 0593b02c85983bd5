"""Settings of the training processes (``REDCELL_TRAINING__...``); per-district rules live in the database."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.training.xapi.settings import XapiSettings


class TrainingProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDCELL_TRAINING__", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    # The organiser's check-in code changes this often; a code is accepted for one step more (a scan in flight).
    checkin_code_step_s: int = 10
    xapi: XapiSettings = Field(default_factory=XapiSettings)  # statements and the push to a district's LRS


@lru_cache(maxsize=1)
def get_training_settings() -> TrainingProcessSettings:
    return TrainingProcessSettings()
