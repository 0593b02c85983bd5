"""How ``make test`` shares the suite between its pytest-xdist workers.

Each worker has servers of its own, and the running platform (about 17 processes, a minute to start) and the demo
trees are built once per worker that needs them. Left to xdist's own load balancing, both workers would build
both. So the first worker runs the platform's tests from the start and only those, while the other runs every
test that talks to the databases directly; when it has none left and the first still has many platform tests to
go, it starts a platform of its own and takes its share. Either way a worker that has started the platform runs
nothing else after it (the order ``plugin.pytest_collection_modifyitems`` gives a single process).

Only workers collect, so the first of them to finish collecting writes where the platform's tests begin in the
order both collected (``PLATFORM_FROM``, a file the controller names in the environment).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xdist.scheduler import LoadScheduling

PLATFORM_FROM = "REDCELL_TEST_PLATFORM_FROM"  # file: the index of the first platform test in the collection
IN_FLIGHT = 2  # tests sent ahead to a worker: it needs the next one to know which fixtures to tear down
STEAL_ABOVE = 25  # platform tests still waiting for which the second worker starts a platform of its own


def record_platform_from(index: int) -> None:
    """Called by each worker after ordering its collection."""
    target = os.environ.get(PLATFORM_FROM)
    if target:
        Path(target).write_text(str(index), encoding="utf-8")


class PlatformWorkerScheduling(LoadScheduling):  # type: ignore[misc]
    """One worker for the platform's tests, the other for the rest and then the platform's remainder."""

    collection: list[str] | None
    platform_from: int = 0
    stealing: bool = False

    def schedule(self) -> None:
        assert self.collection_is_completed
        if self.collection is None:
            if not self._check_nodes_have_same_collection():
                self.log("**Different tests collected, aborting run**")
                return
            collection: list[str] = next(iter(self.node2collection.values()))
            self.collection = collection
            self.pending[:] = range(len(collection))
            recorded = Path(os.environ.get(PLATFORM_FROM, "/nonexistent"))
            self.platform_from = int(recorded.read_text()) if recorded.is_file() else len(collection)
        for node in self.nodes:
            self.check_schedule(node)

    def _next_for(self, node: Any) -> list[int]:
        direct = [i for i in self.pending if i < self.platform_from]
        platform = [i for i in self.pending if i >= self.platform_from]
        nodes = self.nodes
        if len(nodes) > 1 and node is nodes[0]:
            return platform
        if direct:
            return direct
        if len(nodes) == 1 or self.stealing or len(platform) > STEAL_ABOVE:
            self.stealing = len(nodes) > 1
            return platform
        return []

    def check_schedule(self, node: Any, duration: float = 0) -> None:
        if node.shutting_down or self.collection is None:
            return
        waiting = self._next_for(node)
        held = self.node2pending[node]
        if waiting and len(held) < IN_FLIGHT:
            sent = waiting[: IN_FLIGHT - len(held)]
            for index in sent:
                self.pending.remove(index)
            held.extend(sent)
            node.send_runtest_some(sent)
        elif not waiting and not held:
            node.shutdown()
