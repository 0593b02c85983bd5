"""The district ``bench_training_standing.py`` measures: people, sessions and this year's attendance written straight
into the training database with COPY (the totals trigger off for the load), then the per-year totals by the
migration's own backfill statement, as a database restored from a dump would be."""

from __future__ import annotations

import importlib.util
import random
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy import select

from services.training.app import MIGRATIONS
from services.training.credits.rules import ZONE, seed_rules
from services.training.models import Programme
from services.training.programmes.catalogue import seed_catalogue
from shared.clock import now
from shared.context import tenant_scope
from shared.db.base import uuid7
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings

STREETS, VILLAGES, BRANCHES = 20, 50, 4  # per district, per street, per village
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海燕"
PERSON = (
    "tenant_id",
    "id",
    "kind",
    "member_id",
    "user_id",
    "name",
    "branch_id",
    "branch_path",
    "grid_id",
    "grid_path",
    "classification",
    "flags",
    "duties",
    "active",
)
SESSION = (
    "tenant_id",
    "id",
    "programme_id",
    "title",
    "category",
    "place",
    "starts_at",
    "ends_at",
    "checkin_opens_at",
    "checkin_closes_at",
    "credit_hours",
    "training_days",
)
ATTENDANCE = (
    "tenant_id",
    "id",
    "session_id",
    "person_id",
    "method",
    "checked_in_at",
    "credit_hours",
    "training_days",
    "category",
    "counts",
)


