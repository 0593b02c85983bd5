"""``redcell``: the one command that runs every role of the platform.

    redcell api <component>          HTTP server for the gateway or a service
    redcell worker <service>         dramatiq worker consuming <service>.events
    redcell relay <service>          outbox relay of a service's (or the gateway's) database
    redcell scheduler                periodic sweeps (housekeeping, deadlines)
    redcell migrate [--bootstrap]    alembic upgrade head for every component
    redcell tenant create|list       the tenant registry
    redcell keys list|rotate|retire  the gateway's token-signing keys
    redcell demo load                demo districts and logins
    redcell servers up|down|env      loopback PostgreSQL, Redis and S3 for development

Components are found by module path, so the kernel imports no service code.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
from pathlib import Path
from typing import Any

# Component name -> package. The gateway and every service follow one layout:
# <package>.app:create_app, <package>.worker (dramatiq actors), <package>/migrations.
COMPONENTS: dict[str, str] = {
    "gateway": "gateway",
    "orgtree": "services.orgtree",
    "dispatch": "services.dispatch",
}
DEFAULT_PORTS = {"gateway": 8000, "orgtree": 8101, "dispatch": 8102}


def _package(component: str) -> str:
    try:
        return COMPONENTS[component]
    except KeyError:
        sys.exit(f"unknown component {component!r}; known: {', '.join(COMPONENTS)}")


def _migrations_dir(component: str) -> Path:
    module = importlib.import_module(_package(component))
    assert module.__file__ is not None
    return Path(module.__file__).parent / "migrations"


def cmd_api(args: argparse.Namespace) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    package = _package(args.component)
    Granian(
        f"{package}.app:create_app",
        factory=True,
        interface=Interfaces.ASGI,
        address=args.host,
        port=args.port or DEFAULT_PORTS.get(args.component, 8000),
        workers=args.workers,
        log_access=False,
        backlog=2048,
    ).serve()


def cmd_worker(args: argparse.Namespace) -> None:
    from shared.messaging.consumer import run_worker

    run_worker(f"{_package(args.service)}.worker")


def cmd_relay(args: argparse.Namespace) -> None:
    from shared.messaging.relay import run_relay

    _package(args.service)
    run_relay(args.service)


def cmd_scheduler(_: argparse.Namespace) -> None:
    from shared.scheduler import run_scheduler

    run_scheduler([f"{package}.schedule" for package in COMPONENTS.values()])


async def migrate(settings: Any, components: list[str], *, bootstrap: bool) -> None:
    from shared.db.alembic_env import upgrade
    from shared.db.bootstrap import ensure_service_database

    for component in components:
        if bootstrap:
            await ensure_service_database(settings, component)
        await asyncio.to_thread(upgrade, settings, component, _migrations_dir(component))


def cmd_migrate(args: argparse.Namespace) -> None:
    from shared.settings import get_settings

    components = [args.component] if args.component else list(COMPONENTS)
    asyncio.run(migrate(get_settings(), components, bootstrap=args.bootstrap))
    print(f"migrated: {', '.join(components)}")


def cmd_tenant(args: argparse.Namespace) -> None:
    from shared.settings import get_settings

    tenants: Any = importlib.import_module("gateway.tenants.cli")
    settings = get_settings()
    if args.action == "create":
        tenant = asyncio.run(
            tenants.create_tenant_cli(
                settings, args.slug, args.name, args.parent_region, args.admin_username, args.admin_password
            )
        )
        print(f"tenant {tenant.slug} {tenant.id}")
    else:
        for tenant in asyncio.run(tenants.list_tenants(settings)):
            print(f"{tenant.slug}\t{tenant.id}\t{tenant.name}")


def cmd_keys(args: argparse.Namespace) -> None:
    from shared.settings import get_settings

    keys: Any = importlib.import_module("gateway.identity.cli")
    for line in asyncio.run(keys.keys_command(get_settings(), args.action, args.kid)):
        print(line)


# Each service's part of the demo districts, loaded after the gateway has created them.
DEMO_LOADERS = ("services.orgtree.demo.loader", "services.dispatch.demo.loader")


def cmd_demo(_: argparse.Namespace) -> None:
    from shared.settings import get_settings

    settings = get_settings()
    gateway_demo: Any = importlib.import_module("gateway.demo")
    lines, districts = asyncio.run(gateway_demo.load_demo(settings))
    for module in DEMO_LOADERS:
        lines += asyncio.run(importlib.import_module(module).load_demo(settings, districts))
    for line in lines:
        print(line)


def cmd_servers(args: argparse.Namespace) -> None:
    from shared import local_servers

    root = Path(args.root)
    if args.action == "up":
        state = local_servers.up(root, durable=True, preferred_ports={"pg": 55432, "redis": 56379, "s3": 48333})
        print(f"PostgreSQL 127.0.0.1:{state.pg_port}  Redis 127.0.0.1:{state.redis_port}  S3 127.0.0.1:{state.s3_port}")
        print(f"environment written to {root / 'env'}")
    elif args.action == "down":
        local_servers.down(root, remove=False)
        print("stopped")
    else:
        recorded = local_servers.load_state(root)
        if recorded is None:
            sys.exit(f"no servers recorded in {root}")
        for key, value in recorded.env().items():
            print(f"{key}={value}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redcell", description="Run a Redcell role.")
    sub = parser.add_subparsers(dest="command", required=True)

    api = sub.add_parser("api", help="serve a component's HTTP API")
    api.add_argument("component", choices=list(COMPONENTS))
    api.add_argument("--host", default=os.environ.get("REDCELL_HOST", "127.0.0.1"))
    api.add_argument(
        "--port", type=int, default=int(os.environ["REDCELL_PORT"]) if "REDCELL_PORT" in os.environ else None
    )
    api.add_argument("--workers", type=int, default=int(os.environ.get("REDCELL_WORKERS", "1")))
    api.set_defaults(func=cmd_api)

    worker = sub.add_parser("worker", help="consume a service's event queue")
    worker.add_argument("service", choices=list(COMPONENTS))
    worker.set_defaults(func=cmd_worker)

    relay = sub.add_parser("relay", help="publish a component's outbox")
    relay.add_argument("service", choices=list(COMPONENTS))
    relay.set_defaults(func=cmd_relay)

    sub.add_parser("scheduler", help="run periodic sweeps").set_defaults(func=cmd_scheduler)

    mig = sub.add_parser("migrate", help="upgrade databases to the newest schema")
    mig.add_argument("component", nargs="?", choices=list(COMPONENTS))
    mig.add_argument("--bootstrap", action="store_true", help="first create databases and roles (needs the admin user)")
    mig.set_defaults(func=cmd_migrate)

    tenant = sub.add_parser("tenant", help="the tenant (district) registry")
    tsub = tenant.add_subparsers(dest="action", required=True)
    create = tsub.add_parser("create", help="provision a district")
    create.add_argument("--slug", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--parent-region")
    create.add_argument("--admin-username")
    create.add_argument("--admin-password")
    tsub.add_parser("list", help="list districts")
    tenant.set_defaults(func=cmd_tenant)

    keys = sub.add_parser("keys", help="the gateway's token-signing keys")
    keys.add_argument("action", choices=["list", "rotate", "retire"])
    keys.add_argument("kid", nargs="?")
    keys.set_defaults(func=cmd_keys)

    demo = sub.add_parser("demo", help="demo data")
    demo.add_argument("action", choices=["load"])
    demo.set_defaults(func=cmd_demo)

    servers = sub.add_parser("servers", help="loopback servers for development")
    servers.add_argument("action", choices=["up", "down", "env"])
    servers.add_argument("--root", default=".dev")
    servers.set_defaults(func=cmd_servers)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
