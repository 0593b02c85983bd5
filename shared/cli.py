"""``redcell``: the one command that runs every role of the platform.

    redcell api <component>          HTTP server for the gateway or a service
    redcell worker <service>         dramatiq worker(s) consuming <service>'s lanes (--processes, --queues)
    redcell relay <service>          outbox relay of a service's (or the gateway's) database
    redcell scheduler                periodic sweeps (housekeeping, deadlines)
    redcell migrate [--bootstrap]    alembic upgrade head for every component
    redcell demo load                demo districts and logins

Components declare themselves (``shared/components.py``) and may add subcommands of their own, such
as the gateway's ``redcell tenant`` and ``redcell keys``; the kernel names none of them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

from shared.components import Component, components, with_database, with_worker


def _component(name: str) -> Component:
    try:
        return components()[name]
    except KeyError:
        sys.exit(f"unknown component {name!r}; known: {', '.join(components())}")


def cmd_api(args: argparse.Namespace) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    component = _component(args.component)
    Granian(
        component.app,
        factory=True,
        interface=Interfaces.ASGI,
        address=args.host,
        port=args.port or component.port,
        workers=args.workers,
        log_access=False,
        backlog=2048,
    ).serve()


def cmd_worker(args: argparse.Namespace) -> None:
    from shared.messaging.supervisor import run_workers
    from shared.settings import get_settings

    worker = _component(args.service).worker
    if worker is None:
        sys.exit(f"{args.service} has no worker")
    processes = args.processes or get_settings().worker.processes
    queues, skipped = ([q.strip() for q in (given or "").split(",") if q.strip()] for given in (args.queues, args.skip))
    database = args.service if args.service in with_database() else None
    run_workers(worker, processes, queues, skipped, database=database)


def cmd_relay(args: argparse.Namespace) -> None:
    from shared.messaging.relay import run_relay

    run_relay(_component(args.service).name)


def cmd_scheduler(_: argparse.Namespace) -> None:
    from shared.scheduler import run_scheduler

    run_scheduler([c.schedule for c in components().values() if c.schedule])


async def migrate(settings: Any, names: list[str], *, bootstrap: bool) -> None:
    """Each component's database to head on every cell that may hold its rows (``main`` only for the others)."""
    from shared.components import placed
    from shared.db.alembic_env import upgrade
    from shared.db.bootstrap import ensure_service_database

    spread = set(placed())
    for name in names:
        for cell in settings.cell_names if name in spread else settings.cell_names[:1]:
            if bootstrap:
                await ensure_service_database(settings, name, cell)
            await asyncio.to_thread(upgrade, settings, name, _component(name).migrations, cell=cell)


def cmd_migrate(args: argparse.Namespace) -> None:
    from shared.settings import get_settings

    names = [args.component] if args.component else with_database()
    asyncio.run(migrate(get_settings(), names, bootstrap=args.bootstrap))
    print(f"migrated: {', '.join(names)}")


DEMO_SETTLE_TIMEOUT_S = 600


def cmd_demo(_: argparse.Namespace) -> None:
    from shared.messaging.settle import EventFlow
    from shared.settings import get_settings

    settings = get_settings()
    # The gateway's loader (first) creates the districts; each service then loads its part of them, once the
    # events the loaders before it published have been delivered (orgtree's links reach dispatch's directory).
    districts: list[dict[str, Any]] = []
    lines: list[str] = []
    with EventFlow(settings) as flow:
        for component in components().values():
            loader = component.demo_loader()
            if loader is None:
                continue
            if districts and not flow.wait_at_rest(DEMO_SETTLE_TIMEOUT_S):
                lines.append(f"events still pending after {DEMO_SETTLE_TIMEOUT_S} s: the workers deliver them")
            lines += asyncio.run(loader(settings, districts))
    for line in lines:
        print(line)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redcell", description="Run a Redcell role.")
    sub = parser.add_subparsers(dest="command", required=True)
    names = list(components())

    api = sub.add_parser("api", help="serve a component's HTTP API")
    api.add_argument("component", choices=names)
    api.add_argument("--host", default=os.environ.get("REDCELL_HOST", "127.0.0.1"))
    api.add_argument(
        "--port", type=int, default=int(os.environ["REDCELL_PORT"]) if "REDCELL_PORT" in os.environ else None
    )
    api.add_argument("--workers", type=int, default=int(os.environ.get("REDCELL_WORKERS", "1")))
    api.set_defaults(func=cmd_api)

    worker = sub.add_parser("worker", help="consume a service's event queues")
    worker.add_argument("service", choices=with_worker())
    worker.add_argument(
        "--processes", type=int, default=None, help="worker processes (default: REDCELL_WORKER__PROCESSES, 1)"
    )
    worker.add_argument(
        "--queues", default=os.environ.get("REDCELL_WORKER_QUEUES"), help="lanes to consume, e.g. events,sync (all)"
    )
    worker.add_argument(
        "--skip-queues",
        dest="skip",
        default=os.environ.get("REDCELL_WORKER_SKIP_QUEUES"),
        help="lanes left to other workers, e.g. sync",
    )
    worker.set_defaults(func=cmd_worker)

    relay = sub.add_parser("relay", help="publish a component's outbox")
    relay.add_argument("service", choices=with_database())
    relay.set_defaults(func=cmd_relay)

    sub.add_parser("scheduler", help="run periodic sweeps").set_defaults(func=cmd_scheduler)

    mig = sub.add_parser("migrate", help="upgrade databases to the newest schema")
    mig.add_argument("component", nargs="?", choices=with_database())
    mig.add_argument("--bootstrap", action="store_true", help="first create databases and roles (needs the admin user)")
    mig.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="demo data")
    demo.add_argument("action", choices=["load"])
    demo.set_defaults(func=cmd_demo)

    for component in components().values():
        component.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
