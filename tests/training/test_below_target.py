"""The people below target under a unit (TRN-03): who is listed and with what missing, paging with a total, the
same rows as an .xlsx with Chinese headers, pro-rata as the year goes on, scope, another district, bad input; and
the per-year totals the list reads follow attendance as it is recorded and removed."""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from services.training.people import services as people
from services.training.people.models import Duty
from shared.contracts.orgtree import CadrePostingChanged, CadreRole, MemberRemoved, MemberTransferred
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.credits_support import LAST_YEAR, THIS_YEAR, attend, on, roll, set_person, totals, withdraw

URL = "/api/training/standing/below-target"


async def below(client: AsyncTestClient, token: str, **params: Any) -> dict[str, Any]:
    answer = await client.get(URL, params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def every_page(client: AsyncTestClient, token: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await below(client, token, **params, **({"cursor": cursor} if cursor else {}))
        rows += page["items"]
        if (cursor := page["next"]) is None:
            return rows


async def a_street(district: District) -> dict[str, Any]:
    """Under street s1: members short and not short of their targets, cadres, a volunteer, one who left; under
    street s2 one more member short of hours."""
    other_street = f"/{district.id.hex[:8]}/s2/b1/"
    people = {
        "met": await district.add_member("甲达标"),
        "short": await district.add_member("乙欠学时"),
        "secretary": await district.add_member("丙书记", duties=[Duty.SECRETARY]),
        "cadre": await district.add_member("丁村干部", duties=[Duty.RURAL_CADRE, Duty.VILLAGE_SECRETARY]),
        "volunteer": await district.add_member("戊志愿者", duties=[Duty.VOLUNTEER]),
        "left": await district.add_member("己已转出"),
        "elsewhere": await district.add_member("庚另一街道", branch_path=other_street),
    }
    await attend(district, people["met"], on(LAST_YEAR, 3, 1), hours="32")
    await attend(district, people["short"], on(LAST_YEAR, 3, 1), hours="20")
    await attend(district, people["secretary"], on(LAST_YEAR, 3, 1), hours="40")
    await attend(district, people["cadre"], on(LAST_YEAR, 3, 1), programme="village_secretary_class", hours="32")
    await attend(district, people["cadre"], on(LAST_YEAR, 4, 1), programme="hundred_day_training", days="60")
    await attend(district, people["volunteer"], on(LAST_YEAR, 3, 1), hours="40")
    await set_person(district, people["left"], active=False)
    return people


async def test_the_list_names_who_is_below_target_and_what_each_is_missing(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    await a_street(district_a)
    page = await below(client, organiser(issuer, district_a), year=LAST_YEAR, unitPath=f"/{district_a.id.hex[:8]}/s1/")
    assert (page["total"], page["year"], page["basis"], page["next"]) == (4, LAST_YEAR, "annual", None)
    by_name = {row["name"]: row for row in page["items"]}
    assert set(by_name) == {"丁村干部", "丙书记", "乙欠学时", "戊志愿者"}
    assert by_name["乙欠学时"]["missing"] == [
        {"code": "member_hours", "name": "党员年度学时", "required": 32.0, "achieved": 20.0, "shortBy": 12.0}
    ]
    assert [m["code"] for m in by_name["丙书记"]["missing"]] == ["cadre_hours"]
    assert [(m["code"], m["shortBy"]) for m in by_name["丁村干部"]["missing"]] == [("rural_cadre_days", 40.0)]
    assert (by_name["丁村干部"]["trainingDays"], by_name["丁村干部"]["classes"]) == (60.0, 1)
    assert (by_name["戊志愿者"]["preServiceDone"], by_name["乙欠学时"]["preServiceDone"]) == (False, None)
    assert [m["code"] for m in by_name["戊志愿者"]["missing"]] == ["volunteer_pre_service"]
    whole = await below(client, organiser(issuer, district_a), year=LAST_YEAR)
    assert (whole["total"], "庚另一街道" in {r["name"] for r in whole["items"]}) == (5, True)


async def test_pages_follow_the_cursor_with_the_same_total(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    await a_street(district_a)
    token = organiser(issuer, district_a)
    first = await below(client, token, year=LAST_YEAR, limit=2)
    assert (len(first["items"]), first["total"]) == (2, 5)
    rows = await every_page(client, token, year=LAST_YEAR, limit=2)
    assert len(rows) == 5
    assert len({r["personId"] for r in rows}) == 5
    at_once = await below(client, token, year=LAST_YEAR, limit=200)
    assert [r["personId"] for r in rows] == [r["personId"] for r in at_once["items"]]


async def test_the_xlsx_holds_the_same_rows_with_chinese_headers(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    await a_street(district_a)
    token = organiser(issuer, district_a)
    listed = await every_page(client, token, year=LAST_YEAR, limit=2)
    answer = await client.get(f"{URL}.xlsx", params={"year": LAST_YEAR}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.headers["x-row-count"] == "5"
    workbook = load_workbook(io.BytesIO(answer.content), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == f"未达标人员（{LAST_YEAR}年）"
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == (
        "姓名",
        "人员类别",
        "职责",
        "年度学时",
        "培训班（期）",
        "滚动两年培训天数",
        "岗前培训",
        "未达标项",
        "人员编号",
    )
    assert [(r[0], r[8]) for r in rows] == [(r["name"], r["personId"]) for r in listed]
    by_name = {r[0]: r for r in rows}
    assert by_name["乙欠学时"][1:4] == ("党员", None, 20)
    assert by_name["乙欠学时"][7] == "党员年度学时：20/32，差12"
    assert by_name["丁村干部"][2] == "农村干部、村党组织书记"
    assert (by_name["丁村干部"][5], by_name["丁村干部"][7]) == (60, "农村干部两年培训天数：60/100，差40")
    assert by_name["戊志愿者"][6] == "未完成"


async def test_as_the_year_goes_on_pro_rata_asks_for_the_share_due_by_today(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    ahead = await district_a.add_member("进度达标")
    await attend(district_a, ahead, hours="31")
    token = organiser(issuer, district_a)
    annual = await below(client, token)
    assert [r["name"] for r in annual["items"]] == ["进度达标"]
    assert annual["items"][0]["missing"][0]["required"] == 32.0
    paced = await below(client, token, basis="pro_rata")
    due = float((Decimal(32) * Decimal(str(paced["yearElapsed"]))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert (paced["year"], paced["basis"]) == (THIS_YEAR, "pro_rata")
    assert [r["name"] for r in paced["items"]] == (["进度达标"] if due > 31 else [])
    past = await below(client, token, basis="pro_rata", year=LAST_YEAR)  # a past year is due whole
    assert (past["yearElapsed"], past["total"]) == (1.0, 1)


async def test_a_reader_sees_only_the_people_under_their_scope(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    people = await a_street(district_a)
    root = f"/{district_a.id.hex[:8]}/"
    grid = f"/{district_a.id.hex[:8]}/v9/g1/"
    await set_person(district_a, people["elsewhere"], grid_path=grid)
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"{root}s2/")
    page = await below(client, street, year=LAST_YEAR)
    assert [r["name"] for r in page["items"]] == ["庚另一街道"]
    assert (await below(client, street, year=LAST_YEAR, unitPath=root))["total"] == 1  # above the scope: the scope
    beside = await client.get(URL, params={"unitPath": f"{root}s1/"}, headers=bearer(street))
    assert beside.status_code == 404, beside.text
    sheet = await client.get(f"{URL}.xlsx", params={"year": LAST_YEAR}, headers=bearer(street))
    assert sheet.headers["x-row-count"] == "1"
    leader = issuer.token(tenant=district_a.id, roles=["grid_leader"], scope=grid)  # the administrative tree
    assert [r["name"] for r in (await below(client, leader, year=LAST_YEAR))["items"]] == ["庚另一街道"]
    member = issuer.token(tenant=district_a.id, roles=["member"])
    assert (await client.get(URL, headers=bearer(member))).status_code == 403


async def test_another_district_sees_none_of_its_people(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    await a_street(district_a)
    page = await below(client, organiser(issuer, district_b), year=LAST_YEAR)
    assert (page["items"], page["total"]) == ([], 0)
    scoped = await below(
        client, organiser(issuer, district_b), year=LAST_YEAR, unitPath=f"/{district_a.id.hex[:8]}/s1/"
    )
    assert scoped["total"] == 0


async def test_bad_parameters_are_422_naming_them(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    token = organiser(issuer, district_a)
    for params, field in (
        ({"unitPath": "瑶溪街道"}, "query.unitPath"),
        ({"basis": "weekly"}, "query.basis"),
        ({"limit": 0}, "query.limit"),
        ({"limit": "十"}, "query.limit"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"year": THIS_YEAR + 1}, "query.year"),
    ):
        for url in (URL, f"{URL}.xlsx"):
            if url.endswith("xlsx") and ("limit" in params or "cursor" in params):
                continue
            answer = await client.get(url, params=params, headers=bearer(token))
            assert answer.status_code == 422, (url, params, answer.text)
            assert [e["field"] for e in answer.json()["errors"]] == [field], answer.text


async def test_the_years_totals_follow_attendance_recorded_and_removed(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    await attend(district_a, member, on(LAST_YEAR, 2, 1), hours="20")
    late = await attend(district_a, member, on(LAST_YEAR, 12, 31, 23), programme="village_secretary_class", hours="16")
    await attend(district_a, member, hours="1")  # this year's
    assert (await totals(district_a, member))[LAST_YEAR] == (36, 2, 1)
    token = organiser(issuer, district_a)
    assert (await below(client, token, year=LAST_YEAR))["total"] == 0
    await withdraw(district_a, late)
    assert (await totals(district_a, member))[LAST_YEAR] == (20, 1, 0)
    listed = await below(client, token, year=LAST_YEAR)
    assert [(r["creditHours"], r["missing"][0]["shortBy"]) for r in listed["items"]] == [(20.0, 12.0)]
    shown = await client.get(f"/api/training/people/{member.id}/standing?year={LAST_YEAR}", headers=bearer(token))
    assert shown.json()["creditHours"] == 20.0  # the standing (read from attendance) and the list agree


async def test_this_years_list_follows_attendance_and_people_as_they_change(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    token = organiser(issuer, district_a)
    street = f"/{district_a.id.hex[:8]}/s1/"
    member = await district_a.add_member("辛党员")
    volunteer = await district_a.add_member("壬志愿者", duties=[Duty.VOLUNTEER])
    await attend(district_a, member, hours="30")
    await attend(district_a, member, on(LAST_YEAR, 6, 1), hours="40")  # another year's hours do not count
    await attend(district_a, volunteer, hours="32")
    listed = await below(client, token, unitPath=street)
    assert {r["name"]: [m["code"] for m in r["missing"]] for r in listed["items"]} == {
        "辛党员": ["member_hours"],
        "壬志愿者": ["volunteer_pre_service"],
    }
    assert [r["creditHours"] for r in listed["items"] if r["name"] == "辛党员"] == [30.0]
    done = await attend(district_a, volunteer, on(LAST_YEAR, 3, 1), programme="volunteer_pre_service", hours="4")
    extra = await attend(district_a, member, hours="2")
    assert [r["name"] for r in (await below(client, token, unitPath=street))["items"]] == []
    assert ((await roll(district_a, member)).year, (await roll(district_a, member)).credit_hours) == (THIS_YEAR, 32)
    await withdraw(district_a, extra)
    await withdraw(district_a, done)
    assert {r["name"] for r in (await below(client, token, unitPath=street))["items"]} == {"辛党员", "壬志愿者"}
    # orgtree's events: a posting makes the member a secretary (56 hours), a transfer takes them out of the street
    await district_a.run(
        lambda s: people.cadre_posting_changed(
            s,
            CadrePostingChanged(
                tenant_id=district_a.id,
                posting_id=uuid.uuid4(),
                member_id=volunteer.member_id,
                village_id=uuid.uuid4(),
                kind="village",
                role="secretary",
                unit_level="community",
                active=True,
                postings=[CadreRole(kind="village", role="secretary", unit_level="community")],
            ),
        )
    )
    shown = {r["name"]: [m["code"] for m in r["missing"]] for r in (await below(client, token))["items"]}
    assert shown["壬志愿者"] == ["cadre_hours", "volunteer_pre_service"]
    moved = MemberTransferred(
        tenant_id=district_a.id,
        member_id=member.member_id,
        from_branch_id=district_a.branch_id,
        to_branch_id=uuid.uuid4(),
        transferred_on=date.today(),
        reason="ordinary",
        to_branch_path=f"/{district_a.id.hex[:8]}/s2/b7/",
    )
    await district_a.run(lambda s: people.member_transferred(s, moved))
    assert [r["name"] for r in (await below(client, token, unitPath=street))["items"]] == ["壬志愿者"]
    removed = MemberRemoved(tenant_id=district_a.id, member_id=volunteer.member_id, reason="deceased")
    await district_a.run(lambda s: people.member_removed(s, removed))
    assert [r["name"] for r in (await below(client, token))["items"]] == ["辛党员"]
