"""Credit hours against the district's rules (TRN-03): each rule as a person's standing shows it, the rolling
window, people with no duties, another district's and another unit's people, and the rules' own values."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from litestar.testing import AsyncTestClient

from services.training.people.models import Duty
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser
from tests.training.credits_support import LAST_YEAR, THIS_YEAR, attend, on, rule, set_person, totals

DEFAULTS = {
    "member_hours": (32, 1),
    "cadre_hours": (56, 1),
    "village_secretary_classes": (1, 1),
    "rural_cadre_days": (100, 2),
    "volunteer_pre_service": (1, 1),
}


async def standing(client: AsyncTestClient, token: str, person_id: object, **params: object) -> dict:
    answer = await client.get(f"/api/training/people/{person_id}/standing", params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    result: dict = answer.json()
    return result


async def test_every_district_starts_with_the_seeds_rules(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    for token in (organiser(issuer, district_a), attendee(issuer, district_a, member)):
        answer = await client.get("/api/training/rules", headers=bearer(token))
        assert answer.status_code == 200, answer.text
        rules = {r["code"]: (r["required"], r["windowYears"]) for r in answer.json()}
        assert rules == DEFAULTS
    by_code = {r["code"]: r for r in answer.json()}
    assert by_code["member_hours"]["appliesTo"] == ["member"]
    assert by_code["cadre_hours"]["appliesTo"] == ["secretary", "committee_member"]
    assert by_code["rural_cadre_days"]["measure"] == "training_days"


async def test_a_member_needs_32_credit_hours_in_the_year(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member("陈晓梅")
    token = organiser(issuer, district_a)
    for month in range(1, 11):  # 30 hours over the year before last December
        await attend(district_a, member, on(LAST_YEAR, month, 12), hours="3")
    await attend(district_a, member, on(LAST_YEAR, 12, 1), programme="open_life_practice", hours="1.5")
    await attend(district_a, member, on(LAST_YEAR - 1, 6, 1), hours="8")  # another year
    shown = await standing(client, token, member.id, year=LAST_YEAR)
    assert (shown["creditHours"], shown["sessions"], shown["yearElapsed"]) == (31.5, 11, 1.0)
    assert {c["category"]: (c["name"], c["creditHours"]) for c in shown["byCategory"]} == {
        "theory": ("理论学习", 30.0),
        "practice": ("实践活动", 1.5),
    }
    assert [r["code"] for r in shown["rules"]] == ["member_hours"]  # a member with no duties
    assert rule(shown, "member_hours") | {"expectedToDate": None} == {
        "code": "member_hours",
        "name": "党员年度学时",
        "measure": "credit_hours",
        "required": 32.0,
        "achieved": 31.5,
        "met": False,
        "shortBy": 0.5,
        "expectedToDate": None,
        "onPace": None,
    }
    assert shown["met"] is False
    await attend(district_a, member, on(LAST_YEAR, 12, 31, 23), hours="0.5")  # 23:00 in China: still that year
    shown = await standing(client, token, member.id, year=LAST_YEAR)
    assert (rule(shown, "member_hours")["achieved"], rule(shown, "member_hours")["met"], shown["met"]) == (
        32.0,
        True,
        True,
    )
    assert (await totals(district_a, member))[LAST_YEAR] == (32, 12, 0)


async def test_this_years_standing_shows_the_share_due_by_today(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    await attend(district_a, member, hours="4")
    shown = await standing(client, organiser(issuer, district_a), member.id)
    assert shown["year"] == THIS_YEAR
    assert 0 <= shown["yearElapsed"] < 1
    hours = rule(shown, "member_hours")
    assert hours["achieved"] == 4.0
    due = (Decimal(32) * Decimal(str(shown["yearElapsed"]))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert hours["expectedToDate"] == float(due)
    assert hours["onPace"] is (due <= 4)


async def test_secretaries_and_committee_members_need_56_hours(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    secretary = await district_a.add_member("李书记", duties=[Duty.SECRETARY])
    committee = await district_a.add_member("张委员", duties=[Duty.COMMITTEE_MEMBER])
    for person in (secretary, committee):
        for month in (3, 6, 9, 11):
            await attend(district_a, person, on(LAST_YEAR, month, 5), hours="10")
    for person in (secretary, committee):
        shown = await standing(client, organiser(issuer, district_a), person.id, year=LAST_YEAR)
        assert {r["code"]: (r["achieved"], r["met"], r["shortBy"]) for r in shown["rules"]} == {
            "member_hours": (40.0, True, 0.0),
            "cadre_hours": (40.0, False, 16.0),
        }


async def test_a_village_secretary_attends_a_class_a_year(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    secretary = await district_a.add_member("王村书记", duties=[Duty.VILLAGE_SECRETARY])
    token = organiser(issuer, district_a)
    await attend(district_a, secretary, on(LAST_YEAR - 1, 4, 1), programme="village_secretary_class", hours="16")
    shown = await standing(client, token, secretary.id, year=LAST_YEAR)
    assert (shown["classes"], rule(shown, "village_secretary_classes")["met"]) == (0, False)
    await attend(district_a, secretary, on(LAST_YEAR, 4, 1), programme="village_secretary_class", hours="16")
    await attend(district_a, secretary, on(LAST_YEAR, 5, 1), hours="2")  # not a class
    shown = await standing(client, token, secretary.id, year=LAST_YEAR)
    assert (shown["classes"], rule(shown, "village_secretary_classes")["achieved"]) == (1, 1.0)
    assert rule(shown, "village_secretary_classes")["met"] is True


async def test_a_rural_cadre_needs_100_training_days_in_a_rolling_two_years(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    cadre = await district_a.add_member("赵村干部", duties=[Duty.RURAL_CADRE])
    token = organiser(issuer, district_a)
    # seen from the end of LAST_YEAR, the window is the two years since 1 January of the year before, in China
    await attend(district_a, cadre, on(LAST_YEAR - 2, 12, 31, 23), programme="hundred_day_training", days="40")
    await attend(district_a, cadre, on(LAST_YEAR - 1, 1, 1, 1), programme="hundred_day_training", days="50")
    await attend(district_a, cadre, on(LAST_YEAR, 9, 1), programme="hundred_day_training", days="45")
    await attend(district_a, cadre, on(LAST_YEAR, 10, 1), programme="spring_training", days="5")  # not counted
    shown = await standing(client, token, cadre.id, year=LAST_YEAR)
    assert shown["trainingDays"] == 95.0
    assert shown["trainingDaysSince"].startswith(f"{LAST_YEAR - 1}-01-01T00:00:00+08:00")
    assert (rule(shown, "rural_cadre_days")["shortBy"], rule(shown, "rural_cadre_days")["met"]) == (5.0, False)
    earlier = await standing(client, token, cadre.id, year=LAST_YEAR - 1)  # that window holds the first two
    assert (earlier["trainingDays"], rule(earlier, "rural_cadre_days")["met"]) == (90.0, False)
    await attend(district_a, cadre, on(LAST_YEAR, 11, 1), programme="hundred_day_training", days="5")
    shown = await standing(client, token, cadre.id, year=LAST_YEAR)
    assert (shown["trainingDays"], rule(shown, "rural_cadre_days")["met"]) == (100.0, True)


async def test_a_volunteer_needs_pre_service_training(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    by_duty = await district_a.add_member("志愿者甲", duties=[Duty.VOLUNTEER])
    by_flag = await district_a.add_member("志愿者乙", flags=["volunteer"])
    token = organiser(issuer, district_a)
    for volunteer in (by_duty, by_flag):
        shown = await standing(client, token, volunteer.id)
        assert (shown["preServiceDone"], rule(shown, "volunteer_pre_service")["met"]) == (False, False)
    done = await attend(district_a, by_duty, on(LAST_YEAR, 3, 1), programme="volunteer_pre_service", hours="4")
    shown = await standing(client, token, by_duty.id)  # done in an earlier year still counts
    assert (shown["preServiceDone"], rule(shown, "volunteer_pre_service")["achieved"]) == (True, 1.0)
    assert shown["preServiceAt"].startswith(done.checked_in_at.astimezone().date().isoformat()[:4])
    before = await standing(client, token, by_duty.id, year=LAST_YEAR - 1)
    assert before["preServiceDone"] is False


async def test_a_person_with_no_duties_has_only_the_members_rule_and_a_resident_none(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    resident = await district_a.add_member("居民周阿姨")
    await set_person(district_a, resident, kind="resident", member_id=None)
    await attend(district_a, resident, programme="micro_lecture", hours="1")
    token = organiser(issuer, district_a)
    assert [r["code"] for r in (await standing(client, token, member.id))["rules"]] == ["member_hours"]
    shown = await standing(client, token, resident.id)
    assert (shown["kind"], shown["rules"], shown["met"], shown["creditHours"]) == ("resident", [], True, 1.0)


async def test_a_member_reads_their_own_standing(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member("林志红")
    await attend(district_a, member, on(LAST_YEAR, 5, 1), hours="6")
    mine = await client.get(
        "/api/training/me/standing", params={"year": LAST_YEAR}, headers=bearer(attendee(issuer, district_a, member))
    )
    assert mine.status_code == 200, mine.text
    assert (mine.json()["personId"], mine.json()["creditHours"]) == (str(member.id), 6.0)
    stranger = issuer.token(tenant=district_a.id, roles=["member"], user_id=uuid.uuid4())
    assert (await client.get("/api/training/me/standing", headers=bearer(stranger))).status_code == 404
    other = await district_a.add_member()
    refused = await client.get(
        f"/api/training/people/{other.id}/standing", headers=bearer(attendee(issuer, district_a, member))
    )
    assert refused.status_code == 403


async def test_another_districts_or_another_units_person_is_not_found(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    member = await district_a.add_member()
    for token in (
        organiser(issuer, district_b),
        issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"/{district_a.id.hex[:8]}/s2/"),
    ):
        answer = await client.get(f"/api/training/people/{member.id}/standing", headers=bearer(token))
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    mine = issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"/{district_a.id.hex[:8]}/s1/")
    assert (await client.get(f"/api/training/people/{member.id}/standing", headers=bearer(mine))).status_code == 200


async def test_a_year_not_begun_or_malformed_is_refused_naming_it(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    member = await district_a.add_member()
    for year in (THIS_YEAR + 1, "二〇二五", 1999):
        answer = await client.get(
            f"/api/training/people/{member.id}/standing",
            params={"year": year},
            headers=bearer(organiser(issuer, district_a)),
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "query.year"
