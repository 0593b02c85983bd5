"""The demo's Red Flag Community evaluations (XX区 [003], beside orgtree's Red Flag structure there): the five
communities the district made Red Flag Communities in 2020 and 2021, and this year's round with a community at each
step: checking itself, applied, recommended by its street, returned by its street (one reserve cadre short of the
quota of two), accepted by the district and awaiting the decision. The seed names no community, score or finding:
every name and text here is marked 「（示例）」. The communities carry orgtree's ids and paths (orgtree's demo loader
hands them on), so a decision to award one records the title in orgtree; without them (training's demo loaded on its
own) they lie under the district's path ('/') and a decision to award is refused (no unit to record the title on)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.redflag.models import EvaluationState as S
from services.training.redflag.models import EvaluationStep, RedFlagEvaluation
from shared.clock import china_today, now

SYSTEM = uuid.UUID(int=0)
MARK = "（示例）"
DISTRICT = f"区委组织部{MARK}"
SELF_CHECK = f"对照红旗社区标准逐项自查：班子、队伍、阵地、服务、治理、群众满意度。{MARK}"
ACCEPTANCE = {
    "site_visit_note": f"实地察看党群服务中心“三室两栏”和特色品牌活动点。{MARK}",
    "document_review_note": f"查阅“三会一课”、民主评议党员、为民服务台账 15 本。{MARK}",
    "interviews_note": f"走访居民 10 户，座谈党员 6 人，群众满意。{MARK}",
}
Steps = list[tuple[str, S, str, str]]  # (action, the state it led to, who, note)


def c(name: str) -> str:
    return f"{name}{MARK}"


STREETS = {  # as orgtree's demo tree names them (services/orgtree/demo/redflag.py)
    c("东城街道"): (c("东风社区"), c("解放社区"), c("和平社区"), c("光明社区")),
    c("西城街道"): (c("建设社区"), c("胜利社区"), c("文化社区")),
    c("北苑街道"): (c("北苑社区"), c("朝阳社区"), c("幸福社区")),
}
STREET_OF = {community: street for street, communities in STREETS.items() for community in communities}


def steps(community: str, last: str, opinion: str = "特色品牌叫得响，服务阵地规范") -> Steps:
    """The community's steps up to ``last``, each in the words of the level that took it."""
    street = STREET_OF[community]
    own, street_committee = f"{community.removesuffix(MARK)}党委{MARK}", f"{street.removesuffix(MARK)}党工委{MARK}"
    path = {
        "create": ("create", S.SELF_CHECK, own, ""),
        "apply": ("apply", S.APPLIED, own, f"申报红旗社区。{MARK}"),
        "recommend": ("recommend", S.RECOMMENDED, street_committee, f"{opinion}，同意推荐。{MARK}"),
        "return": ("return", S.RETURNED, street_committee, f"后备干部仅 1 名，未达配备要求，补齐后再申报。{MARK}"),
        "accept": ("accept", S.ACCEPTED, DISTRICT, ""),
        "decide": ("decide", S.AWARDED, DISTRICT, f"各项标准全部达到，命名为红旗社区并向市推荐。{MARK}"),
    }
    order = ["create", "apply", "return"] if last == "return" else ["create", "apply", "recommend", "accept", "decide"]
    return [path[action] for action in order[: order.index(last) + 1]]


# community, year (None: this year), state, scores (self, street, acceptance), the steps taken
EVALUATIONS: list[tuple[str, int | None, S, tuple[float | None, ...], Steps]] = [
    (c("东风社区"), 2020, S.AWARDED, (93, 91, 94), steps(c("东风社区"), "decide", "包楼联户做得实")),
    (c("解放社区"), 2020, S.AWARDED, (92, 90, 92), steps(c("解放社区"), "decide", "民主恳谈每周不断")),
    (c("建设社区"), 2020, S.AWARDED, (94, 93, 95), steps(c("建设社区"), "decide", "红色物业群众满意")),
    (c("和平社区"), 2021, S.AWARDED, (90, 89, 91), steps(c("和平社区"), "decide", "楼道美化邻里和睦")),
    (c("北苑社区"), 2021, S.AWARDED, (91, 90, 92), steps(c("北苑社区"), "decide", "闲置物品月月交换")),
    (c("幸福社区"), None, S.SELF_CHECK, (None, None, None), steps(c("幸福社区"), "create")),
    (c("光明社区"), None, S.APPLIED, (88, None, None), steps(c("光明社区"), "apply")),
    (c("朝阳社区"), None, S.RECOMMENDED, (90, 88, None), steps(c("朝阳社区"), "recommend")),
    (c("文化社区"), None, S.RETURNED, (80, None, None), steps(c("文化社区"), "return")),
    (c("胜利社区"), None, S.ACCEPTED, (92, 90, 93), steps(c("胜利社区"), "accept")),
]
TITLED = frozenset(name for name, _, state, _, _ in EVALUATIONS if state == S.AWARDED)


def _fields(state: S, scores: tuple[float | None, ...], taken: Steps, decided: datetime) -> dict[str, Any]:
    notes = {action: note for action, _, _, note in taken}
    self_score, street_score, acceptance_score = (Decimal(str(s)) if s is not None else None for s in scores)
    fields: dict[str, Any] = {
        "state": state,
        "self_score": self_score,
        "self_check_note": SELF_CHECK if self_score is not None else "",
        "application_note": notes.get("apply", ""),
        "street_score": street_score,
        "street_opinion": notes.get("recommend", ""),
        "returned_reason": notes.get("return", ""),
    }
    if acceptance_score is not None:
        fields |= {**ACCEPTANCE, "acceptance_score": acceptance_score}
    if state == S.AWARDED:
        fields |= {"decision_reason": notes["decide"], "recommended_to_city": True, "decided_at": decided}
    return fields


async def load_red_flag_demo(session: AsyncSession, units: dict[str, dict[str, str]]) -> int:
    """Adds the evaluations this district does not have yet (by community and year); the number added. ``units``
    are orgtree's by name (its demo loader hands them on): a community's evaluation carries its id and path."""
    this_year = china_today().year
    have = {
        (name, year)
        for name, year in await session.execute(select(RedFlagEvaluation.unit_name, RedFlagEvaluation.year))
    }
    added = 0
    for name, year, state, scores, taken in EVALUATIONS:
        if (name, str(year or this_year)) in have:
            continue
        # a past year's round ran through the autumn; this year's began a month ago
        start = datetime(year, 9, 1, 1, tzinfo=UTC) if year else now() - timedelta(days=30)
        unit = units.get(name)
        row = RedFlagEvaluation(
            unit_id=uuid.UUID(unit["id"]) if unit else None,
            unit_path=unit["path"] if unit else "/",
            unit_name=name,
            year=str(year or this_year),
            created_by=SYSTEM,
            created_by_name=taken[0][2],
            **_fields(state, scores, taken, start + timedelta(days=5 * (len(taken) - 1))),
        )
        session.add(row)
        await session.flush()
        session.add_all(
            EvaluationStep(
                evaluation_id=row.id,
                action=action,
                state=reached,
                note=note,
                taken_by=SYSTEM,
                taken_by_name=who,
                taken_at=start + timedelta(days=5 * day),
            )
            for day, (action, reached, who, note) in enumerate(taken)
        )
        added += 1
    await session.flush()
    return added
