"""A generated district at benchmark scale: ~42,000 units, 1,000,000 members, 300,000 households.

Shape per district (defaults): district → 20 streets → 50 communities/villages each → 40 grids each
(40,000 grids); party tree: district committee → one street working committee per street → one
branch per community (linked to it). 25 members per grid (grid_path and branch_path set), 7 or 8
households per grid, one red-cell link per household, one grid leader per grid, two cadres posted
at each community.

The district's roots, levels, settings and posts come from ``ensure_tenant_root`` (application role,
inside ``tenant_scope``); everything below the roots is written with COPY through the system role
(COPY is refused to RLS-bound roles). Personal-data columns stay NULL: encrypting a million
identity-card numbers would measure the cipher, not the tree. Members and households are copied
on two connections at once, a street at a time, so Python builds one street while PostgreSQL
writes the other's rows.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import uuid_utils
from sqlalchemy import select

from services.orgtree.models import OrgNode, TreeKind
from services.orgtree.nodes.services import ensure_tenant_root
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, database_name, database_url, plain_dsn
from shared.settings import Settings

SERVICE = "orgtree"
Batch = list[tuple[Any, ...]]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅海燕志文玉兵辉鹏飞"
CLASSIFICATIONS = ("in_service", "self_managed", "mobile")
HOUSEHOLD_CATEGORIES = ("planting", "processing", "migrant_worker", "empty_nest", "living_alone")


@dataclass(frozen=True)
class Shape:
    streets: int = 20
    communities_per_street: int = 50
    grids_per_community: int = 40
    members_per_grid: int = 25
    households_per_two_grids: int = 15  # 7 and 8 alternately: 300,000 for 40,000 grids

    @property
    def grids(self) -> int:
        return self.streets * self.communities_per_street * self.grids_per_community

    @property
    def members(self) -> int:
        return self.grids * self.members_per_grid


@dataclass(frozen=True)
class Unit:
    id: uuid.UUID
    path: str


@dataclass
class District:
    """What the benchmark needs to know about a generated district (ids and paths of its units)."""

    tenant_id: uuid.UUID
    name: str
    admin_root: Unit
    party_root: Unit
    streets: list[Unit] = field(default_factory=list)
    communities: list[Unit] = field(default_factory=list)
    community_street: list[int] = field(default_factory=list)  # index into streets
    grids: list[Unit] = field(default_factory=list)
    branches: list[Unit] = field(default_factory=list)  # one per community, same index
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _segments(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct 8-hex-digit path segments."""
    seen: set[str] = set()
    while len(seen) < n:
        seen.add(f"{rng.getrandbits(32):08x}")
    out = list(seen)
    rng.shuffle(out)
    return out


def _uid() -> Any:
    """A time-ordered id; asyncpg encodes any object with ``.bytes``."""
    return uuid_utils.uuid7()


def _std(u: Any) -> uuid.UUID:
    return uuid.UUID(bytes=u.bytes)


NODE_COLUMNS = ("id", "tenant_id", "parent_id", "tree", "level", "name", "path", "linked_node_id", "flags")
VERSION_COLUMNS = ("id", "tenant_id", "node_id", "parent_id", "tree", "level", "name", "valid_from")
MEMBER_COLUMNS = (
    "id",
    "tenant_id",
    "name",
    "gender",
    "birth_date",
    "classification",
    "flags",
    "info_card",
    "grid_id",
    "grid_path",
    "branch_id",
    "branch_path",
    "joined_on",
)
HOUSEHOLD_COLUMNS = ("id", "tenant_id", "grid_id", "grid_path", "label", "categories", "is_member_hub")
LINK_COLUMNS = ("id", "tenant_id", "member_id", "household_id", "since")
LEADER_COLUMNS = ("id", "tenant_id", "grid_id", "grid_path", "member_id", "kind", "since")
CADRE_COLUMNS = (
    "id",
    "tenant_id",
    "kind",
    "member_id",
    "village_id",
    "village_path",
    "role",
    "cross_appointed",
    "one_shoulder",
    "since",
)


