"""Demo districts for `make dev` (section 8 of the domain digest): Longwan and Ouhai, Wenzhou.

Only the districts and their administrators are loaded here; their trees arrive with the orgtree issue.
"""

from __future__ import annotations

from gateway.tenants.cli import create_platform_operator_cli, create_tenant_cli
from shared.settings import Settings

DEMO_DISTRICTS = [
    ("wenzhou-longwan", "龙湾区", "温州市", "longwan-admin", "longwan-admin-pass"),
    ("wenzhou-ouhai", "瓯海区", "温州市", "ouhai-admin", "ouhai-admin-pass"),
]
OPERATOR = ("platform-operator", "platform-operator-pass")


async def load_demo(settings: Settings) -> list[str]:
    lines = []
    for slug, name, region, admin, password in DEMO_DISTRICTS:
        tenant = await create_tenant_cli(settings, slug, name, region, admin, password)
        lines.append(f"district {name} ({tenant.slug}): login {admin} / {password}")
    await create_platform_operator_cli(settings, *OPERATOR)
    lines.append(f"platform operator: login {OPERATOR[0]} / {OPERATOR[1]}")
    lines.append("gateway: http://127.0.0.1:8000  (API description: http://127.0.0.1:8000/schema)")
    return lines
