"""The demo's Shenzhen practices (issue 16, system 8), shown in 龙湾区: the member proposal box with Futian 福华社区's
result [001/SZ-24] (112 proposals over the past year, 85 of them closed: 75.9 %), some solved in the community,
some after climbing to the street or the district, most discussed in a seminar; and a delegate studio's tracking
ledger [001/SZ-28] whose older opinions were all forwarded, answered and fed back, the newest still in hand.

Proposers are the district's members and the communities its units, both from orgtree's events: on the very first
``make dev`` the loader runs before any worker has applied them, so this is written the next time
``redcell demo load`` runs. Rerunning changes nothing. The requester scores' orders are in ``scores.py``."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.scores import load_scores
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.ledgers.models import DelegateOpinion, OpinionStatus
from services.dispatch.proposals.models import Proposal, ProposalSeminar, ProposalStatus, ProposalStep, Tier
from services.dispatch.proposals.services import CATEGORIES, community_of
from services.dispatch.providers.models import Provider, ProviderKind
from shared.auth.principal import Principal
from shared.clock import china_today, now

PROPOSALS, CLOSED = 112, 85  # 福华社区 [001/SZ-24]: 112 issues, 85 solved
# where the closed ones were solved: most in the community, some with the street's help, a few via the district
CLOSED_AT = (Tier.COMMUNITY,) * 60 + (Tier.STREET,) * 20 + (Tier.DISTRICT,) * 5
TITLES = (
    "小区东门路灯长期不亮，夜间出行不便",
    "楼道堆放杂物，存在消防隐患",
    "老旧小区加装电梯的意见",
    "社区菜市场周边占道经营",
    "建议增设老年人助餐点",
    "公园健身器材损坏需维修",
    "雨季积水点排水不畅",
    "建议开展流动党员学习活动",
    "停车位不足，车辆乱停",
    "垃圾分类投放点设置不合理",
)
STUDIO = "瑶溪党代表工作室（示例）"
OPINIONS = (
    ("visit", "独居老人希望有人定期上门探望"),
    ("line", "学校门口上下学时段交通拥堵"),
    ("form", "社区卫生服务站周末不开门"),
    ("card", "希望增加公交班次"),
    ("visit", "河道漂浮垃圾清理不及时"),
    ("line", "农贸市场噪音扰民"),
)
DEPARTMENTS = ("区交通运输局", "区卫生健康局", "区城管局", "区民政局", "街道办事处")
DESK = uuid.UUID(int=0)
LADDER = {Tier.COMMUNITY: (), Tier.STREET: (Tier.STREET,), Tier.DISTRICT: (Tier.STREET, Tier.DISTRICT)}


async def load_shenzhen(session: AsyncSession, desk: Principal) -> str:
    """Write the demo's proposals, ledger and scored orders (``desk`` files the orders); what to print."""
    if await session.scalar(select(func.count()).select_from(Proposal)):
        return "proposals already loaded"
    members = list(
        (
            await session.execute(
                select(Provider.member_id, Provider.name)
                .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, Provider.member_id.is_not(None))
                .order_by(Provider.member_id)
                .limit(12)
            )
        ).all()
    )
    communities = []
    seen: set[str] = set()
    for grid in await session.scalars(select(DirectoryGrid).order_by(DirectoryGrid.path)):
        for unit in grid.ancestors:
            found = community_of(grid, uuid.UUID(unit["id"])) if unit.get("id") not in seen else None
            if found is not None:
                seen.add(unit["id"])
                communities.append((uuid.UUID(unit["id"]), found))
    if not members or not communities:
        return "proposals: no members or communities here yet (run `redcell demo load` again once the worker has run)"
    communities = communities[:4]
    today, at = china_today(), now()
    categories = list(CATEGORIES)
    for number in range(PROPOSALS):
        community_id, community = communities[number % len(communities)]
        proposers = [members[number % len(members)]]
        if number % 4 == 0 and len(members) > 1:  # every fourth proposal is a joint one
            proposers.append(members[(number + 1) % len(members)])
        filed_on = today - timedelta(days=360 - number * 3)
        closed = number < CLOSED
        street = community["street"]
        proposal = Proposal(
            title=TITLES[number % len(TITLES)],
            content="（示例）党员经提案箱提交，反映社区居民意见",
            proposer_member_ids=[m for m, _ in proposers],
            proposer_names=[n for _, n in proposers],
            community_id=community_id,
            community_name=community["name"],
            community_path=community["path"],
            street_id=uuid.UUID(street["id"]) if street else None,
            street_name=street.get("name") if street else None,
            filed_on=filed_on,
            status=ProposalStatus.FILED,
            tier=Tier.COMMUNITY,
            recorded_by=DESK,
            recorded_at=at,
        )
        session.add(proposal)
        await session.flush()
        steps: list[tuple[str, str, str | None]] = [("filed", Tier.COMMUNITY, None)]
        if number < PROPOSALS - 6:  # the newest few still wait for the reviewer
            proposal.category, proposal.status = categories[number % len(categories)], ProposalStatus.CLASSIFIED
            proposal.classified_by_name = "社区提案审核员（示例）"
            steps.append(("classified", Tier.COMMUNITY, CATEGORIES[proposal.category]))
            if number % 3 != 2:
                session.add(
                    ProposalSeminar(
                        proposal_id=proposal.id,
                        held_on=filed_on + timedelta(days=2),
                        attendees=[n for _, n in proposers] + ["社区党委书记（示例）"],
                        conclusion="（示例）与提案党员座谈，明确办理责任和时限",
                        recorded_by_name="社区提案审核员（示例）",
                        recorded_at=at,
                    )
                )
                steps.append(("seminar", Tier.COMMUNITY, "（示例）与提案党员座谈"))
            target = CLOSED_AT[number] if closed else (Tier.STREET if number % 2 else Tier.COMMUNITY)
            for tier in LADDER[target]:
                proposal.tier = tier
                steps.append(("escalated", tier, "社区无法独立解决，提请上一级协调"))
            if closed:
                proposal.status, proposal.closed_on = ProposalStatus.CLOSED, min(today, filed_on + timedelta(days=20))
                proposal.closing_note = "（示例）已办结并向提案党员反馈"
                steps.append(("closed", proposal.tier, proposal.closing_note))
        for position, (action, reached, note) in enumerate(steps):
            session.add(
                ProposalStep(
                    proposal_id=proposal.id,
                    position=position,
                    action=action,
                    tier=reached,
                    note=note,
                    actor_name="社区提案审核员（示例）",
                    at=at,
                )
            )
    opinions = await _ledger(session)
    assert desk.tenant_id is not None
    scored = await load_scores(session, desk.tenant_id, desk)
    return f"proposals: {PROPOSALS} filed, {CLOSED} closed; delegate ledger: {opinions} opinions; {scored}"


