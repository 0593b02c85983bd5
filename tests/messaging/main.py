"""The kerneltest pipeline's processes: ``python -m tests.messaging.main relay|worker``.

Like ``redcell relay`` and ``redcell worker``, with the test service's routing and consumer module.
"""

from __future__ import annotations

import sys

from shared.messaging.consumer import run_worker
from shared.messaging.relay import run_relay
from tests.messaging.probe import SERVICE, routes


def main(argv: list[str]) -> None:
    role = argv[1] if len(argv) > 1 else ""
    if role == "relay":
        run_relay(SERVICE, routes=routes)
    elif role == "worker":
        run_worker("tests.messaging.worker_app")
    else:
        sys.exit("usage: python -m tests.messaging.main relay|worker")


if __name__ == "__main__":
    main(sys.argv)
