"""Every event a service's worker handles reaches that service's queue: a handler whose event is not routed
(shared/contracts/routing.py) would never run, and no unit test that calls the handler directly would notice."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shared.components import components
from shared.contracts.routing import subscribers

WORKERS = {name: c.worker for name, c in components().items() if c.worker}


@pytest.mark.parametrize("service", sorted(WORKERS))
def test_every_handled_event_is_routed_to_the_service(service: str, server_env: dict[str, str]) -> None:
    # In a process of its own, as `redcell worker` imports it: the module declares dramatiq's global broker.
    script = f"import json, {WORKERS[service]} as w; c = getattr(w, 'consumer', None); "
    script += "print(json.dumps(c.events if c else []))"
    result = subprocess.run(
        [sys.executable, "-c", script], env=server_env, capture_output=True, text=True, timeout=120, check=True
    )
    handled = json.loads(result.stdout.strip().splitlines()[-1])
    assert [event for event in handled if service not in subscribers(event)] == []