async def _ledger(session: AsyncSession) -> int:
    studio = Provider(kind=ProviderKind.EXPERT_STUDIO, name=STUDIO, skills=["opinion"], on_duty=True, active=True)
    session.add(studio)
    await session.flush()
    today, at, count = china_today(), now(), 0
    for week in range(8):
        for k, (channel, summary) in enumerate(OPINIONS[week % 3 : week % 3 + 3]):
            collected = today - timedelta(days=7 * week + k)
            opinion = DelegateOpinion(
                collector_id=studio.id,
                collector_name=STUDIO,
                collected_on=collected,
                channel=channel,
                summary=summary,
                status=OpinionStatus.COLLECTED,
                recorded_by=DESK,
                recorded_at=at,
            )
            if week > 0 or k > 0:  # the newest opinion is not forwarded yet
                opinion.status, opinion.department = OpinionStatus.FORWARDED, DEPARTMENTS[(week + k) % len(DEPARTMENTS)]
                opinion.forwarded_on = collected
            if week > 1:  # answered, fed back and evaluated after two weeks
                opinion.status, opinion.answer = OpinionStatus.EVALUATED, "（示例）已办理并答复"
                opinion.answered_on = opinion.fed_back_on = opinion.evaluated_on = collected + timedelta(days=10)
                opinion.feedback = "（示例）已向反映人反馈办理结果"
                opinion.evaluation = "satisfied" if (week + k) % 5 else "basically_satisfied"
            session.add(opinion)
            count += 1
    return count