class _Builder:
    """Builds one district's rows street by street; shared small objects keep a million rows cheap."""

    def __init__(self, district: District, shape: Shape, seed: int) -> None:
        self.d = district
        self.shape = shape
        self.rng = random.Random(seed)
        rng = self.rng
        self.names = [s + g + (h if rng.random() < 0.6 else "") for s in SURNAMES for g in GIVEN for h in "华明"][:4000]
        day0 = date(1940, 1, 1)
        self.birth_dates = [day0 + timedelta(days=rng.randrange(0, 365 * 65)) for _ in range(2000)]
        self.join_dates = [date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55)) for _ in range(2000)]
        self.since = [date(2020, 1, 1) + timedelta(days=rng.randrange(0, 365 * 6)) for _ in range(500)]
        self.empty: list[str] = []
        self.no_info: dict[str, Any] = {}
        self.category_sets = [[c] for c in HOUSEHOLD_CATEGORIES] + [self.empty] * 10
        # member ids of each grid, kept only for the first few (leaders, links, cadres)
        self.grid_members: list[list[Any]] = []
        self.community_grids: list[range] = []

    # ---- the two trees -------------------------------------------------------------------------
    def nodes(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        d, s, rng, t = self.d, self.shape, self.rng, self.d.tenant_id
        nodes: list[tuple[Any, ...]] = []
        admin, party = TreeKind.ADMINISTRATIVE.value, TreeKind.PARTY.value
        for si, seg in enumerate(_segments(rng, s.streets)):
            street = Unit(_std(_uid()), f"{d.admin_root.path}{seg}/")
            d.streets.append(street)
            nodes.append((street.id, t, d.admin_root.id, admin, "street", f"第{si + 1}街道", street.path, None, []))
            committee = Unit(_std(_uid()), f"{d.party_root.path}{seg}/")
            nodes.append(
                (
                    committee.id,
                    t,
                    d.party_root.id,
                    party,
                    "street_working_committee",
                    f"第{si + 1}街道党工委",
                    committee.path,
                    None,
                    [],
                )
            )
            for ci, cseg in enumerate(_segments(rng, s.communities_per_street)):
                level = "community" if ci % 2 == 0 else "village"
                community = Unit(_std(_uid()), f"{street.path}{cseg}/")
                flags = ["red_flag_community"] if rng.random() < 0.05 else []
                cname = f"第{si + 1}街道{ci + 1}{'社区' if level == 'community' else '村'}"
                nodes.append((community.id, t, street.id, admin, level, cname, community.path, None, flags))
                branch = Unit(_std(_uid()), f"{committee.path}{cseg}/")
                nodes.append(
                    (branch.id, t, committee.id, party, "branch", f"{cname}党支部", branch.path, community.id, [])
                )
                d.communities.append(community)
                d.community_street.append(si)
                d.branches.append(branch)
                first = len(d.grids)
                for gi, gseg in enumerate(_segments(rng, s.grids_per_community)):
                    grid = Unit(_std(_uid()), f"{community.path}{gseg}/")
                    d.grids.append(grid)
                    nodes.append(
                        (grid.id, t, community.id, admin, "grid", f"{cname}第{gi + 1}网格", grid.path, None, [])
                    )
                self.community_grids.append(range(first, len(d.grids)))
        at = datetime(2025, 1, 1, tzinfo=UTC)
        versions = [(_uid(), t, n[0], n[2], n[3], n[4], n[5], at) for n in nodes]
        return nodes, versions

    # ---- people and households, one street at a time ------------------------------------------
    def streets(self) -> range:
        return range(self.shape.streets)

    def members(self, street: int) -> list[tuple[Any, ...]]:
        d, s, rng, t = self.d, self.shape, self.rng, self.d.tenant_id
        names, births, joins = self.names, self.birth_dates, self.join_dates
        n_names = len(names)
        rand = rng.random
        out: list[tuple[Any, ...]] = []
        per_street = s.communities_per_street
        for ci in range(street * per_street, (street + 1) * per_street):
            branch = d.branches[ci]
            for gi in self.community_grids[ci]:
                grid = d.grids[gi]
                ids = [_uid() for _ in range(s.members_per_grid)]
                self.grid_members.append(ids[:8])
                for mid in ids:
                    r = rand()
                    out.append(
                        (
                            mid,
                            t,
                            names[int(r * n_names)],
                            "男" if r < 0.62 else "女",
                            births[int(r * 1999.9)],
                            CLASSIFICATIONS[int(r * 97) % 3],
                            self.empty,
                            self.no_info,
                            grid.id,
                            grid.path,
                            branch.id,
                            branch.path,
                            joins[int(r * 1777) % 2000],
                        )
                    )
        return out

    def household_rows(self, street: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Households of a street (7 or 8 per grid) and one red-cell link each, to a member of the same grid."""
        d, s, t = self.d, self.shape, self.d.tenant_id
        cats, since = self.category_sets, self.since
        homes: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        per_street = s.communities_per_street
        for ci in range(street * per_street, (street + 1) * per_street):
            for gi in self.community_grids[ci]:
                grid, members = d.grids[gi], self.grid_members[gi]
                n = s.households_per_two_grids // 2 + (gi % 2) * (s.households_per_two_grids % 2)
                for k in range(n):
                    hid = _uid()
                    homes.append(
                        (hid, t, grid.id, grid.path, f"{k // 4 + 1}组{gi % 97 + k}号", cats[(gi + k) % 15], k == 0)
                    )
                    links.append((_uid(), t, members[k % len(members)], hid, since[(gi + k) % 500]))
        return homes, links

    def leaders_and_cadres(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        d, t = self.d, self.d.tenant_id
        leaders = [
            (_uid(), t, g.id, g.path, self.grid_members[gi][0], "red_collar", self.since[gi % 500])
            for gi, g in enumerate(d.grids)
        ]
        cadres: list[tuple[Any, ...]] = []
        for ci, c in enumerate(d.communities):
            first = self.community_grids[ci][0]
            cadres.append(
                (
                    _uid(),
                    t,
                    "village",
                    self.grid_members[first][1],
                    c.id,
                    c.path,
                    "secretary",
                    False,
                    True,
                    self.since[ci % 500],
                )
            )
            cadres.append(
                (
                    _uid(),
                    t,
                    "stationed",
                    self.grid_members[first][2],
                    c.id,
                    c.path,
                    None,
                    False,
                    False,
                    self.since[ci % 500],
                )
            )
        return leaders, cadres


async def create_roots(settings: Settings, tenant_id: uuid.UUID, name: str) -> tuple[Unit, Unit]:
    """Levels, settings, posts and the two roots, as provisioning does it (application role, under RLS)."""
    engine = make_engine(settings, SERVICE, "app", pool_size=1)
    try:
        with tenant_scope(tenant_id):
            async with make_sessionmaker(engine)() as session, session.begin():
                root = await ensure_tenant_root(session, name)
                admin = Unit(root.id, root.path)
                party_root = await session.scalar(
                    select(OrgNode).where(OrgNode.parent_id.is_(None), OrgNode.tree == TreeKind.PARTY)
                )
                assert party_root is not None
                party = Unit(party_root.id, party_root.path)
    finally:
        await engine.dispose()
    return admin, party


async def _system_connection(settings: Settings) -> asyncpg.Connection:
    conn: asyncpg.Connection = await asyncpg.connect(
        plain_dsn(database_url(settings, SERVICE, "system")), server_settings={"application_name": "orgtree-bench-gen"}
    )
    await conn.set_type_codec(  # COPY is binary: jsonb is a version byte and the text
        "jsonb",
        schema="pg_catalog",
        format="binary",
        encoder=lambda v: b"\x01" + json.dumps(v).encode(),
        decoder=lambda b: json.loads(b[1:]),
    )
    return conn


async def generate_district(
    settings: Settings, name: str, *, shape: Shape | None = None, seed: int = 1, log: Any = print
) -> District:
    """One tenant: roots through the service, the rest by COPY as the system role. Prints timings."""
    shape = shape or Shape()
    tenant_id = _std(uuid_utils.uuid7())
    started = time.perf_counter()
    admin_root, party_root = await create_roots(settings, tenant_id, name)
    district = District(tenant_id=tenant_id, name=name, admin_root=admin_root, party_root=party_root)
    b = _Builder(district, shape, seed)
    conns = [await _system_connection(settings) for _ in range(2)]
    rows: dict[str, int] = {}
    try:
        t0 = time.perf_counter()
        nodes, versions = b.nodes()
        await conns[0].copy_records_to_table("org_node", records=nodes, columns=NODE_COLUMNS)
        await conns[0].copy_records_to_table("org_node_version", records=versions, columns=VERSION_COLUMNS)
        rows["org_node"], rows["org_node_version"] = len(nodes) + 2, len(versions) + 2
        district.seconds["nodes"] = round(time.perf_counter() - t0, 1)

        t0 = time.perf_counter()
        rows["member"] = rows["household"] = rows["household_link"] = 0
        member_queue: asyncio.Queue[tuple[int, Batch, Batch] | None] = asyncio.Queue(maxsize=1)
        home_queue: asyncio.Queue[tuple[int, Batch] | None] = asyncio.Queue(maxsize=1)
        homes_in = [asyncio.Event() for _ in b.streets()]

        async def copy_members_then_links() -> None:  # connection 0
            while (item := await member_queue.get()) is not None:
                street, members, links = item
                await conns[0].copy_records_to_table("member", records=members, columns=MEMBER_COLUMNS)
                await homes_in[street].wait()  # a link's foreign keys need its member and its household
                await conns[0].copy_records_to_table("household_link", records=links, columns=LINK_COLUMNS)
                rows["member"] += len(members)
                rows["household_link"] += len(links)

        async def copy_homes() -> None:  # connection 1, at the same time
            while (item := await home_queue.get()) is not None:
                street, homes = item
                await conns[1].copy_records_to_table("household", records=homes, columns=HOUSEHOLD_COLUMNS)
                rows["household"] += len(homes)
                homes_in[street].set()

        async def produce() -> None:  # Python builds the next street while PostgreSQL writes this one
            for street in b.streets():
                members = b.members(street)
                homes, links = b.household_rows(street)
                await home_queue.put((street, homes))
                await member_queue.put((street, members, links))
            await home_queue.put(None)
            await member_queue.put(None)

        await asyncio.gather(produce(), copy_members_then_links(), copy_homes())
        district.seconds["members_households_links"] = round(time.perf_counter() - t0, 1)

        t0 = time.perf_counter()
        leaders, cadres = b.leaders_and_cadres()
        await conns[0].copy_records_to_table("grid_leader", records=leaders, columns=LEADER_COLUMNS)
        await conns[0].copy_records_to_table("cadre_posting", records=cadres, columns=CADRE_COLUMNS)
        rows["grid_leader"], rows["cadre_posting"] = len(leaders), len(cadres)
        district.seconds["leaders_cadres"] = round(time.perf_counter() - t0, 1)
    finally:
        for conn in conns:
            await conn.close()
    district.rows = rows
    district.seconds["total"] = round(time.perf_counter() - started, 1)
    log(f"orgtree bench: generated {name} ({tenant_id}): {rows} in {district.seconds}")
    return district


async def analyze(settings: Settings, log: Any = print) -> float:
    """VACUUM (visibility map for index-only counts) and ANALYZE, as the superuser (the table owner may too)."""
    started = time.perf_counter()
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, database_name(SERVICE))))
    try:
        await conn.execute("SET maintenance_work_mem = '256MB'")
        await conn.execute("VACUUM (ANALYZE)")
    finally:
        await conn.close()
    took = round(time.perf_counter() - started, 1)
    log(f"orgtree bench: VACUUM (ANALYZE) in {took} s")
    return took


async def generate(
    settings: Settings,
    names: tuple[str, ...] = ("压测甲区", "压测乙区"),
    *,
    shape: Shape | None = None,
    log: Any = print,
) -> tuple[list[District], dict[str, float]]:
    """Every district one after the other, then VACUUM ANALYZE; returns the districts and the timings."""
    started = time.perf_counter()
    districts = [await generate_district(settings, n, shape=shape, seed=i + 1, log=log) for i, n in enumerate(names)]
    generated = time.perf_counter() - started
    vacuum = await analyze(settings, log)
    return districts, {
        "generate_s": round(generated, 1),
        "vacuum_analyze_s": vacuum,
        "total_s": round(time.perf_counter() - started, 1),
    }
