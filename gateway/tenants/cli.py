"""What ``redcell tenant`` and ``redcell demo`` call: each opens a system-role engine, does one transaction
and closes it. Provisioning is cross-tenant work by nature (a district that does not exist yet has no
tenant to bind), so it is done on the system role, explicitly and audited."""

from __future__ import annotations

from sqlalchemy import select

from gateway.models import Membership, Tenant, UserAccount
from gateway.tenants.moves import MoveReport, move_district
from gateway.tenants.placement import choose_cells, mirror
from gateway.tenants.services import add_membership, add_user, create_platform_operator, provision_tenant
from shared.components import placed
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings


async def create_tenant_cli(  # noqa: PLR0917 - mirrors the CLI flags
    settings: Settings,
    slug: str,
    name: str,
    parent_region: str | None,
    admin_username: str | None,
    admin_password: str | None,
    cell: str | None = None,
) -> Tenant:
    """Provision a district (idempotent on ``slug``: an existing one is returned, no second event), its rows on
    ``cell`` (``main`` by default)."""
    cells = choose_cells(settings, cell)
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            tenant, _ = await provision_tenant(
                session,
                slug,
                name,
                parent_region=parent_region,
                admin_username=admin_username,
                admin_password=admin_password,
                cells=cells,
            )
            await mirror(session, settings)  # before the commit: its first event finds its cells
        return tenant
    finally:
        await engine.dispose()


async def list_tenants(settings: Settings) -> list[Tenant]:
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session:
            return list(await session.scalars(select(Tenant).order_by(Tenant.slug)))
    finally:
        await engine.dispose()


async def create_platform_operator_cli(settings: Settings, username: str, password: str) -> UserAccount:
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await create_platform_operator(session, username, password)
    finally:
        await engine.dispose()


async def create_district_user_cli(  # noqa: PLR0917 - mirrors the user's fields
    settings: Settings,
    username: str,
    password: str,
    roles: list[str],
    slugs: list[str],
    display_name: str | None = None,
) -> UserAccount:
    """A user with the same roles in each of ``slugs`` (e.g. a city hotline operator serving two districts),
    shown by ``display_name`` (the username when absent). Idempotent: memberships the user already has are left
    as they are."""
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
            for slug in slugs:
                tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
                if tenant is None:
                    msg = f"no district {slug!r}"
                    raise LookupError(msg)
                if user is None:
                    user = await add_user(
                        session, tenant, username, password, roles=roles, scope=None, display_name=display_name
                    )
                elif not await session.scalar(
                    select(Membership.id).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
                ):
                    await add_membership(session, tenant, username, roles=roles, scope=None)
            if user is None:
                msg = "no districts given"
                raise ValueError(msg)
            return user
    finally:
        await engine.dispose()


async def move_tenant_cli(settings: Settings, slug: str, cell: str, components: list[str] | None) -> list[MoveReport]:
    """Move district ``slug``'s rows of each of ``components`` (all by default) to ``cell``, one after another."""
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    reports = []
    try:
        sessions = make_sessionmaker(engine)
        for component in components or placed():
            reports.append(await move_district(settings, sessions, slug, component, cell, say=print))
    finally:
        await engine.dispose()
    return reports
