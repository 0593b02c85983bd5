"""The demo's Red Flag Community evaluations (瓯海区, beside orgtree's Red Flag structure there): 潘北社区 awarded
last year and recommended by 潘桥街道 this year, 西山社区 applied, one sample community returned by its street and
one still checking itself. The seed names no community's scores or findings, so every text here is marked
「（示例）」. The seed's communities carry orgtree's ids and paths (orgtree's demo loader hands them on), so their
evaluations award the title in orgtree; the sample communities have none and lie under the district's path ('/'):
the district admin reads and steps them, and a decision to award one is refused (no unit to record the title on)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.redflag.models import EvaluationState as S
from services.training.redflag.models import EvaluationStep, RedFlagEvaluation
from shared.clock import china_today, now

SYSTEM = uuid.UUID(int=0)
DISTRICT = "区委组织部（示例）"
SELF_CHECK = "对照红旗社区标准逐项自查：班子、队伍、阵地、服务、治理、群众满意度。（示例）"
# community, years ago, state, scores (self, street, acceptance), the steps taken (action, state, who, note)
EVALUATIONS: list[tuple[str, int, S, tuple[float | None, ...], list[tuple[str, S, str, str]]]] = [
    (
        "潘北社区",
        1,
        S.AWARDED,
        (93, 91, 94),
        [
            ("create", S.SELF_CHECK, "潘北社区党委（示例）", ""),
            ("apply", S.APPLIED, "潘北社区党委（示例）", "申报红旗社区。（示例）"),
            ("recommend", S.RECOMMENDED, "潘桥街道党工委（示例）", "红色细胞团特色鲜明，同意推荐。（示例）"),
            ("accept", S.ACCEPTED, DISTRICT, ""),
            ("decide", S.AWARDED, DISTRICT, "各项标准全部达到，命名为红旗社区并向市推荐。（示例）"),
        ],
    ),
    (
        "潘北社区",
        0,
        S.RECOMMENDED,
        (95, 92, None),
        [
            ("create", S.SELF_CHECK, "潘北社区党委（示例）", ""),
            ("apply", S.APPLIED, "潘北社区党委（示例）", "申报本年度红旗社区。（示例）"),
            ("recommend", S.RECOMMENDED, "潘桥街道党工委（示例）", "六个红色细胞团运转良好，同意推荐。（示例）"),
        ],
    ),
    (
        "西山社区",
        0,
        S.APPLIED,
        (88, None, None),
        [
            ("create", S.SELF_CHECK, "西山社区党委（示例）", ""),
            ("apply", S.APPLIED, "西山社区党委（示例）", "申报本年度红旗社区。（示例）"),
        ],
    ),
    (
        "南白示例社区（示例）",
        0,
        S.RETURNED,
        (80, None, None),
        [
            ("create", S.SELF_CHECK, "南白示例社区党支部（示例）", ""),
            ("apply", S.APPLIED, "南白示例社区党支部（示例）", ""),
            ("return", S.RETURNED, "南白象街道党工委（示例）", "后备干部仅 1 名，未达配备要求，补齐后再申报。（示例）"),
        ],
    ),
    ("丽岙示例社区（示例）", 0, S.SELF_CHECK, (None, None, None), [("create", S.SELF_CHECK, DISTRICT, "")]),
]


def _fields(state: S, scores: tuple[float | None, ...], steps: list[tuple[str, S, str, str]]) -> dict[str, Any]:
    notes = {action: note for action, _, _, note in steps}
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
        fields |= {
            "site_visit_note": "实地察看党群服务中心和红色细胞团活动点。（示例）",
            "document_review_note": "查阅组织生活、为民服务台账 15 本。（示例）",
            "interviews_note": "走访居民 10 户，座谈党员 6 人，群众满意。（示例）",
            "acceptance_score": acceptance_score,
        }
    if state == S.AWARDED:
        fields |= {"decision_reason": notes["decide"], "recommended_to_city": True, "decided_at": now()}
    return fields


async def load_red_flag_demo(session: AsyncSession, units: dict[str, dict[str, str]]) -> int:
    """Adds the evaluations this district does not have yet (by community and year); the number added. ``units``
    are orgtree's by name (its demo loader hands them on): a named community's evaluation carries its id and path."""
    this_year = china_today().year
    have = {
        (name, year)
        for name, year in await session.execute(select(RedFlagEvaluation.unit_name, RedFlagEvaluation.year))
    }
    added = 0
    for name, years_ago, state, scores, steps in EVALUATIONS:
        year = str(this_year - years_ago)
        if (name, year) in have:
            continue
        unit = units.get(name)
        row = RedFlagEvaluation(
            unit_id=uuid.UUID(unit["id"]) if unit else None,
            unit_path=unit["path"] if unit else "/",
            unit_name=name,
            year=year,
            created_by=SYSTEM,
            created_by_name=steps[0][2],
            **_fields(state, scores, steps),
        )
        session.add(row)
        await session.flush()
        start = now() - timedelta(days=365 * years_ago + 30)
        for day, (action, reached, who, note) in enumerate(steps):
            session.add(
                EvaluationStep(
                    evaluation_id=row.id,
                    action=action,
                    state=reached,
                    note=note,
                    taken_by=SYSTEM,
                    taken_by_name=who,
                    taken_at=start + timedelta(days=5 * day),
                )
            )
        added += 1
    await session.flush()
    return added
