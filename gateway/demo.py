"""Demo districts for `make dev` (section 8 of the domain digest): Longwan and Ouhai (Wenzhou), Huaining, Jiaxing's
Nanhu and XX区 (seed 003's anonymised district).

The gateway loads the districts and their logins; each service then loads its part of the same districts
(``redcell demo load`` passes them on), e.g. orgtree builds their trees. In Longwan and Ouhai some logins
answer the hotline's offers: member volunteers, whom orgtree makes members of one grid (``volunteers``), and
the teams dispatch seeds (``teams``, found there by name); each district dict carries them to those loaders.
"""

from __future__ import annotations

from typing import Any

from gateway.city.cli import create_city_cli
from gateway.tenants.cli import create_district_user_cli, create_platform_operator_cli, create_tenant_cli
from shared.settings import Settings

DEMO_DISTRICTS = [
    ("wenzhou-longwan", "龙湾区", "温州市", "longwan-admin", "longwan-admin-pass"),
    ("wenzhou-ouhai", "瓯海区", "温州市", "ouhai-admin", "ouhai-admin-pass"),
    ("huaining-county", "怀宁县", "安庆市", "huaining-admin", "huaining-admin-pass"),
    ("jiaxing-nanhu", "南湖区", "嘉兴市", "nanhu-admin", "nanhu-admin-pass"),
    # seed 003's anonymised district of the Red Flag Communities, under the seed's own anonymised city
    ("xx-district", "XX区", "示例市（示例）", "xx-admin", "xx-admin-pass"),
]
# With a second database cell configured (``make dev`` starts one, named east), this district's rows live there
# (docs/scaling.md); the others stay on main.
ON_SECOND_CELL = "jiaxing-nanhu"
OPERATOR = ("platform-operator", "platform-operator-pass")
# A Wenzhou city hotline operator answering for two districts: one login, one token per district.
HOTLINE = ("wenzhou-hotline", "wenzhou-hotline-pass", ["wenzhou-longwan", "wenzhou-ouhai"])
# Wenzhou's Red Cell Project spans Longwan and Ouhai (GW-02): the city's account reads both districts' figures.
CITY = ("wenzhou", "温州市", ["wenzhou-longwan", "wenzhou-ouhai"], "wenzhou-city", "wenzhou-city-pass")

SYNTHETIC = "（示例）"  # marks names the seeds do not give
# slug: (login prefix, the member volunteers' synthetic names)
OFFER_TAKERS = {
    "wenzhou-longwan": ("longwan", ("林晓红", "陈建国", "王海燕", "张志强")),
    "wenzhou-ouhai": ("ouhai", ("周丽娟", "黄文斌", "吴春梅", "徐建华")),
    "jiaxing-nanhu": ("nanhu", ("沈建英", "朱伟民", "钱秀珍", "姚国平")),  # 96345 volunteers, registry and stations
}
# login suffix: the provider dispatch seeds under that name (services/dispatch/demo/loader.py)
TEAMS = (
    ("hongchuan", "红船服务队"),
    ("luoyeqing", "骆叶青志愿者工作室"),
    ("legal-aid", f"法律援助服务队{SYNTHETIC}"),
    ("housekeeping", f"安心家政{SYNTHETIC}"),
    ("plumber", f"水电师傅{SYNTHETIC}"),
)
VOLUNTEER_ROLES = ["volunteer", "member"]  # takes offers; signs in as their member record in orgtree
TEAM_ROLES = ["volunteer"]


async def offer_takers(settings: Settings, slug: str, district: dict[str, Any]) -> list[str]:
    """The district's volunteer and team logins, recorded in ``district`` for orgtree's and dispatch's loaders."""
    prefix, names = OFFER_TAKERS[slug]
    district["volunteers"], district["teams"] = [], []
    password = f"{prefix}-volunteer-pass"
    for number, name in enumerate(names, start=1):
        username, shown = f"{prefix}-volunteer-{number}", f"{name}{SYNTHETIC}"
        user = await create_district_user_cli(settings, username, password, VOLUNTEER_ROLES, [slug], shown)
        district["volunteers"].append({"username": username, "userId": str(user.id), "name": shown})
    team_password = f"{prefix}-team-pass"
    for suffix, name in TEAMS:
        username = f"{prefix}-{suffix}"
        user = await create_district_user_cli(settings, username, team_password, TEAM_ROLES, [slug], name)
        district["teams"].append({"username": username, "userId": str(user.id), "name": name})
    volunteers = ", ".join(v["username"] for v in district["volunteers"])
    teams = ", ".join(t["username"] for t in district["teams"])
    return [
        f"  member volunteers of {district['name']}: {volunteers} / {password}",
        f"  teams of {district['name']}: {teams} / {team_password}",
    ]


async def load_demo(settings: Settings, districts: list[dict[str, Any]]) -> list[str]:
    """The demo districts and logins; appends the districts for the services' loaders, returns what to print."""
    lines = []
    second_cell = next(iter(settings.cells), None)
    for slug, name, region, admin, password in DEMO_DISTRICTS:
        cell = second_cell if slug == ON_SECOND_CELL else None
        tenant = await create_tenant_cli(settings, slug, name, region, admin, password, cell)
        district: dict[str, Any] = {"id": str(tenant.id), "slug": tenant.slug, "name": tenant.name}
        districts.append(district)
        where = f", its rows on the database cell {cell}" if cell else ""
        lines.append(f"district {name} ({tenant.slug}): login {admin} / {password}{where}")
        if slug in OFFER_TAKERS:
            lines += await offer_takers(settings, slug, district)
    username, password, slugs = HOTLINE
    await create_district_user_cli(settings, username, password, ["hotline_operator"], slugs)
    lines.append(f"hotline operator (龙湾区 and 瓯海区): login {username} / {password}")
    await create_city_cli(settings, *CITY)
    lines.append(f"city view of {CITY[1]} (龙湾区 and 瓯海区): login {CITY[3]} / {CITY[4]}")
    await create_platform_operator_cli(settings, *OPERATOR)
    lines.append(f"platform operator: login {OPERATOR[0]} / {OPERATOR[1]}")
    lines.append("gateway: http://127.0.0.1:8000  (API description: http://127.0.0.1:8000/schema)")
    return lines
