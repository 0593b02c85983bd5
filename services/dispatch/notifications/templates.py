"""The zh-CN texts of the notifications (DSP-18), rendered at send time from the delivery log's params.

Areas that queue a message name one of ``TEMPLATES``; a missing optional param falls back to a general
wording rather than failing the delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Render = Callable[[str, str, Mapping[str, Any]], str]  # (hotline number, ticket number, params) -> text


def _code(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    minutes = params.get("ttlMinutes")
    valid = f"{minutes}分钟内有效，" if minutes else ""
    return f"【{hotline}】您的验证码为{params['code']}，{valid}请勿告诉他人。"


def _routed(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    # The provider who signs for it sees this phone number while the task is theirs (routing/tasks.py).
    return f"【{hotline}】您的工单{number}已派单，接单的志愿者将尽快致电您。"


def _resolved(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    # DSP-18: the status message carries the request for the resident's opinion.
    return f"【{hotline}】您的工单{number}已办结，请对本次服务作出评价，如有意见请致电{hotline}。"


def _closed(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    return f"【{hotline}】您的工单{number}已关闭，感谢您对{hotline}志愿服务的支持。"


def _offer(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    # For a volunteer who is not watching the app: until when, and how to answer without it.
    minutes, until = params.get("expiresInMinutes"), params.get("answerBy")
    within = f"请在{minutes}分钟内" if minutes else "请尽快"
    if until and minutes:
        within = f"请在{until}前（{minutes}分钟内）"
    return f"【{hotline}】您有新的派单{number}，{within}登录系统签收或婉拒，也可致电{hotline}由话务员代为签收。"


def _accepted_for_you(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    return f"【{hotline}】话务员已按您的来电代为签收派单{number}，请登录系统查看地址并尽快致电居民。"


def _collected(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    # DSP-17 (a district telling residents of every step): the first of the five steps.
    classified = "并已分类，" if params.get("classified") else "，"
    return f"【{hotline}】您反映的诉求已受理（工单{number}）{classified}我们将尽快安排办理。"


def _classified(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    return f"【{hotline}】您的工单{number}已完成分类，正在派单流转。"


def _supervised(hotline: str, number: str, params: Mapping[str, Any]) -> str:
    return f"【{hotline}】您的工单{number}已有承办人签收，办理全程督办，如有意见请致电{hotline}。"


TEMPLATES: dict[str, Render] = {
    "verification_code": _code,
    "ticket_routed": _routed,
    "ticket_resolved": _resolved,
    "ticket_closed": _closed,
    "offer_made": _offer,
    "offer_accepted_on_behalf": _accepted_for_you,
    "stage_collected": _collected,
    "stage_classified": _classified,
    "stage_supervised": _supervised,
}


def render(template: str, *, hotline: str, number: str | None, params: Mapping[str, Any]) -> str:
    """The message text; KeyError for a template this service does not know."""
    return TEMPLATES[template](hotline, number or "", params)
