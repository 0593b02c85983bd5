"""The demo's secretary duty review and rectification list (瓯海区): last month's round with two secretaries
reviewed, their anonymous polls counted and their reports finalised, and a rectification list from them with one
item overdue, one under way and one ticked off. The seeds name no secretary, leader or problem of 瓯海, so every name
here is marked 「（示例）」. The secretaries have no record (members arrive from orgtree's events after the demo is
loaded), so the round's draw lists no candidates; its unit is the district's ('/', as the demo's sessions)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.rectification.models import RectificationItem, RectificationProgress
from services.training.reviews.aspects import ASPECTS, GRADES
from services.training.reviews.models import (
    DutyReview,
    PollTally,
    PollVoter,
    ReviewQuestion,
    ReviewRound,
    ReviewState,
)
from shared.clock import china_today, now

SYSTEM = uuid.UUID(int=0)
# (secretary, branch, questionnaire score, report minutes, conclusion, questions, votes per aspect: good, fairly good,
# average, poor)
SECRETARIES = [
    (
        "陈建国（示例）",
        "杨宅村党支部",
        88.5,
        8,
        "抓党建责任落实到位，党员队伍建设有特色；村集体经济增收办法不多，需列入整改。（示例）",
        [
            ("ask", "今年发展党员工作是怎样安排的？", "按计划发展 2 名，优先考虑青年和致富能手。（示例）"),
            ("challenge", "村集体经济为何连续两年增长缓慢？", "已与街道商定物业出租方案，年内落实。（示例）"),
        ],
        (15, 6, 2, 0),
    ),
    (
        "林晓燕（示例）",
        "任桥村党支部（示例）",
        81.0,
        9,
        "服务群众工作扎实；村（居）务公开不够及时，述职超时，要求限期整改。（示例）",
        [("follow_up", "党务公开栏多久更新一次？", "目前每季度一次，准备改为每月。（示例）")],
        (11, 8, 3, 1),
    ),
]
ITEMS = [
    (
        "丽岙街道党工委",
        "村（居）务公开不及时（示例）",
        "党务、村务公开栏每月更新，街道每月抽查（示例）",
        "周海涛（示例）",
        -10,
        1,
    ),
    (
        "杨宅村党支部",
        "村集体经济增收渠道单一（示例）",
        "落实物业出租项目，建立增收台账（示例）",
        "陈建国（示例）",
        60,
        0,
    ),
    ("杨宅村党支部", "党员活动室设施陈旧（示例）", "更新桌椅和学习设备（示例）", "陈建国（示例）", 20, 0),
]


def tallies(review_id: uuid.UUID, votes: tuple[int, int, int, int]) -> list[dict[str, object]]:
    """The poll as counted: every voter graded every aspect; a few moved from good to fairly good per aspect."""
    rows = []
    for index, aspect in enumerate(ASPECTS):
        shift = min(index % 3, votes[0])
        counts = (votes[0] - shift, votes[1] + shift, votes[2], votes[3])
        rows += [
            {"review_id": review_id, "aspect": aspect, "grade": g, "votes": n}
            for g, n in zip(GRADES, counts, strict=True)
        ]
    return rows


def _last_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


async def load_review_demo(session: AsyncSession) -> bool:
    """Adds the demo's round and lists once; False when the round is already there."""
    month = _last_month(china_today())
    if await session.scalar(select(ReviewRound.id).where(ReviewRound.month == month, ReviewRound.unit_path == "/")):
        return False
    moment = now()
    row = ReviewRound(
        month=month,
        unit_path="/",
        unit_name="瓯海区（示例）",
        requested=len(SECRETARIES),
        seed=20261,
        candidate_ids=[],
        excluded_ids=[],
        created_by=SYSTEM,
        created_by_name="区委组织部（示例）",
    )
    session.add(row)
    await session.flush()
    reviews = []
    for name, branch, score, minutes, conclusion, questions, votes in SECRETARIES:
        review = DutyReview(
            round_id=row.id,
            person_id=None,
            secretary_name=name,
            branch_path="/",
            state=ReviewState.FINALISED,
            questionnaire_score=Decimal(str(score)),
            questionnaire_count=40,
            questionnaire_note=f"向{branch}党员群众发放问卷 40 份，实地查看 2 个村（社区）党组织。（示例）",
            report_note="述落实、述创新、述问题。（示例）",
            report_seconds=minutes * 60,
            conclusion=conclusion,
            poll_opened_at=moment,
            finalised_at=moment,
            finalised_by_name="区委组织部（示例）",
        )
        session.add(review)
        await session.flush()
        reviews.append(review)
        for position, (kind, question, answer) in enumerate(questions, start=1):
            session.add(
                ReviewQuestion(
                    review_id=review.id,
                    position=position,
                    kind=kind,
                    question=question,
                    answer=answer,
                    asked_by_name="区委组织部（示例）",
                )
            )
        await session.execute(insert(PollTally), tallies(review.id, votes))
        await session.execute(
            insert(PollVoter), [{"review_id": review.id, "voter_id": uuid.uuid4()} for _ in range(sum(votes))]
        )
    for unit, problem, measure, leader, days, review_index in ITEMS:
        item = RectificationItem(
            unit_path="/",
            unit_name=unit,
            problem=problem,
            measure=measure,
            leader=leader,
            deadline=china_today() + timedelta(days=days),
            review_id=reviews[review_index].id,
            created_by=SYSTEM,
            created_by_name="区委组织部（示例）",
        )
        session.add(item)
        await session.flush()
        session.add(
            RectificationProgress(
                item_id=item.id,
                month=month,
                note="已制定整改方案。（示例）",
                recorded_at=moment,
                recorded_by_name="区委组织部（示例）",
            )
        )
    done = RectificationItem(
        unit_path="/",
        unit_name="丽岙街道党工委",
        problem="述职材料归档不规范（示例）",
        measure="点评报告统一归档，建立述职评议台账（示例）",
        leader="周海涛（示例）",
        deadline=china_today() + timedelta(days=5),
        review_id=reviews[1].id,
        done_at=moment,
        done_note="台账已建立，材料已归档。（示例）",
        done_by_name="区委组织部（示例）",
        created_by=SYSTEM,
        created_by_name="区委组织部（示例）",
    )
    session.add(done)
    await session.flush()
    return True
