"""Demo districts for `make dev` (section 8 of the domain digest): Longwan and Ouhai, Wenzhou.

The gateway loads the districts and their administrators; each service then loads its part of the
same districts (``redcell demo load`` passes them on), e.g. orgtree builds their trees.
"""

from __future__ import annotations

from typing import Any

from gateway.tenants.cli import create_district_user_cli, create_platform_operator_cli, create_tenant_cli
from shared.settings import Settings

DEMO_DISTRICTS = [
    ("wenzhou-longwan", "龙湾区", "温州市", "longwan-admin", "longwan-admin-pass"),
    ("wenzhou-ouhai", "瓯海区", "温州市", "ouhai-admin", "ouhai-admin-pass"),
    ("huaining-county", "怀宁县", "安庆市", "huaining-admin", "huaining-admin-pass"),
]
OPERATOR = ("platform-operator", "platform-operator-pass")
# A Wenzhou city hotline operator answering for two districts: one login, one token per district.
HOTLINE = ("wenzhou-hotline", "wenzhou-hotline-pass", ["wenzhou-longwan", "wenzhou-ouhai"])


async def load_demo(settings: Settings, districts: list[dict[str, Any]]) -> list[str]:
    """The demo districts and logins; appends the districts for the services' loaders, returns what to print."""
    lines = []
    for slug, name, region, admin, password in DEMO_DISTRICTS:
        tenant = await create_tenant_cli(settings, slug, name, region, admin, password)
        districts.append({"id": str(tenant.id), "slug": tenant.slug, "name": tenant.name})
        lines.append(f"district {name} ({tenant.slug}): login {admin} / {password}")
    username, password, slugs = HOTLINE
    await create_district_user_cli(settings, username, password, ["hotline_operator"], slugs)
    lines.append(f"hotline operator (龙湾区 and 瓯海区): login {username} / {password}")
    await create_platform_operator_cli(settings, *OPERATOR)
    lines.append(f"platform operator: login {OPERATOR[0]} / {OPERATOR[1]}")
    lines.append("gateway: http://127.0.0.1:8000  (API description: http://127.0.0.1:8000/schema)")
    return lines
