"""A desk row as the operator reads it: after a yellow warning the clock shown is the one to the red warning
(the sign-for clock has fired and no longer runs), and an overdue clock says by how much."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.console.app import templates
from services.console.desk.queue import CLOCKS, STAGES, Row
from services.console.settings import ConsoleSettings


def rendered(**changes: object) -> str:
    row = Row(
        id="01a2470e-0000-7000-8000-000000000001",
        number="DS-20261205-0001",
        title="楼道灯不亮",
        status="routing",
        category_id="c1",
        category="水电维修",
        grid_id="g1",
        grid="第一网格",
        warning=None,
        clock="sign_for",
        due_at=datetime.now(UTC) + timedelta(minutes=90, seconds=30),
        created_at="2026-12-05T08:00:00+00:00",
    )
    row = Row(**{**vars(row), **changes})
    return templates(ConsoleSettings()).get_template("desk/row.html").render(row=row, stages=STAGES, clocks=CLOCKS)


def test_a_yellow_ticket_shows_its_mark_and_the_time_left_to_the_red_warning() -> None:
    html = rendered(warning="yellow", clock="red")
    assert 'class="warn-yellow"' in html
    assert ">黄<" in html
    assert "红牌期限剩 1小时30分" in html


def test_a_red_ticket_keeps_its_mark_and_an_overdue_clock_says_by_how_much() -> None:
    html = rendered(warning="red", clock="resolution", due_at=datetime.now(UTC) - timedelta(minutes=124, seconds=30))
    assert 'class="warn-red"' in html
    assert "超时 2小时5分" in html
    assert 'class="overdue"' in html


def test_a_ticket_without_a_running_clock_shows_a_dash() -> None:
    html = rendered(clock=None, due_at=None)
    assert '<span class="muted">—</span>' in html
    assert "warn-" not in html
