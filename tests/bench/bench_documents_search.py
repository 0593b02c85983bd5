"""Chinese full-text search at 1,000,000 documents (issue 14, DOC-06): ranked searches of common and rare words,
by the district admin and by a street admin, against the documents API app in this process (ASGI, JWT verified).

    .venv/bin/python -m tests.bench.bench_documents_search [--quick] [--write docs/benchmarks.md]

Starts its own servers (``deploy.local_servers``), migrates documents, seeds one district's registry through the
service's code, then writes 1,000,000 documents (100,000 with ``--quick``) in 10 streets × 10 communities straight
into the database with COPY: titles, descriptions and file text made of the seeds' vocabulary, segmented by the
service's own jieba words (each phrase once), their vectors computed by the same SQL as ``search/indexing.py`` with
the GIN index built afterwards, VACUUM ANALYZE; then measures p50/p99 of a few hundred searches per role and
kind of word, and EXPLAIN ANALYZE of the slowest common and rare ones. Figures only: the goal is printed, never
asserted. Not collected by pytest; not in ``tests/bench/run.py``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import tempfile
import time
import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import asyncpg
import psutil
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from services.documents.app import MIGRATIONS, create_app
from services.documents.search.query import SearchFilters, search_statement
from services.documents.search.words import query_words, segmented
from services.documents.settings import get_documents_settings
from services.documents.types.catalogue import seed_registry
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import tenant_scope
from shared.db.base import uuid7
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.bench.cli import run_section
from tests.bench.report import replace_section
from tests.platform.tokens import TestIssuer

SECTION = "## Documents search (issue 14)"
GOAL_P99_MS = 50.0
# who searches: the whole district, one street of ten (a tenth of the documents), one community of its ten
SCOPES = {"district_admin": None, "street_admin": "/d0000001/s03/", "community_cadre": "/d0000001/s03/c04/"}
_STREETS = "瑶溪 南浦 蒲鞋市 七都 状元 茶山 三垟 龙霞 永中 海城"
STREETS = _STREETS.split()
_COMMUNITY = "东方 新城 桥头 河畔 凤凰 锦绣 阳光 和平 民主 文化"
COMMUNITY = _COMMUNITY.split()
_TOPICS = (
    "网格走访 党员考绩 流动党员 微心愿 四和院 抄告单 红色细胞 三会一课 主题党日 志愿服务 垃圾分类 消防安全 "
    "矛盾调解 困难帮扶 文明创建 安全生产 防汛防台 老旧小区改造 民情代理 楼栋长会议 双报到 结对帮扶"
)
TOPICS = _TOPICS.split()
_KINDS = "会议纪要 工作台账 通知 情况说明 活动照片 签到表 月报表 实施方案 工作总结 申请表 回访记录"
KINDS = _KINDS.split()
SENTENCES = (
    "{street}街道{community}社区组织党员开展{topic}活动",
    "本月共走访困难家庭{n}户，收集{topic}相关诉求{m}条",
    "经{street}街道党工委研究，决定由{name}同志负责{topic}工作",
    "通过96345热线受理群众诉求，按首问负责制限时办结",
    "{community}社区第{n}网格网格长{name}上报{topic}情况",
    "楼栋长和民情代理员协助开展入户核查，形成工作台账",
    "红色细胞志愿队伍参与{topic}，服务群众{m}人次",
    "对照党员考绩标准，{name}等{n}名党员完成年度评星定级",
)
_SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 冯 邓 曹"
SURNAMES = _SURNAMES.split()
_GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 华 建 玉 兰 英 慧 晓 云"
GIVEN = _GIVEN.split()
_DOCUMENT = (
    "tenant_id id type_code title description unit_path unit_name anchor_path state current_version fields "
    "retention_class immutable legal_hold created_by_name created_at updated_at"
)
DOCUMENT = _DOCUMENT.split()
STAGE = "CREATE UNLOGGED TABLE stage (id uuid, tenant_id uuid, title text, about text, body text, seg_body text)"
VECTORS = """
INSERT INTO document_search (tenant_id, document_id, vector, body, body_version, extraction, updated_at)
SELECT tenant_id, id, setweight(to_tsvector('simple'::regconfig, title), 'A')
                      || setweight(to_tsvector('simple'::regconfig, about), 'B')
                      || setweight(to_tsvector('simple'::regconfig, seg_body), 'C'), body, 1, 'read', now()
