"""Attendance and pre-service completions as xAPI 1.0.3 statements, read the way a standard LRS client reads them:
GET /xapi/statements with the version header, the spec's filters and the ``more`` link; only the district's own,
and only by its organisers."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.models import Attendance, Person, Programme, TrainingSession, XapiStatement
from services.training.settings import get_training_settings
from services.training.xapi.statements import ATTENDED, COMPLETED, record_attendance, statement_id
from shared.context import tenant_scope
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, attendee, bearer, organiser

STATEMENTS = "/api/training/xapi/statements"
VERSION = {"X-Experience-API-Version": "1.0.3"}
HOME = get_training_settings().xapi.home_page.rstrip("/")
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def lrs_client(issuer: TestIssuer, district: District, **claims: Any) -> dict[str, str]:
    """An LRS client's headers: an organiser's token and the version it speaks."""
    return {**bearer(organiser(issuer, district, **claims)), **VERSION}


async def attend(
    client: AsyncTestClient[Any], issuer: TestIssuer, district: District, session: Any, person: Person
) -> str:
    answer = await client.post(
        f"/api/training/sessions/{session.id}/attendance",
        json={"personId": str(person.id), "reason": "现场签到表"},
        headers=bearer(organiser(issuer, district)),
    )
    assert answer.status_code in (200, 201), answer.text
    attendance_id: str = answer.json()["attendance"]["id"]
    return attendance_id


async def read(client: AsyncTestClient[Any], headers: dict[str, str], query: str = "") -> Any:
    answer = await client.get(f"{STATEMENTS}{query}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def account_agent(agent: dict[str, Any]) -> str:
    """An Agent identified by an account on this platform, and by nothing else; its account name."""
    assert agent.get("objectType", "Agent") == "Agent"
    assert set(agent) == {"objectType", "account"}  # no name, mbox or phone: one identifier only
    assert set(agent["account"]) == {"homePage", "name"}
    assert agent["account"]["homePage"] == HOME
    name: str = agent["account"]["name"]
    return name


def activity(value: dict[str, Any], kind: str) -> str:
    assert value["objectType"] == "Activity"
    assert IRI.fullmatch(value["id"])
    assert value["definition"]["type"] == kind
    assert all(isinstance(text, str) and text for text in value["definition"]["name"].values())
    activity_id: str = value["id"]
    return activity_id


def valid_statement(statement: dict[str, Any]) -> None:
    """The properties xAPI 1.0.3 requires of a stored statement, in the types it requires."""
    uuid.UUID(statement["id"])
    account_agent(statement["actor"])
    assert IRI.fullmatch(statement["verb"]["id"])
    assert statement["verb"]["display"]["en-US"] in ("attended", "completed")
    assert statement["object"]["objectType"] == "Activity"
    for moment in (statement["timestamp"], statement["stored"]):
        assert datetime.fromisoformat(moment).tzinfo is not None
    assert statement["version"].startswith("1.0.")
    account_agent(statement["authority"])
    context = statement["context"]
    uuid.UUID(context["registration"])
    for group in context["contextActivities"].values():
        assert isinstance(group, list)
        assert all(IRI.fullmatch(a["id"]) for a in group)


async def test_an_attendance_is_an_attended_statement_of_the_session_in_its_programme(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session(title="微党课：身边的红色细胞", organiser_unit_name="瑶溪街道第一党支部")
    member = await district_a.add_member("林志红")
    attendance_id = await attend(client, issuer, district_a, session, member)
    answer = await client.get(STATEMENTS, headers=lrs_client(issuer, district_a))
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    result = answer.json()
    assert result["more"] == ""
    [statement] = result["statements"]
    valid_statement(statement)
    assert datetime.fromisoformat(answer.headers["X-Experience-API-Consistent-Through"]).tzinfo is not None
    assert statement["id"] == str(statement_id(ATTENDED, uuid.UUID(attendance_id)))
    assert account_agent(statement["actor"]) == str(member.id)  # the person id, never the name or phone
    assert "林志红" not in answer.text
    assert statement["verb"]["id"] == ATTENDED
    assert activity(statement["object"], "http://adlnet.gov/expapi/activities/meeting") == (
        f"{HOME}/api/training/sessions/{session.id}"
    )
    assert statement["object"]["definition"]["name"] == {"zh-CN": "微党课：身边的红色细胞"}
    context = statement["context"]
    assert context["registration"] == attendance_id
    [parent] = context["contextActivities"]["parent"]
    programme = district_a.programmes["micro_party_lecture"]
    assert (
        activity(parent, "http://adlnet.gov/expapi/activities/course") == f"{HOME}/api/training/programmes/{programme}"
    )
    unit = context["extensions"][f"{HOME}/xapi/extensions/organiser-unit"]
    assert unit == {"id": str(district_a.branch_id), "name": "瑶溪街道第一党支部", "path": district_a.branch_path}
    one = await client.get(f"{STATEMENTS}?statementId={statement['id']}", headers=lrs_client(issuer, district_a))
    assert one.status_code == 200, one.text
    assert one.json() == statement
    assert one.headers["X-Experience-API-Version"] == "1.0.3"


async def test_a_pre_service_training_is_also_a_completion_of_the_programme(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session("volunteer_pre_service", title="96345志愿者岗前培训")
    volunteer = await district_a.add_member("王晓燕", duties=["volunteer"])
    attendance_id = await attend(client, issuer, district_a, session, volunteer)
    headers = lrs_client(issuer, district_a)
    found = await read(client, headers)
    assert sorted(s["verb"]["id"] for s in found["statements"]) == [ATTENDED, COMPLETED]
    [completion] = (await read(client, headers, f"?verb={quote(COMPLETED)}"))["statements"]
    valid_statement(completion)
    assert completion["id"] == str(statement_id(COMPLETED, uuid.UUID(attendance_id)))
    programme = district_a.programmes["volunteer_pre_service"]
    assert completion["object"]["id"] == f"{HOME}/api/training/programmes/{programme}"
    assert completion["result"] == {"completion": True}
    [sitting] = completion["context"]["contextActivities"]["other"]
    assert sitting["id"] == f"{HOME}/api/training/sessions/{session.id}"
    assert account_agent(completion["actor"]) == str(volunteer.id)


async def test_the_specs_filters_select_statements(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    lecture = await district_a.add_session(title="微党课")
    pre_service = await district_a.add_session("volunteer_pre_service", title="岗前培训")
    first, second = await district_a.add_member("甲"), await district_a.add_member("乙")
    registration = await attend(client, issuer, district_a, lecture, first)
    await attend(client, issuer, district_a, lecture, second)
    await attend(client, issuer, district_a, pre_service, second)
    headers = lrs_client(issuer, district_a)
    everything = (await read(client, headers))["statements"]
    assert len(everything) == 4  # three attendances, one of them also a completion

    def ids(found: Any) -> set[str]:
        return {s["id"] for s in found["statements"]}

    agent = quote(json.dumps({"objectType": "Agent", "account": {"homePage": HOME, "name": str(second.id)}}))
    by_second = await read(client, headers, f"?agent={agent}")
    assert {account_agent(s["actor"]) for s in by_second["statements"]} == {str(second.id)}
    assert len(by_second["statements"]) == 3
    elsewhere = quote(json.dumps({"mbox": "mailto:lin@example.org"}))
    assert (await read(client, headers, f"?agent={elsewhere}"))["statements"] == []
    assert len((await read(client, headers, f"?verb={quote(ATTENDED)}"))["statements"]) == 3
    session_iri = quote(f"{HOME}/api/training/sessions/{lecture.id}")
    assert len((await read(client, headers, f"?activity={session_iri}"))["statements"]) == 2
    programme_iri = quote(f"{HOME}/api/training/programmes/{district_a.programmes['volunteer_pre_service']}")
    assert len((await read(client, headers, f"?activity={programme_iri}"))["statements"]) == 1  # the completion
    related = await read(client, headers, f"?activity={programme_iri}&related_activities=true")
    assert len(related["statements"]) == 2  # and the attendance whose parent it is
    [mine] = (await read(client, headers, f"?registration={registration}"))["statements"]
    assert mine["context"]["registration"] == registration
    stored = sorted(datetime.fromisoformat(s["stored"]) for s in everything)
    since = quote(stored[0].isoformat())
    assert ids(await read(client, headers, f"?since={since}")) == {
        s["id"] for s in everything if datetime.fromisoformat(s["stored"]) > stored[0]
    }
    assert ids(await read(client, headers, f"?until={since}")) == {
        s["id"] for s in everything if datetime.fromisoformat(s["stored"]) <= stored[0]
    }
    later = quote((stored[-1] + timedelta(seconds=1)).isoformat())
    assert (await read(client, headers, f"?since={later}"))["statements"] == []


async def test_limit_pages_through_the_more_link_in_either_order(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()
    for name in ("甲", "乙", "丙", "丁", "戊"):
        await attend(client, issuer, district_a, session, await district_a.add_member(name))
    headers = lrs_client(issuer, district_a)
    for order in ("", "&ascending=true"):
        seen: list[dict[str, Any]] = []
        page = await read(client, headers, f"?limit=2&verb={quote(ATTENDED)}{order}")
        while True:
            assert len(page["statements"]) <= 2
            seen += page["statements"]
            if not page["more"]:
                break
            assert page["more"].startswith(f"{STATEMENTS}?")  # a path on this LRS, with the filters kept
            page = (await client.get(page["more"], headers=headers)).json()
        assert len(seen) == 5
        assert len({s["id"] for s in seen}) == 5
        keys = [(s["stored"], s["id"]) for s in seen]
        assert keys == sorted(keys, reverse=not order)


async def test_the_formats_an_lrs_client_may_ask_for(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session(title="秋季送学")
    await attend(client, issuer, district_a, session, await district_a.add_member())
    headers = lrs_client(issuer, district_a)
    [exact] = (await read(client, headers, "?format=exact"))["statements"]
    [only_ids] = (await read(client, headers, "?format=ids"))["statements"]
    assert only_ids["verb"] == {"id": ATTENDED}
    assert only_ids["object"] == {"objectType": "Activity", "id": exact["object"]["id"]}
    assert only_ids["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": exact["context"]["contextActivities"]["parent"][0]["id"]}
    ]
    assert only_ids["actor"] == exact["actor"]
    english = await client.get(
        f"{STATEMENTS}?format=canonical", headers={**headers, "Accept-Language": "en-GB,zh;q=0.5"}
    )
    [canonical] = english.json()["statements"]
    assert canonical["verb"]["display"] == {"en-US": "attended"}
    chinese = await client.get(f"{STATEMENTS}?format=canonical", headers={**headers, "Accept-Language": "zh-CN"})
    assert chinese.json()["statements"][0]["verb"]["display"] == {"zh-CN": "参加了"}
    assert canonical["object"]["definition"]["name"] == {"zh-CN": "秋季送学"}  # the only language it has


async def test_a_request_without_a_10x_version_header_is_a_400(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    token = bearer(organiser(issuer, district_a))
    missing = await client.get(STATEMENTS, headers=token)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "header.X-Experience-API-Version"
    old = await client.get(STATEMENTS, headers={**token, "X-Experience-API-Version": "0.95"})
    assert old.status_code == 400
    earlier = await client.get(STATEMENTS, headers={**token, "X-Experience-API-Version": "1.0.1"})
    assert earlier.status_code == 200
    assert earlier.headers["X-Experience-API-Version"] == "1.0.3"
    about = await client.get("/api/training/xapi/about", headers=token)  # the About resource needs no version
    assert about.json() == {"version": ["1.0.3"]}


async def test_a_bad_filter_is_a_400_naming_the_parameter(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    headers = lrs_client(issuer, district_a)
    two_ifis = quote(json.dumps({"mbox": "mailto:a@example.org", "account": {"homePage": HOME, "name": "x"}}))
    cases = {
        "?agent=lin": "agent",
        f"?agent={two_ifis}": "agent",
        f"?agent={quote(json.dumps({'account': {'homePage': HOME}}))}": "agent",
        "?verb=attended": "verb",
        "?activity=not%20an%20iri": "activity",
        "?registration=42": "registration",
        "?since=yesterday": "since",
        "?until=2026-13-01T00:00:00Z": "until",
        "?limit=-1": "limit",
        "?limit=ten": "limit",
        "?ascending=yes": "ascending",
        "?related_activities=1": "related_activities",
        "?format=xml": "format",
        "?cursor=not-a-cursor": "cursor",
        "?colour=red": "colour",
        f"?statementId={uuid.uuid4()}&verb={quote(ATTENDED)}": "statementId",
        "?limit=1&limit=2": "limit",
    }
    for query, parameter in cases.items():
        answer = await client.get(f"{STATEMENTS}{query}", headers=headers)
        assert answer.status_code == 400, (query, answer.text)
        assert answer.json()["errors"][0]["field"] == f"query.{parameter}", query


async def test_another_districts_statements_are_never_visible(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    session = await district_a.add_session()
    member = await district_a.add_member()
    await attend(client, issuer, district_a, session, member)
    [statement] = (await read(client, lrs_client(issuer, district_a)))["statements"]
    theirs = lrs_client(issuer, district_b)
    assert (await read(client, theirs))["statements"] == []
    agent = quote(json.dumps({"account": {"homePage": HOME, "name": str(member.id)}}))
    assert (await read(client, theirs, f"?agent={agent}"))["statements"] == []
    one = await client.get(f"{STATEMENTS}?statementId={statement['id']}", headers=theirs)
    assert one.status_code == 404


async def test_organisers_read_statements_of_their_scope_and_attendees_none(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session()  # organised by a branch under street s1
    member = await district_a.add_member()
    await attend(client, issuer, district_a, session, member)
    root = district_a.branch_path.split("s1/")[0]
    street = {**bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"{root}s1/")), **VERSION}
    assert len((await read(client, street))["statements"]) == 1
    other_street = {**bearer(issuer.token(tenant=district_a.id, roles=["street_admin"], scope=f"{root}s2/")), **VERSION}
    assert (await read(client, other_street))["statements"] == []
    member_token = {**bearer(attendee(issuer, district_a, member)), **VERSION}
    assert (await client.get(STATEMENTS, headers=member_token)).status_code == 403


async def test_recording_an_attendance_again_adds_no_statement(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    session = await district_a.add_session("volunteer_pre_service")
    member = await district_a.add_member()
    attendance_id = uuid.UUID(await attend(client, issuer, district_a, session, member))
    await attend(client, issuer, district_a, session, member)  # checked in again by hand: already there

    async def rederive(db: AsyncSession) -> int:
        attendance = await db.get(Attendance, attendance_id)
        sitting = await db.get(TrainingSession, session.id)
        assert attendance is not None
        assert sitting is not None
        programme = await db.get(Programme, sitting.programme_id)
        assert programme is not None
        return await record_attendance(db, sitting, programme, attendance)

    assert await district_a.run(rederive) == 0

    async def count(db: AsyncSession) -> int:
        return int(await db.scalar(select(func.count()).select_from(XapiStatement)) or 0)

    assert await district_a.run(count) == 2  # attended and completed, once each
    found = await read(client, lrs_client(issuer, district_a))
    assert {s["id"] for s in found["statements"]} == {
        str(statement_id(ATTENDED, attendance_id)),
        str(statement_id(COMPLETED, attendance_id)),
    }


async def test_consistent_through_stops_before_a_statement_still_being_written(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """A check-in whose transaction is still open has a stored time the header must not vouch past yet."""
    with tenant_scope(district_a.id):
        async with district_a.session() as writing, writing.begin():
            started = await writing.scalar(select(func.now()))  # the stored time of anything it writes
            answer = await client.get(STATEMENTS, headers=lrs_client(issuer, district_a))
            assert answer.status_code == 200, answer.text
            assert datetime.fromisoformat(answer.headers["X-Experience-API-Consistent-Through"]) <= started