def backfill_statements() -> tuple[str, str]:
    """The migration's own statements that sum attendance into ``credit_total`` and fill ``credit_roll``."""
    path = MIGRATIONS / "versions" / "2026-12-05_credit_rules_0003.py"
    spec = importlib.util.spec_from_file_location("credit_rules_0003", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL_TOTALS, module.BACKFILL_ROLL


class Generator:
    """One district: streets of villages of branches (party tree) and grids (administrative tree), a secretary and
    three committee members per branch, the first branch's of each village its village secretary and rural cadres,
    one member in twenty a volunteer; sessions through this year and last, and each person's attendance."""

    def __init__(self, tenant: uuid.UUID, members: int, programmes: dict[str, tuple[uuid.UUID, str, list[str]]]):
        self.tenant, self.members, self.programmes = tenant, members, programmes
        self.rng = random.Random(13)
        self.year_start = datetime(now().astimezone(ZONE).year, 1, 1, tzinfo=ZONE)
        self.sessions: dict[str, list[tuple[uuid.UUID, Decimal, Decimal, datetime]]] = {}

    def people(self, street: int) -> list[tuple[Any, ...]]:
        rows, per_branch = [], self.members // (STREETS * VILLAGES * BRANCHES)
        for village in range(VILLAGES):
            for branch in range(BRANCHES):
                branch_id = uuid.uuid4()
                branch_path = f"/p0000001/s{street:03d}/v{village:03d}/b{branch:02d}/"
                for k in range(per_branch):
                    grid_path = f"/a0000001/s{street:03d}/v{village:03d}/g{k % 10:02d}/"
                    duties = ["secretary"] if k == 0 else ["committee_member"] if k < 4 else []
                    if branch == 0 and k < 4:
                        duties += ["rural_cadre", *(["village_secretary"] if k == 0 else [])]
                    if k % 20 == 7:
                        duties.append("volunteer")
                    name = self.rng.choice(NAMES) + "".join(self.rng.choices(GIVEN, k=2))
                    rows.append(
                        (
                            self.tenant,
                            uuid7(),  # as the service makes them: time-ordered, so the roll's key follows the heap
                            "member",
                            uuid.uuid4(),
                            None,
                            name,
                            branch_id,
                            branch_path,
                            None,
                            grid_path,
                            "self_managed",
                            [],
                            sorted(duties),
                            k != 9,
                        )
                    )
        return rows

    def session_rows(self) -> list[tuple[Any, ...]]:
        """Ordinary sessions through this year; classes, hundred-day and pre-service sessions over two years."""
        rows = []
        so_far = (now() - self.year_start).total_seconds()
        plan = [
            ("micro_party_lecture", 1500, 0, "2", "0"),
            ("village_secretary_class", 4, 400, "16", "0"),
            ("hundred_day_training", 100, 365, "8", "5"),
            ("volunteer_pre_service", 50, 365, "4", "0"),
        ]
        for code, count, days_back, hours, days in plan:
            programme_id, category, _ = self.programmes[code]
            held = self.sessions.setdefault(code, [])
            for _ in range(count):
                at = self.year_start + timedelta(seconds=self.rng.uniform(-days_back * 86400, so_far))
                session_id = uuid.uuid4()
                held.append((session_id, Decimal(hours), Decimal(days), at))
                rows.append(
                    (
                        self.tenant,
                        session_id,
                        programme_id,
                        f"{code} 压测",
                        category,
                        "压测会场",
                        at,
                        at + timedelta(hours=2),
                        at - timedelta(minutes=30),
                        at + timedelta(hours=2),
                        Decimal(hours),
                        Decimal(days),
                    )
                )
        return rows

    def attendance(self, people: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """About eight sessions of two hours per member this year (a third reach 32 hours); cadres their classes
        and training days, three volunteers in four their pre-service training."""
        rows = []
        for person in people:
            person_id, duties = person[1], person[12]
            picks = [("micro_party_lecture", self.rng.randint(0, 16))]
            if "village_secretary" in duties:
                picks.append(("village_secretary_class", self.rng.randint(0, 1)))
            if "rural_cadre" in duties:
                picks.append(("hundred_day_training", self.rng.randint(10, 30)))
            if "volunteer" in duties:
                picks.append(("volunteer_pre_service", int(self.rng.random() < 0.75)))
            for code, k in picks:
                _, category, counts = self.programmes[code]
                for session_id, hours, days, at in self.rng.sample(self.sessions[code], k):
                    rows.append((self.tenant, uuid7(), session_id, person_id, "qr", at, hours, days, category, counts))
        return rows


async def generate(settings: Settings, tenant: uuid.UUID, members: int) -> dict[str, Any]:
    engine = make_engine(settings, "training", "app", pool_size=1)
    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            await seed_catalogue(session)
            await seed_rules(session)
            rows = await session.execute(select(Programme.code, Programme.id, Programme.category, Programme.counts))
            programmes = {code: (pid, category, list(counts)) for code, pid, category, counts in rows}
    await engine.dispose()
    gen = Generator(tenant, members, programmes)
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_training")))
    started, counted = time.perf_counter(), {"person": 0, "training_session": 0, "attendance": 0}
    try:
        await conn.execute("SET session_replication_role = replica")  # no trigger during COPY: the backfill sums
        sessions = gen.session_rows()
        await conn.copy_records_to_table("training_session", records=sessions, columns=SESSION)
        counted["training_session"] = len(sessions)
        for street in range(STREETS):
            people = gen.people(street)
            attended = gen.attendance(people)
            await conn.copy_records_to_table("person", records=people, columns=PERSON)
            await conn.copy_records_to_table("attendance", records=attended, columns=ATTENDANCE)
            counted["person"] += len(people)
            counted["attendance"] += len(attended)
        load_s = time.perf_counter() - started
        await conn.execute("SET session_replication_role = origin")
        t0 = time.perf_counter()
        for statement in backfill_statements():
            await conn.execute(statement)
        backfill_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        vacuum_s = time.perf_counter() - t0
        counted["credit_total"] = await conn.fetchval("SELECT count(*) FROM credit_total")
        counted["credit_roll"] = await conn.fetchval("SELECT count(*) FROM credit_roll")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
    finally:
        await conn.close()
    return {
        "rows": counted,
        "copy_s": round(load_s, 1),
        "backfill_s": round(backfill_s, 1),
        "vacuum_analyze_s": round(vacuum_s, 1),
        "database_size": size,
    }
