"""The gateway's own ``redcell`` subcommands: ``redcell tenant create|list`` and ``redcell keys list|rotate|retire``."""

from __future__ import annotations

import argparse
import asyncio
import sys

from shared.settings import get_settings


def cmd_tenant(args: argparse.Namespace) -> None:
    from gateway.tenants import cli as tenants
    from gateway.tenants.moves import MoveError
    from shared.http.problems import ProblemError

    settings = get_settings()
    try:
        if args.action == "create":
            tenant = asyncio.run(
                tenants.create_tenant_cli(
                    settings,
                    args.slug,
                    args.name,
                    args.parent_region,
                    args.admin_username,
                    args.admin_password,
                    args.cell,
                )
            )
            print(f"tenant {tenant.slug} {tenant.id}")
            return
        if args.action == "move":
            for report in asyncio.run(tenants.move_tenant_cli(settings, args.slug, args.cell, args.component)):
                print(
                    f"moved {report.slug} {report.component}: {report.from_cell} -> {report.to_cell}, "
                    f"{report.total_rows} rows, writes paused {report.paused_s:.1f} s"
                )
            return
    except (ProblemError, MoveError) as refused:
        sys.exit(f"refused: {refused}")
    else:
        for row in asyncio.run(tenants.list_tenants(settings)):
            print(f"{row.slug}\t{row.id}\t{row.name}")


def cmd_keys(args: argparse.Namespace) -> None:
    from gateway.identity import cli as keys

    for line in asyncio.run(keys.keys_command(get_settings(), args.action, args.kid)):
        print(line)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tenant = sub.add_parser("tenant", help="the tenant (district) registry")
    tsub = tenant.add_subparsers(dest="action", required=True)
    create = tsub.add_parser("create", help="provision a district")
    create.add_argument("--slug", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--parent-region")
    create.add_argument("--admin-username")
    create.add_argument("--admin-password")
    create.add_argument("--cell", help="the database cell holding its rows (default: main)")
    tsub.add_parser("list", help="list districts")
    move = tsub.add_parser("move", help="move a district's rows to another database cell (docs/scaling.md)")
    move.add_argument("slug")
    move.add_argument("cell")
    move.add_argument("--component", action="append", help="only this component (repeatable; default: all)")
    tenant.set_defaults(func=cmd_tenant)

    keys = sub.add_parser("keys", help="the gateway's token-signing keys")
    keys.add_argument("action", choices=["list", "rotate", "retire"])
    keys.add_argument("kid", nargs="?")
    keys.set_defaults(func=cmd_keys)
