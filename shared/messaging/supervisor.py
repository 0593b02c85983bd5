"""``redcell worker <service> --processes N``: N worker processes under one parent.

The parent starts each child as a fresh interpreter (not a fork: dramatiq, redis-py and SQLAlchemy hold threads and
sockets), forwards SIGTERM and SIGINT, and when a child dies unexpectedly it stops the others and exits non-zero. It
does not restart the child: the orchestrator (Kubernetes, honcho in development) restarts the pod with its back-off
and shows the restart, where a supervisor restarting quietly would hide a crash loop; the dead child's
unacknowledged messages come back when its heartbeat expires either way, and the inbox keeps them exactly once.

Only the parent serves the probe port: ``/livez`` while every child runs, ``/readyz`` its dependency checks, and
``/metrics`` the children's counters added up (prometheus_client's multiprocess mode: one file per child in a
folder of the parent's). The children serve no port; one whose worker thread dies exits, and the parent sees it.
With one process there is no parent: the worker runs in the command's own process, as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from types import FrameType

from shared.logging import configure_logging, get_logger
from shared.probes import dependency_checks, start_probes
from shared.settings import get_settings

log = get_logger(__name__)

_STOP_TIMEOUT_S = 30.0  # a child finishes the messages in hand (dramatiq allows them 10 s) before it is killed
_CHILD = "import sys; from shared.messaging.supervisor import child_main; child_main(sys.argv[1:])"
_PR_SET_PDEATHSIG = 1


def run_workers(
    module: str,
    processes: int,
    queues: Sequence[str] = (),
    skipped: Sequence[str] = (),
    *,
    database: str | None = None,
) -> None:
    """Run ``processes`` worker processes of ``module`` consuming ``queues`` (default: all of its lanes) but
    ``skipped``."""
    if processes <= 1:
        from shared.messaging.consumer import run_worker

        run_worker(module, queues, skipped)
        return
    settings = get_settings()
    configure_logging(f"{module}-workers", json=settings.log_json, level=settings.log_level)
    metrics_dir = tempfile.mkdtemp(prefix="redcell-worker-metrics-")
    env = {
        **os.environ,
        "REDCELL_WORKER__PROCESSES": "1",
        "REDCELL_PROBE_PORT": "0",  # the parent's
        "REDCELL_WORKER__METRICS_PORT": "0",
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
    }
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    stopping = False

    def on_stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        _nudge(wake_write)

    # Installed before the first child starts: no signal can fall between a check and the wait below.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_stop)
    signal.signal(signal.SIGCHLD, lambda *_: _nudge(wake_write))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, module, str(index), ",".join(queues), ",".join(skipped)],
            env={**env, "REDCELL_WORKER_INDEX": str(index)},
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, before exec
        )
        for index in range(processes)
    ]
    log.info("worker processes started", module=module, pids=[child.pid for child in children])
    probes = None
    failed: list[subprocess.Popen[bytes]] = []
    try:
        probes = start_probes(
            settings,
            alive=lambda: all(child.poll() is None for child in children),
            readiness=dependency_checks(settings, database, "app"),
        )
        if probes is not None:
            _collect_children_metrics(metrics_dir)
        while not stopping:
            os.read(wake_read, 512)  # blocks until a signal: no polling
            failed = [child for child in children if child.poll() is not None]
            if failed and not stopping:
                codes = {child.pid: child.returncode for child in failed}
                log.error("worker process died; stopping the others", module=module, exit_codes=codes)
                break
    finally:
        _stop_all(children)
        if probes is not None:
            probes.stop()
        shutil.rmtree(metrics_dir, ignore_errors=True)
        os.close(wake_read)
        os.close(wake_write)
    log.info("worker processes stopped", module=module, exit_codes=[child.returncode for child in children])
    if failed and not stopping:
        raise SystemExit(1)


def child_main(argv: Sequence[str]) -> None:
    """One supervised worker process: ``module index queues skipped``."""
    from shared.messaging.consumer import run_worker

    module, _index, queues, skipped = argv
    run_worker(module, _names(queues), _names(skipped), supervised=True)


def _names(joined: str) -> list[str]:
    return [name.strip() for name in joined.split(",") if name.strip()]


def _nudge(fd: int) -> None:
    with contextlib.suppress(BlockingIOError):  # the pipe is full of nudges already: the loop will wake
        os.write(fd, b".")


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends SIGTERM if the parent dies (a SIGKILL of the parent leaves no
    orphan taking messages). Linux only; elsewhere the child outlives a killed parent."""
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _collect_children_metrics(metrics_dir: str) -> None:
    """The parent's /metrics adds up the children's counters (each writes its own file in ``metrics_dir``)."""
    from prometheus_client import REGISTRY
    from prometheus_client.multiprocess import MultiProcessCollector

    MultiProcessCollector(REGISTRY, path=metrics_dir)  # type: ignore[no-untyped-call]


def _stop_all(children: Sequence[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("worker process did not stop; killing it", pid=child.pid)
            child.kill()
            child.wait()
