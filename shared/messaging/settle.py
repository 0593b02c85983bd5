"""The event flow brought to rest: every service's relay and worker run as child processes until no outbox row is
unpublished and no queue holds a message (delayed retries included).

``redcell demo load`` settles before each service's loader, so that a service's demo builds on what the others'
demos published, as it would once the workers had run: on the first ``make dev`` dispatch's directory already
holds orgtree's red-cell links when dispatch writes the demo's visits.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from types import TracebackType

import asyncpg
import redis

from shared.components import with_database, with_worker
from shared.db.cells import cell_dsns
from shared.settings import Settings

_POLL_S = 0.5
_QUIET_POLLS = 3  # at rest only when several polls in a row see nothing: a handler may publish as it finishes
_UNPUBLISHED = "SELECT count(*) FROM outbox_message WHERE published_at IS NULL"


class EventFlow:
    """Runs the relays and workers (``with EventFlow(settings) as flow: ... flow.wait_at_rest()``)."""

    def __init__(self, settings: Settings, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.env = env if env is not None else dict(os.environ)
        self._processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> EventFlow:
        roles = [("relay", name) for name in with_database()] + [("worker", name) for name in with_worker()]
        for role, name in roles:
            command = [sys.executable, "-m", "shared.cli", role, name]
            # Quiet: the flow's own log lines would bury what the demo loaders print.
            self._processes.append(
                subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _error: BaseException | None, _trace: TracebackType | None
    ) -> None:
        for process in self._processes:
            process.terminate()  # SIGTERM: each finishes the batch or message in hand
        for process in self._processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pending(self) -> int:
        """Unpublished outbox rows in every database plus messages queued, in flight or delayed for a retry."""
        return asyncio.run(_unpublished(self.settings)) + _queued(self.settings)

    def wait_at_rest(self, timeout_s: float) -> bool:
        """True once nothing is pending for a few polls in a row; False after ``timeout_s`` (a handler that keeps
        failing is retried for an hour, and the demo should not wait that long)."""
        deadline, quiet = time.monotonic() + timeout_s, 0
        while time.monotonic() < deadline:
            for process in self._processes:
                if process.poll() is not None:
                    msg = f"{' '.join(map(str, process.args))} exited with {process.returncode}"  # type: ignore[arg-type]
                    raise RuntimeError(msg)
            quiet = quiet + 1 if self.pending() == 0 else 0
            if quiet >= _QUIET_POLLS:
                return True
            time.sleep(_POLL_S)
        return False


async def _unpublished(settings: Settings) -> int:
    total = 0
    for name in with_database():
        for dsn in cell_dsns(settings, name, "system"):
            connection = await asyncpg.connect(dsn)
            try:
                total += int(await connection.fetchval(_UNPUBLISHED))
            finally:
                await connection.close()
    return total


def _queued(settings: Settings) -> int:
    """dramatiq keeps each message in ``<queue>.msgs`` until it is acknowledged; ``.DQ`` holds delayed retries
    and ``.XQ`` the dead letters, which will never move again."""
    client = redis.Redis.from_url(settings.redis.url)
    try:
        keys = [key for key in client.scan_iter(match="dramatiq:*.msgs") if b".XQ." not in key]
        return sum(int(client.hlen(key)) for key in keys)
    finally:
        client.close()
