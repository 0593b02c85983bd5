"""学习培训's forms and refusals without a browser: what the new-session form sends (times typed in the district's
zone, hours as a number), training's refusals beside the fields that caused them, and a phone check-in's refusals
said in Chinese (the browser tests walk the same through the running platform)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.console.api import ApiError
from services.console.i18n import translations
from services.console.training.labels import CLOSED, EXPIRED, NOT_OPEN, UNLINKED, checkin_refusal, hours
from services.console.training.session_form import Draft, refusal

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNIT = {"id": "0b9a7c1e-8e43-4a0e-9a65-3f2d1c0b9a7c", "name": "瑶溪街道", "path": "/d1/s1/"}


def zh(message: str) -> str:
    return translations("zh_CN").gettext(message)


def test_the_form_sends_times_in_the_districts_zone_and_hours_as_a_number() -> None:
    typed = {
        "programmeId": "p",
        "title": "微党课",
        "place": "党群服务中心",
        "creditHours": "1.5",
        "startsAt": "2026-07-01T09:00",
        "endsAt": "2026-07-01T11:30",
    }
    body = Draft(typed).body(SHANGHAI, UNIT)
    assert datetime.fromisoformat(body["startsAt"]) == datetime(2026, 7, 1, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert body["endsAt"] == "2026-07-01T11:30:00+08:00"
    assert body["creditHours"] == 1.5
    assert (body["organiserUnitId"], body["organiserUnitName"], body["organiserUnitPath"]) == (
        UNIT["id"],
        "瑶溪街道",
        "/d1/s1/",
    )


def test_what_is_left_empty_is_left_out_and_what_is_not_a_number_goes_as_typed() -> None:
    body = Draft({"title": "", "place": "", "creditHours": "两小时", "startsAt": " "}).body(SHANGHAI, None)
    assert body == {"title": "", "place": "", "creditHours": "两小时"}  # training names the fields it refuses


def test_trainings_refusals_stand_beside_the_fields_the_form_shows() -> None:
    refused = ApiError(
        422,
        "the session has invalid fields",
        {
            "endsAt": "a session ends after it starts",
            "creditHours": "credit hours are more than 0 and at most 24, with one decimal (1.5)",
            "organiserUnitPath": "sessions you organise belong to a unit under /d1/s2/",
        },
    )
    errors = refusal(refused)
    assert errors.form is None
    assert zh(errors.fields["endsAt"]) == "结束时间须晚于开始时间。"
    assert zh(errors.fields["creditHours"]) == "学时须大于0且不超过24，最多一位小数（如1.5）。"
    assert zh(errors.fields["organiserUnitId"]) == "请选择您负责范围内的单位。"


def test_a_phone_check_ins_refusals_are_said_in_chinese() -> None:
    expired = checkin_refusal(ApiError(410, "this check-in code has expired", {"code": "expired"}))
    assert expired is not None
    assert (expired.message, expired.rescan) == (EXPIRED, True)
    assert zh(EXPIRED) == "二维码已过期，请重新扫描组织者屏幕上的二维码。"
    unlinked = checkin_refusal(ApiError(404, "your account is not linked to a person in this district's records"))
    assert unlinked is not None
    assert unlinked.message == UNLINKED
    opens = checkin_refusal(ApiError(409, "check-in to this session opens at 2026-07-01T08:30:00+00:00"))
    assert opens is not None
    assert (opens.message, opens.at) == (NOT_OPEN, datetime.fromisoformat("2026-07-01T08:30:00+00:00"))
    closed = checkin_refusal(ApiError(409, "check-in to this session closed at 2026-07-01T11:30:00+00:00"))
    assert closed is not None
    assert closed.message == CLOSED
    assert checkin_refusal(ApiError(403, "forbidden")) is None  # the error page says it


def test_credit_hours_are_written_as_people_write_them() -> None:
    assert [hours(2), hours("2.0"), hours(1.5), hours(None)] == ["2", "2", "1.5", "0"]
