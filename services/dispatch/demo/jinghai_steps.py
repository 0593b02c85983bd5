"""Jinghai's five steps [001/JH] in the demo: the district tells residents of every step by SMS (DSP-17/18), and the
village service station's catalogue as the seed splits it, 46 items: 24 settled on the spot (现场办结) and 22
handled by proxy (代办). The seed gives only the counts, so the items' names are made up and marked 示例. A few calls
show the steps: one collected and waiting to be classified, one classified at intake and waiting to be routed.

There is no Jinghai district in the demo: the steps are shown in ``FIVE_STEPS`` (a county, as Jinghai is)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import DispatchMode, ServiceCategory, ServiceItem
from services.dispatch.stages.models import StageSetting
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService

FIVE_STEPS = "huaining-county"
SYNTHETIC = "（示例）"
STATION = "village_station"
ON_THE_SPOT = (
    "开具居住证明",
    "开具家庭情况证明",
    "计生服务咨询",
    "老年人优待证申领",
    "高龄补贴申请受理",
    "残疾人证申领受理",
    "低保申请受理",
    "临时救助申请受理",
    "农机补贴政策咨询",
    "土地承包纠纷调解",
    "邻里纠纷调解",
    "就业信息登记",
    "技能培训报名",
    "医保参保登记",
    "养老保险参保登记",
    "农业技术咨询",
    "法律咨询",
    "组织关系接转咨询",
    "民情诉求登记",
    "信访事项登记",
    "村务公开查询",
    "便民电话代拨",
    "图书借阅",
    "文化活动场地预约",
)
BY_PROXY = (
    "身份证代办",
    "户口迁移代办",
    "医疗费报销代办",
    "水电费代缴",
    "燃气费代缴",
    "有线电视费代缴",
    "医保缴费代办",
    "养老金资格认证代办",
    "残疾人补贴代领",
    "低保金代领",
    "建房审批材料代办",
    "营业执照代办",
    "农资代购",
    "农产品代销",
    "快递代收代寄",
    "车票代购",
    "药品代购",
    "老年卡代办",
    "社保卡代办",
    "独生子女奖励代办",
    "殡葬补贴代办",
    "就医预约代办",
)
CALLS = (
    ("walk_in", "村民咨询医保缴费，想请村里代办", False, "13800001701"),
    ("phone", "申请开具家庭情况证明，孩子上学要用", True, "13800001702"),
)


async def load_jinghai_steps(session: AsyncSession, desk: TicketService) -> str:
    if await session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == STATION)):
        return "five steps already loaded"
    setting = await session.scalar(select(StageSetting))
    if setting is None:
        session.add(StageSetting(notify_every_stage=True))
    station = ServiceCategory(
        code=STATION,
        name="村综合服务站",
        mode=DispatchMode.ASSIGN,
        sign_for_minutes=60,
        arrival_minutes=None,
        resolution_minutes=3 * 24 * 60,
        working_time=True,
        rank=10,
        active=True,
    )
    session.add(station)
    await session.flush()
    items = [("on_spot", f"vs_spot_{i + 1:02d}", name) for i, name in enumerate(ON_THE_SPOT)]
    items += [("proxy", f"vs_proxy_{i + 1:02d}", name) for i, name in enumerate(BY_PROXY)]
    for handling, code, name in items:
        session.add(
            ServiceItem(category_id=station.id, code=code, name=f"{name}{SYNTHETIC}", handling=handling, active=True)
        )
    await session.flush()
    for channel, title, classified, phone in CALLS:
        call = TicketCreate(
            channel=channel, title=title, caller_phone=phone, category_id=station.id if classified else None
        )
        await desk.create(call)
    split = f"{len(ON_THE_SPOT)} on the spot + {len(BY_PROXY)} by proxy"
    return f"five steps: SMS to residents at every step; the village station's catalogue, {split}"
