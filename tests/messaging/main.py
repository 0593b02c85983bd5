"""The kerneltest pipeline's processes: ``python -m tests.messaging.main relay|worker [--processes N] [--queues q]``.

Like ``redcell relay`` and ``redcell worker``, with the test service's routing and consumer module.
"""

from __future__ import annotations

import sys

from shared.messaging.relay import run_relay
from shared.messaging.supervisor import run_workers
from shared.settings import get_settings
from tests.messaging.probe import SERVICE, routes


def main(argv: list[str]) -> None:
    role = argv[1] if len(argv) > 1 else ""
    if role == "relay":
        run_relay(SERVICE, routes=routes)
    elif role == "worker":
        options = dict(zip(argv[2::2], argv[3::2], strict=True))
        processes = int(options.get("--processes", get_settings().worker.processes))
        queues, skipped = ([q for q in options.get(o, "").split(",") if q] for o in ("--queues", "--skip-queues"))
        run_workers("tests.messaging.worker_app", processes, queues, skipped, database=SERVICE)
    else:
        sys.exit("usage: python -m tests.messaging.main relay|worker")


if __name__ == "__main__":
    main(sys.argv)
