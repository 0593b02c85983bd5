"""Every event a service's worker handles reaches that service's queue: a handler whose event is not routed
(shared/contracts/routing.py) would never run, and no unit test that calls the handler directly would notice."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shared.components import components
from shared.contracts.routing import (
    EVENTS_LANE,
    SYNC_LANE,
    Route,
    lane_queue,
    lanes,
    routed_events,
    routes,
    subscribers,
)

WORKERS = {name: c.worker for name, c in components().items() if c.worker}


@pytest.mark.parametrize("service", sorted(WORKERS))
def test_every_handled_event_is_routed_to_the_service(service: str, server_env: dict[str, str]) -> None:
    # In a process of its own, as `redcell worker` imports it: the module declares dramatiq's global broker.
    script = f"import json, {WORKERS[service]} as w; c = getattr(w, 'consumer', None); "
    script += "print(json.dumps([c.events if c else [], sorted(w.broker.get_declared_queues())]))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=server_env, capture_output=True, text=True, timeout=120, check=True
    )
    handled, queues = json.loads(result.stdout.strip().splitlines()[-1])
    assert [event for event in handled if service not in subscribers(event)] == []
    # and its worker reads every lane the routes send the service events on
    assert {route.queue for event in handled for route in routes(event) if route.service == service} <= set(queues)
    assert sorted(lane_queue(service, lane) for lane in lanes(service)) == queues


def test_each_route_names_a_lane_the_service_reads_and_orgtree_facts_go_on_sync_lanes() -> None:
    """A subscription names a lane of the service (its events lane by default); every orgtree fact that another
    service copies (grids, households, members, moves) goes on that service's sync lane, so such events stay in
    order among themselves and a bulk sync never delays the service's own time-critical events."""
    urgent = {"orgtree.MemberTransferOffered", "orgtree.NetworkFiguresPublished"}  # a person or the city waits on them
    for event in routed_events():
        for route in routes(event):
            assert route.lane in lanes(route.service), (event, route)
            # the gateway reads one lane: what it copies (a cadre's scope under a moved unit) is someone's access
            copied_fact = event.startswith("orgtree.") and route.service not in {"orgtree", "gateway"}
            copied_fact = copied_fact and event not in urgent
            if copied_fact:
                assert route.lane == SYNC_LANE, f"{event} reaches {route.service} on {route.queue}, not its sync lane"
    # the service's own time-critical events stay on its events lane
    assert routes("dispatch.TicketCreated")[0] == Route("dispatch", EVENTS_LANE)
    assert Route("dispatch", EVENTS_LANE) in routes("dispatch.NotificationQueued")
