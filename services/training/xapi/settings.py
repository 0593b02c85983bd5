"""Settings of the xAPI area: ``REDCELL_TRAINING__XAPI__...``, part of the training process settings."""

from __future__ import annotations

from pydantic import BaseModel


class XapiSettings(BaseModel):
    # The platform's public base URL: the home page of the actors' accounts and the root of activity ids. Written
    # into each statement when it is made, so set it once before the first attendance of a deployment.
    home_page: str = "http://127.0.0.1:8000"
    push_interval_s: float = 10.0
    push_batch: int = 50  # statements per POST to the district's LRS
    push_timeout_s: float = 10.0
    page_limit: int = 500  # the most statements one GET returns (limit=0 asks for this)
