"""Titles (TRN-10): the district's titles go to members and units for a period, once each, with TitleAwarded;
the award history per person or unit; bad input is a 422 naming the field, another district's person a 404."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from services.training.models import Award
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser
from tests.training.ratings_support import API, count, outbox

Client = AsyncTestClient[Any]
AWARDED = "training.TitleAwarded"


async def test_a_title_goes_to_a_member_or_unit_once_a_period_with_title_awarded(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member("林志红")
    body = {"title": "most_beautiful_red_cell", "subject": {"personId": str(member.id)}, "period": "2026Q3"}
    answer = await client.post(f"{API}/awards", json=body, headers=bearer(admin))
    assert answer.status_code == 201, answer.text
    award = answer.json()
    assert (award["titleName"], award["subjectKind"], award["subjectId"], award["period"]) == (
        "最美红色细胞",
        "member",
        str(member.member_id),
        "2026Q3",
    )
    [event] = await outbox(district_a, AWARDED)
    assert (event["award_id"], event["title"], event["subject_id"], event["subject_kind"]) == (
        award["id"],
        "most_beautiful_red_cell",
        str(member.member_id),
        "member",
    )
    assert (event["period"], event["awarded_on"]) == ("2026Q3", award["awardedOn"])
    again = await client.post(f"{API}/awards", json=body, headers=bearer(admin))
    assert again.status_code == 409
    assert len(await outbox(district_a, AWARDED)) == 1
    unit = uuid.uuid4()
    branch = {"unitId": str(unit), "unitPath": district_a.branch_path, "unitName": "瑶溪社区党支部"}
    strongest = {"title": "strongest_branch", "titleName": "2026年度最强党支部", "subject": branch, "period": "2026"}
    answer = await client.post(f"{API}/awards", json=strongest, headers=bearer(admin))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["titleName"], answer.json()["subjectId"]) == ("2026年度最强党支部", str(unit))
    history = await client.get(f"{API}/awards", params={"personId": str(member.id)}, headers=bearer(admin))
    assert [a["id"] for a in history.json()["items"]] == [award["id"]]
    by_unit = await client.get(f"{API}/awards", params={"unitId": str(unit)}, headers=bearer(admin))
    assert [a["title"] for a in by_unit.json()["items"]] == ["strongest_branch"]
    assert (
        len((await client.get(f"{API}/awards", params={"period": "2026"}, headers=bearer(admin))).json()["items"]) == 1
    )
    bad = await client.get(f"{API}/awards", params={"period": "2026-Q3"}, headers=bearer(admin))
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.period")


async def test_bad_awards_are_a_422_naming_the_field_and_another_districts_person_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    admin = organiser(issuer, district_a)
    member = await district_a.add_member()
    good = {"title": "most_beautiful_red_cell", "subject": {"personId": str(member.id)}, "period": "2026Q3"}
    unit = {"unitId": str(uuid.uuid4()), "unitPath": district_a.branch_path, "unitName": "瑶溪社区"}
    cases = [
        ({"title": "best_neighbour"}, "body.title"),
        ({"period": "2026Q5"}, "body.period"),
        ({"period": "Q3"}, "body.period"),
        ({"title": "red_flag_community"}, "body.subject.unitId"),  # a unit's title, given a member
        ({"subject": unit}, "body.subject.personId"),  # a member's title, given a unit
        ({"subject": {"personId": 7}}, "body.subject.personId"),
        ({"subject": {**unit, "unitPath": "branch"}, "title": "red_flag_community"}, "body.subject.unitPath"),
    ]
    for change, field in cases:
        answer = await client.post(f"{API}/awards", json={**good, **change}, headers=bearer(admin))
        assert answer.status_code == 422, (change, answer.text)
        assert field in str(answer.json()["errors"]), (change, answer.json())
    other = await district_b.add_member()
    crossed = {**good, "subject": {"personId": str(other.id)}}
    assert (await client.post(f"{API}/awards", json=crossed, headers=bearer(admin))).status_code == 404
    member_token = issuer.token(tenant=district_a.id, roles=["member"], user_id=member.user_id)
    assert (await client.post(f"{API}/awards", json=good, headers=bearer(member_token))).status_code == 403
    street = issuer.token(tenant=district_a.id, roles=["street_admin"], scope="/elsewhere/")
    outside = {**good, "title": "red_flag_community", "subject": unit}
    answer = await client.post(f"{API}/awards", json=outside, headers=bearer(street))
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body.subject.unitPath")
    assert await count(district_a, Award) == 0
    assert await outbox(district_a, AWARDED) == []
    # B reads none of A's awards
    await client.post(f"{API}/awards", json=good, headers=bearer(admin))
    b_list = await client.get(f"{API}/awards", headers=bearer(organiser(issuer, district_b)))
    assert b_list.json()["items"] == []