FROM stage"""


@cache
def seg(phrase: str) -> str:
    return segmented([phrase])


def names(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(count)]


async def generate(settings: Settings, tenant: uuid.UUID, documents: int) -> dict[str, Any]:
    engine = make_engine(settings, "documents", "app", pool_size=1)
    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_registry(session)
    await engine.dispose()
    rng = random.Random(14)
    people = names(rng, 3000)  # the rare words
    root, started = "/d0000001/", time.perf_counter()
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_documents")))
    try:
        await conn.execute(STAGE)
        await conn.execute("DROP INDEX ix_document_search_vector")
        base = now() - timedelta(days=5 * 365)
        batch_size = 50_000
        for first in range(0, documents, batch_size):
            rows, stage = [], []
            for n in range(first, min(documents, first + batch_size)):
                s, c = rng.randrange(10), rng.randrange(10)
                street, community = STREETS[s], COMMUNITY[c]
                topic, kind = rng.choice(TOPICS), rng.choice(KINDS)
                title = f"{street}街道{community}社区{topic}{kind}"
                fill = {"street": street, "community": community, "topic": topic, "name": rng.choice(people)}
                text = "。".join(
                    rng.choice(SENTENCES).format(**fill, n=rng.randrange(1, 40), m=rng.randrange(1, 200))
                    for _ in range(rng.randrange(0, 6))
                )
                description = rng.choice(SENTENCES).format(**fill, n=rng.randrange(1, 40), m=rng.randrange(1, 200))
                path = f"{root}s{s:02d}/c{c:02d}/"
                created = base + timedelta(seconds=n * 5 * 365 * 86400 // documents)
                document_id = uuid7()
                state = "deleted" if rng.random() < 0.01 else "active"
                rows.append(
                    (
                        tenant,
                        document_id,
                        "minutes",
                        title,
                        description,
                        path,
                        f"{community}社区",
                        path,
                        state,
                        1,
                        "{}",
                        "ten_years",
                        False,
                        False,
                        "测试",
                        created,
                        created,
                    )
                )
                about = " ".join([seg(description), seg("会议纪要"), seg(f"{community}社区")])
                body_words = " ".join(seg(piece) for piece in text.split("。")) if text else ""
                stage.append((document_id, tenant, seg(title), about, text, body_words))
            await conn.copy_records_to_table("document", records=rows, columns=DOCUMENT)
            await conn.copy_records_to_table("stage", records=stage)
        copy_s = time.perf_counter() - started
        t0 = time.perf_counter()
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await conn.execute(VECTORS)
        await conn.execute("DROP TABLE stage")
        await conn.execute("CREATE INDEX ix_document_search_vector ON document_search USING gin (vector)")
        index_s = time.perf_counter() - t0
        await conn.execute("VACUUM ANALYZE")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
        gin = await conn.fetchval("SELECT pg_size_pretty(pg_relation_size('ix_document_search_vector'))")
    finally:
        await conn.close()
    return {
        "copy_and_segment_s": round(copy_s, 1),
        "vectors_and_index_s": round(index_s, 1),
        "database_size": size,
        "gin_size": gin,
        "people": people,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))], 2)


def queries(rng: random.Random, people: list[str], count: int) -> dict[str, list[str]]:
    common = [rng.choice(TOPICS) for _ in range(count // 2)] + [
        f"{rng.choice(STREETS)} {rng.choice(TOPICS)}" for _ in range(count // 2)
    ]
    rare = [rng.choice(people) for _ in range(count // 2)] + [
        f"{rng.choice(people)} {rng.choice(TOPICS)}" for _ in range(count // 2)
    ]
    return {"common": common, "rare": rare}


async def measure(settings: Settings, tenant: uuid.UUID, people: list[str], *, quick: bool) -> dict[str, Any]:
    issuer = TestIssuer(settings.jwt)
    tokens = {role: issuer.token(tenant=tenant, roles=[role], scope=scope) for role, scope in SCOPES.items()}
    asked = queries(random.Random(7), people, 100 if quick else 200)
    out: dict[str, Any] = {}
    slowest: dict[str, tuple[float, str, str]] = {"common": (0.0, "", ""), "rare": (0.0, "", "")}
    async with AsyncTestClient(create_app(settings, verifier=issuer.verifier())) as client:
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"}
            for q in asked["common"][:20]:  # warm-up
                await client.get("/api/documents/search", params={"q": q}, headers=headers)
            for kind, qs in asked.items():
                times, hits, limited = [], [], 0
                for q in qs:
                    started = time.perf_counter()
                    answer = await client.get("/api/documents/search", params={"q": q}, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert answer.status_code == 200, answer.text
                    times.append(elapsed)
                    page = answer.json()
                    hits.append(len(page["items"]))
                    limited += page["limited"]
                    if elapsed > slowest[kind][0]:
                        slowest[kind] = (elapsed, q, role)
                out[f"{role}_{kind}"] = {
                    "n": len(times),
                    "p50_ms": pct(times, 50),
                    "p99_ms": pct(times, 99),
                    "max_ms": round(max(times), 1),
                    "pages_full": sum(1 for h in hits if h == 20),
                    "limited": limited,
                }
    out["explain"] = {}
    for kind, (elapsed, q, role) in slowest.items():
        out["explain"][kind] = {**await explain(settings, tenant, q, role), "ms_in_bench": round(elapsed, 1)}
    return out


async def explain(settings: Settings, tenant: uuid.UUID, q: str, role: str) -> dict[str, Any]:
    principal = Principal(user_id=uuid.uuid4(), tenant_id=tenant, roles=frozenset({role}), scope=SCOPES[role])
    candidates = get_documents_settings().search_candidates
    statement = search_statement(
        tenant, principal, query_words(q), filters=SearchFilters(), limit=21, candidates=candidates
    )
    engine = make_engine(settings, "documents", "system", pool_size=1)  # as the search runs it
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    try:
        async with engine.connect() as connection:
            plan = list(await connection.scalars(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")))
            matches = await connection.scalar(
                text(
                    "SELECT count(*) FROM document_search "
                    "WHERE tenant_id = :tenant AND vector @@ plainto_tsquery('simple', :words)"
                ),
                {"tenant": tenant, "words": " ".join(query_words(q))},
            )
    finally:
        await engine.dispose()
    return {"q": q, "role": role, "matches": matches, "plan": plan}


def main_with(*, quick: bool = False, write: Path | None = None) -> dict[str, Any]:
    from deploy import local_servers
    from tests.platform.plugin import prepare_database, settings_for

    root = Path(tempfile.mkdtemp(prefix="redcell-bench-documents-"))
    state = local_servers.up(root, durable=False)
    documents = 100_000 if quick else 1_000_000
    try:
        settings = settings_for(state)

        async def go() -> dict[str, Any]:
            await prepare_database(settings, "documents", MIGRATIONS)
            tenant = uuid.uuid4()
            generation = await generate(settings, tenant, documents)
            people = generation.pop("people")
            gc.collect()
            gc.freeze()
            return {
                "documents": documents,
                "generation": generation,
                **await measure(settings, tenant, people, quick=quick),
            }

        results = asyncio.run(go())
    finally:
        local_servers.down(root, remove=True)
    results["quick"] = quick
    results["host"] = {"cpus": psutil.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if write is not None:
        replace_section(write, SECTION, render(results))
    return results


def render(r: dict[str, Any]) -> str:
    g, e = r["generation"], r["explain"]
    table = "\n".join(
        f"| {role.replace('_', ' ')} | {kind} | {r[f'{role}_{kind}']['n']} | **{r[f'{role}_{kind}']['p50_ms']}** | "
        f"**{r[f'{role}_{kind}']['p99_ms']}** | {r[f'{role}_{kind}']['max_ms']} |"
        for role in SCOPES
        for kind in ("common", "rare")
    )
    plans = "\n\n".join(
        f"The slowest {kind} search (`{p['q']}`, {p['role'].replace('_', ' ')}, {p['matches']:,} matching documents in "
        f"the district, {p['ms_in_bench']} ms in the bench), EXPLAIN ANALYZE as the search runs it (system role, "
        f"district in the query):\n\n```\n" + "\n".join(p["plan"]) + "\n```"
        for kind, p in e.items()
    )
    return f"""{SECTION}

Measured by `python -m tests.bench.bench_documents_search{" --quick" if r["quick"] else ""}` ({r["host"]["date"]},
{r["host"]["cpus"]} cores): one district of **{r["documents"]:,} documents** in 10 streets × 10 communities, titles,
descriptions and file text made of the seeds' vocabulary and segmented by the service's jieba words; COPY and
segmentation {g["copy_and_segment_s"]} s, vectors and GIN index {g["vectors_and_index_s"]} s (database
{g["database_size"]}, GIN {g["gin_size"]}). Requests go to the documents API app in the same process (JWT verified,
first page of 20, ranked by ts_rank then newest). Common words are the 22 topics (in titles, descriptions and text),
alone or with a street's name; rare ones one of 3,000 people's names, alone or with a topic. Goal p99 ≤
{GOAL_P99_MS:g} ms.

| caller | words | searches | p50 (ms) | p99 (ms) | max (ms) |
|---|---|---|---|---|---|
{table}

{plans}

Raw results:

```json
{json.dumps({k: v for k, v in r.items() if k != "explain"}, indent=2, ensure_ascii=False)}
```
"""


if __name__ == "__main__":
    run_section(main_with)
