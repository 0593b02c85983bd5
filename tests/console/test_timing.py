"""Each console page says how its time went: waiting for the APIs, and the console's own work."""

from __future__ import annotations

import re

from services.console.timing import covered
from tests.console.support import new_ticket, operator, signed_in_client, token_of
from tests.platform.platform import RunningPlatform

TIMING = re.compile(r"api;dur=([\d.]+), console;dur=([\d.]+)")


def test_overlapping_calls_count_once() -> None:
    assert covered([]) == 0
    assert covered([(0.0, 1.0), (0.5, 1.5), (3.0, 4.0)]) == 2.5
    assert covered([(2.0, 3.0), (0.0, 10.0)]) == 10.0


def test_the_desk_reports_its_api_time_and_its_own(platform: RunningPlatform) -> None:
    username = operator(platform)
    new_ticket(platform, token_of(platform, username))
    client = signed_in_client(platform, username)
    desk = client.get("/console/desk")
    assert desk.status_code == 200
    timing = TIMING.fullmatch(desk.headers["server-timing"])
    assert timing is not None, desk.headers["server-timing"]
    assert float(timing.group(1)) > 0  # the desk read the tickets through the gateway
    assert float(timing.group(2)) > 0
    style = client.get("/console/static/console.css")  # calls no API
    assert style.headers["server-timing"].startswith("api;dur=0.00, console;dur=")
    client.close()
