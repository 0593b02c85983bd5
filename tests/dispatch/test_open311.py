"""Open311 GeoReport v2 over the hotline, through the gateway on the running platform: the documents compared with
the specification's own examples (element and key names, value types), a request filed with a client's key and the
submitter's SMS code becoming a real hotline ticket, its status looked up, every refusal in the specification's
``errors`` form, and an independent client library (``georeport`` from PyPI) reading the endpoint."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from georeport import GeoReport  # type: ignore[import-untyped]

from tests.console.support import new_phone, operator, sms_code, ticket_numbered, token_of
from tests.platform.platform import RunningPlatform, auth

V2 = "/api/dispatch/open311/v2"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
PROXY_SERVICE = "affairs-id_card"  # a default item handled by proxy (代办): its definition asks for more
PLAIN_SERVICE = "citizen_life-plumbing"

# The specification's example documents (wiki.open311.org/GeoReport_v2 and its Service Discovery page), written as
# it gives them. Its JSON prints codes with leading zeros (001), which is no JSON number: spec_json reads them as the
# identifiers they are.
SPEC_DISCOVERY_JSON = """
{
  "changeset":"2011-04-05T17:48:34Z",
  "contact":"Please email ( content.311@sfgov.org )  or call ( 415-701-2311 ) for assistance or to report bugs",
  "key_service":"To get an API_KEY please visit this website:  http://wiki.open311.org/GeoReport_v2/Servers",
  "endpoints":[
    {
      "specification":"http://wiki.open311.org/GeoReport_v2",
      "url":"https://open311.sfgov.org/dev/V2/",
      "changeset":"2011-04-20T17:48:34Z",
      "type":"test",
      "formats":["text/xml"]
    }
  ]
}
"""
SPEC_DISCOVERY_XML = """<?xml version="1.0" encoding="utf-8"?>
<discovery>
  <changeset>2011-04-05T17:48:34Z</changeset>
  <contact>Please email ( content.311@sfgov.org )  or call ( 415-701-2311 ) for assistance or to report bugs</contact>
  <key_service>To get an API_KEY please visit this website:  http://wiki.open311.org/GeoReport_v2/Servers</key_service>
  <endpoints>
    <endpoint>
      <specification>http://wiki.open311.org/GeoReport_v2</specification>
      <url>https://open311.sfgov.org/dev/V2/</url>
      <changeset>2011-04-20T17:48:34Z</changeset>
      <type>test</type>
      <formats>
        <format>text/xml</format>
      </formats>
    </endpoint>
  </endpoints>
</discovery>
"""
SPEC_SERVICES_XML = """<?xml version="1.0" encoding="utf-8"?>
<services>
    <service>
        <service_code>001</service_code>
        <service_name>Cans left out 24x7</service_name>
        <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
        <metadata>true</metadata>
        <type>realtime</type>
        <keywords>lorem, ipsum, dolor</keywords>
        <group>sanitation</group>
    </service>
</services>
"""  # noqa: E501 - as the specification gives it
SPEC_SERVICES_JSON = """
[
  {
    "service_code":001,
    "service_name":"Cans left out 24x7",
    "description":"Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.",
    "metadata":true,
    "type":"realtime",
    "keywords":"lorem, ipsum, dolor",
    "group":"sanitation"
  }
]
"""  # noqa: E501 - as the specification gives it
SPEC_DEFINITION_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_definition>
    <service_code>DMV66</service_code>
    <attributes>
        <attribute>
            <variable>true</variable>
            <code>WHISHETN</code>
            <datatype>singlevaluelist</datatype>
            <required>true</required>
            <datatype_description></datatype_description>
            <order>1</order>
            <description>What is the ticket/tag/DL number?</description>
            <values>
                <value>
                    <key>123</key>
                    <name>Ford</name>
                </value>
                <value>
                    <key>124</key>
                    <name>Chrysler</name>
                </value>
            </values>
        </attribute>
    </attributes>
</service_definition>
"""
SPEC_DEFINITION_JSON = """
{
  "service_code":"DMV66",
  "attributes":[
    {
      "variable":true,
      "code":"WHISHETN",
      "datatype":"singlevaluelist",
      "required":true,
      "datatype_description":null,
      "order":1,
      "description":"What is the ticket/tag/DL number?",
      "values":[
        {
          "key":123,
          "name":"Ford"
        },
        {
          "key":124,
          "name":"Chrysler"
        }
      ]
    }
  ]
}
"""
SPEC_CREATED_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>
            The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code
        </service_notice>
        <account_id/>
    </request>
</service_requests>
"""  # noqa: E501 - as the specification gives it
SPEC_CREATED_JSON = """
[
  {
    "service_request_id":293944,
    "service_notice":"The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code",
    "account_id":null
  }
]
"""  # noqa: E501 - as the specification gives it
SPEC_REQUESTS_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
</service_requests>
"""
SPEC_REQUESTS_JSON = """
[
  {
    "service_request_id":638344,
    "status":"closed",
    "status_notes":"Duplicate request.",
    "service_name":"Sidewalk and Curb Issues",
    "service_code":006,
    "description":null,
    "agency_responsible":null,
    "service_notice":null,
    "requested_datetime":"2010-04-14T06:37:38-08:00",
    "updated_datetime":"2010-04-14T06:37:38-08:00",
    "expected_datetime":"2010-04-15T06:37:38-08:00",
    "address":"8TH AVE and JUDAH ST",
    "address_id":545483,
    "zipcode":94122,
    "lat":37.762221815,
    "long":-122.4651145,
    "media_url":"http://city.gov.s3.amazonaws.com/requests/media/638344.jpg "
  }
]
"""
SPEC_ERRORS_XML = """<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>
"""
SPEC_ERRORS_JSON = """
[
  {
    "code":403,
    "description":"Invalid api_key received -- can't proceed with create_request."
  }
]
"""
# Identifiers the specification's examples print as numbers: any scalar will do (ours are ticket numbers, codes).
IDENTIFIERS = frozenset({"service_request_id", "service_code", "address_id", "zipcode", "key"})


def spec_json(text: str) -> Any:
    return json.loads(re.sub(r'("[a-z_]+":)(0\d+)', r'\1"\2"', text))


def json_shape(value: Any, key: str = "") -> Any:
    """Key names and value types, a list by its first entry; None where the specification leaves a value out."""
    if isinstance(value, dict):
        return {k: json_shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [json_shape(value[0], key)] if value else []
    if value is None:
        return None
    if key in IDENTIFIERS:
        return "identifier"
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "string"


def same_json_shape(spec: Any, ours: Any, where: str = "$") -> None:
    if isinstance(spec, dict):
        assert isinstance(ours, dict), f"{where}: an object in the specification"
        assert set(ours) == set(spec), f"{where}: keys {sorted(ours)} where the specification has {sorted(spec)}"
        for key, value in spec.items():
            same_json_shape(value, ours[key], f"{where}.{key}")
    elif isinstance(spec, list):
        assert isinstance(ours, list), f"{where}: a list in the specification"
        if spec and ours:
            same_json_shape(spec[0], ours[0], f"{where}[0]")
    elif spec is not None and ours is not None:  # a missing value ("may not be returned") fits any type
        assert ours == spec, f"{where}: {ours} where the specification has {spec}"


def xml_shape(element: ET.Element) -> Any:
    """Element names: a leaf is its tag alone, a parent maps each child tag to that child's shape."""
    children = list(element)
    return {child.tag: xml_shape(child) for child in children} if children else "text"


def parsed(text: str) -> ET.Element:
    assert text.startswith(XML_DECLARATION), text[:80]
    return ET.fromstring(text.encode())  # noqa: S314 - the specification's text and our own server's answer


def same_xml_shape(spec_text: str, answer: httpx.Response) -> ET.Element:
    assert answer.headers["content-type"].startswith("text/xml"), answer.headers["content-type"]
    spec, ours = parsed(spec_text), parsed(answer.text)
    assert ours.tag == spec.tag
    assert xml_shape(ours) == xml_shape(spec), answer.text
    return ours


def same_xml_entries(spec_text: str, answer: httpx.Response) -> ET.Element:
    """A list document: the same root, and each entry with the same elements as the specification's first."""
    assert answer.headers["content-type"].startswith("text/xml"), answer.headers["content-type"]
    spec, ours = parsed(spec_text), parsed(answer.text)
    assert ours.tag == spec.tag
    assert len(ours) > 0, answer.text
    for entry in ours:
        assert entry.tag == spec[0].tag
        assert xml_shape(entry) == xml_shape(spec[0]), answer.text
    return ours


def same_json_entries(spec_text: str, answer: httpx.Response) -> list[dict[str, Any]]:
    assert answer.headers["content-type"].startswith("application/json"), answer.headers["content-type"]
    body = answer.json()
    assert isinstance(body, list)
    assert body, answer.text
    spec = json_shape(spec_json(spec_text))
    for entry in body:
        same_json_shape(spec[0], json_shape(entry))
    return body


def errors(answer: httpx.Response, status: int) -> list[str]:
    """A refusal in the specification's form (either format); the descriptions, checked against each code."""
    assert answer.status_code == status, answer.text
    if answer.headers["content-type"].startswith("text/xml"):
        root = same_xml_entries(SPEC_ERRORS_XML, answer)
        assert all(e.findtext("code") == str(status) for e in root)
        return [e.findtext("description") or "" for e in root]
    body = same_json_entries(SPEC_ERRORS_JSON, answer)
    assert all(e["code"] == status for e in body)
    return [e["description"] for e in body]


def v2(platform: RunningPlatform) -> str:
    return f"{platform.gateway}{V2}"


def issue_key(platform: RunningPlatform, name: str = "城市服务小程序", district: str = "a") -> dict[str, Any]:
    admin = platform.a if district == "a" else platform.b
    issued = httpx.post(
        f"{platform.gateway}/api/dispatch/open311/clients",
        headers=auth(admin.token),
        json={"name": name, "contact": "ops@example.cn"},
    )
    assert issued.status_code == 201, issued.text
    body: dict[str, Any] = issued.json()
    return body


def verified(platform: RunningPlatform, key: str, phone: str) -> tuple[str, str]:
    """A code sent to ``phone`` through the endpoint's verifications (read off the development outbox)."""
    sent = httpx.post(
        f"{v2(platform)}/verifications.json",
        data={"jurisdiction_id": platform.a.slug, "api_key": key, "phone": phone},
    )
    assert sent.status_code == 200, sent.text
    [entry] = sent.json()
    assert entry["phone"] == f"{phone[:3]}****{phone[-4:]}"
    return entry["verification_id"], sms_code(platform, phone)


def filing(platform: RunningPlatform, key: str, verification: tuple[str, str], **extra: str) -> dict[str, str]:
    return {
        "jurisdiction_id": platform.a.slug,
        "api_key": key,
        "service_code": PROXY_SERVICE,
        "lat": "27.99453",
        "long": "120.69941",
        "address_string": "温州市龙湾区永中街道永昌路8号",
        "description": "腿脚不便，想请人代办身份证换领",
        "attribute[errand_detail]": "身份证到期换领，需带户口簿和旧证",
        "attribute[scope]": "individual",
        "verification_id": verification[0],
        "verification_code": verification[1],
        **extra,
    }


def test_discovery_services_and_definitions_have_the_specifications_shape(platform: RunningPlatform) -> None:
    base, slug = v2(platform), platform.a.slug
    same_json_shape(json_shape(spec_json(SPEC_DISCOVERY_JSON)), json_shape(httpx.get(f"{base}/discovery.json").json()))
    found = same_xml_shape(SPEC_DISCOVERY_XML, httpx.get(f"{base}/discovery.xml"))
    assert found.findtext("endpoints/endpoint/url") == f"{platform.gateway}{V2}/"

    services = same_json_entries(
        SPEC_SERVICES_JSON, httpx.get(f"{base}/services.json", params={"jurisdiction_id": slug})
    )
    by_code = {s["service_code"]: s for s in services}
    assert by_code["citizen_life"]["service_name"] == "市民生活"
    assert by_code[PLAIN_SERVICE]["service_name"] == "水管维修"
    assert by_code[PLAIN_SERVICE]["group"] == "市民生活"
    assert by_code[PLAIN_SERVICE]["metadata"] is False
    assert by_code[PROXY_SERVICE]["metadata"] is True
    as_xml = same_xml_entries(SPEC_SERVICES_XML, httpx.get(f"{base}/services.xml", params={"jurisdiction_id": slug}))
    assert [s.findtext("service_code") for s in as_xml] == list(by_code)

    definition = httpx.get(f"{base}/services/{PROXY_SERVICE}.json", params={"jurisdiction_id": slug})
    assert definition.status_code == 200, definition.text
    spec_definition, ours = json_shape(spec_json(SPEC_DEFINITION_JSON)), json_shape(definition.json())
    same_json_shape({**spec_definition, "attributes": []}, {**ours, "attributes": []})
    [spec_attribute_shape] = spec_definition["attributes"]
    detail, scope = (json_shape(a) for a in definition.json()["attributes"])  # values: list datatypes only
    same_json_shape(spec_attribute_shape, scope)
    assert set(detail) == set(spec_attribute_shape) - {"values"}
    attributes = {a["code"]: a for a in definition.json()["attributes"]}
    assert attributes["errand_detail"]["required"] is True
    assert [v["key"] for v in attributes["scope"]["values"]] == ["individual", "common"]
    xml_definition = httpx.get(f"{base}/services/{PROXY_SERVICE}.xml", params={"jurisdiction_id": slug})
    root = parsed(xml_definition.text)
    assert root.tag == "service_definition"
    spec_attribute = parsed(SPEC_DEFINITION_XML).find("attributes/attribute")
    assert spec_attribute is not None
    assert xml_shape(root.findall("attributes/attribute")[1]) == xml_shape(spec_attribute)
    plain = httpx.get(f"{base}/services/{PLAIN_SERVICE}.json", params={"jurisdiction_id": slug}).json()
    assert plain == {"service_code": PLAIN_SERVICE, "attributes": []}


def test_a_client_files_a_request_that_becomes_a_hotline_ticket_and_follows_it(platform: RunningPlatform) -> None:
    issued = issue_key(platform)
    key = issued["apiKey"]
    assert key.startswith(issued["client"]["keyPrefix"])
    listed = httpx.get(f"{platform.gateway}/api/dispatch/open311/clients", headers=auth(platform.a.token)).json()
    assert key not in json.dumps(listed)  # shown once
    assert issued["client"]["id"] in [c["id"] for c in listed]

    phone = new_phone()
    photo = "https://app.example.cn/media/door-4521.jpg"
    form = filing(platform, key, verified(platform, key, phone), media_url=photo)
    answer = httpx.post(f"{v2(platform)}/requests.xml", data=form)
    assert answer.status_code == 200, answer.text
    [created] = same_xml_entries(SPEC_CREATED_XML, answer)
    number = created.findtext("service_request_id")
    assert number

    ticket = ticket_numbered(platform, platform.a.token, number)
    assert ticket is not None
    assert ticket["channel"] == "web"
    assert ticket["itemId"] is not None
    assert ticket["scopeKind"] == "individual"
    assert ticket["callerPhone"] == f"{phone[:3]}****{phone[-4:]}"
    assert "代办事项：身份证到期换领" in ticket["description"]
    assert f"图片或视频链接：{photo}" in ticket["description"]  # the operator sees the client's link
    history = httpx.get(
        f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/history", headers=auth(platform.a.token)
    ).json()
    assert history[0]["action"] == "created"

    slug = platform.a.slug
    mine = httpx.get(f"{v2(platform)}/requests/{number}.json", params={"jurisdiction_id": slug, "api_key": key})
    [status] = same_json_entries(SPEC_REQUESTS_JSON, mine)
    assert status["status"] == "open"
    assert status["service_code"] == PROXY_SERVICE
    assert status["service_name"] == "身份证代办"
    assert status["status_notes"]
    assert status["agency_responsible"]
    assert status["requested_datetime"].endswith("+08:00")
    assert status["lat"] == 27.995
    assert "身份证" in status["description"]
    assert status["media_url"] == photo
    anyone = httpx.get(f"{v2(platform)}/requests/{number}.xml", params={"jurisdiction_id": slug})
    [public] = same_xml_entries(SPEC_REQUESTS_XML, anyone)
    assert public.findtext("description") == ""  # only the client that filed it reads what the resident wrote
    assert public.findtext("media_url") == ""  # or sees what they showed
    assert phone not in anyone.text

    open_ones = httpx.get(f"{v2(platform)}/requests.json", params={"jurisdiction_id": slug, "status": "open"})
    assert number in [r["service_request_id"] for r in same_json_entries(SPEC_REQUESTS_JSON, open_ones)]
    cancelled = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}/cancel",
        headers=auth(platform.a.token),
        json={"reason": "居民已自行办理"},
    )
    assert cancelled.status_code == 200, cancelled.text
    closed = httpx.get(f"{v2(platform)}/requests.json", params={"jurisdiction_id": slug, "status": "closed"})
    assert number in [r["service_request_id"] for r in closed.json()]
    still_open = httpx.get(f"{v2(platform)}/requests.json", params={"jurisdiction_id": slug, "status": "open"})
    assert number not in [r["service_request_id"] for r in still_open.json()]
    by_id = httpx.get(f"{v2(platform)}/requests.json", params={"jurisdiction_id": slug, "service_request_id": number})
    assert [(r["service_request_id"], r["status"]) for r in by_id.json()] == [(number, "closed")]


def test_bad_requests_are_refused_in_the_specifications_form_and_store_nothing(platform: RunningPlatform) -> None:
    key = issue_key(platform, "坏请求测试")["apiKey"]
    base, slug = v2(platform), platform.a.slug
    phone = new_phone()
    code = verified(platform, key, phone)

    def post(fmt: str = "json", **changes: str | None) -> httpx.Response:
        body = {k: v for k, v in {**filing(platform, key, code), **changes}.items() if v is not None}
        return httpx.post(f"{base}/requests.{fmt}", data=body)

    assert errors(post(lat="north"), 400) == ["lat: not a number"]
    assert errors(post("xml", long="inf"), 400) == ["long: must be between -180 and 180"]
    assert errors(post(lat=None), 400) == ["lat: give lat and long together"]
    assert errors(post(lat=None, long=None, address_string=None), 400) == [
        "lat: a location is required: lat and long, or address_string"
    ]
    assert errors(post(service_code="no_such"), 404) == ["service_code: no_such is not a service of this jurisdiction"]
    assert errors(post(service_code=None), 400) == ["service_code: required"]
    missing = errors(post("xml", **{"attribute[errand_detail]": None}), 400)
    assert [m.split(":")[0] for m in missing] == ["attribute[errand_detail]"]
    assert errors(post(**{"attribute[scope]": "everyone"}), 400) == ["attribute[scope]: one of: individual, common"]
    assert errors(post(**{"attribute[colour]": "red"}), 400) == [
        f"attribute[colour]: not an attribute of service {PROXY_SERVICE}"
    ]
    assert errors(post(nickname="x"), 400) == ["nickname: not a field of this endpoint"]
    assert errors(post(verification_code="12ab"), 400) == ["verification_code: the 6-digit code sent by SMS"]
    assert errors(post(phone="12345"), 400) == ["phone: not a mainland mobile number"]
    assert errors(post(media_url="javascript:alert(1)"), 400) == ["media_url: an absolute http or https address"]
    assert errors(post("xml", media_url="https://"), 400) == ["media_url: an absolute http or https address"]
    as_json = httpx.post(f"{base}/requests.json", json=filing(platform, key, code))
    assert errors(as_json, 400) == ["the body must be form-encoded (application/x-www-form-urlencoded)"]
    wrong = "000000" if code[1] != "000000" else "111111"
    assert errors(post(verification_code=wrong), 400) == ["verification_code: wrong code; 4 tries left"]

    # keys and jurisdictions
    assert errors(post(api_key="o311_not-a-key"), 403) == [
        "api_key: invalid api_key received -- can't proceed with create_request"
    ]
    assert errors(post("xml", api_key=None), 403)
    assert errors(post(jurisdiction_id="nowhere"), 404) == [
        "jurisdiction_id: nowhere is not a jurisdiction of this endpoint"
    ]
    assert errors(post(jurisdiction_id=None), 400) == ["jurisdiction_id: required: the district's code"]
    assert errors(httpx.get(f"{base}/services.json"), 400) == ["jurisdiction_id: required: the district's code"]
    assert errors(httpx.get(f"{base}/services.xml", params={"jurisdiction_id": "nowhere"}), 404)
    unknown_service = httpx.get(f"{base}/services/no_such.json", params={"jurisdiction_id": slug})
    assert errors(unknown_service, 404) == ["service_code: no_such is not a service of this jurisdiction"]
    assert errors(httpx.get(f"{base}/services.yaml", params={"jurisdiction_id": slug}), 404)
    bad_query = httpx.get(f"{base}/requests.json", params={"jurisdiction_id": slug, "status": "pending"})
    assert errors(bad_query, 400) == ["status: pending is not one of: open, closed"]
    bad_date = httpx.get(f"{base}/requests.json", params={"jurisdiction_id": slug, "start_date": "yesterday"})
    assert errors(bad_date, 400) == ["start_date: not an ISO 8601 date and time (2026-12-01T00:00:00Z)"]

    # nothing was filed: the code still works once, for one request
    filed = post()
    assert filed.status_code == 200, filed.text
    [entry] = filed.json()
    mine = httpx.get(f"{base}/requests.json", params={"jurisdiction_id": slug, "api_key": key})
    assert [r["service_request_id"] for r in mine.json() if r["description"]] == [entry["service_request_id"]]
    again = post()
    assert errors(again, 400) == ["verification_id: this code has been used already; ask for a new one"]

    # another district's request is the same 404 as a missing one
    other = httpx.get(
        f"{base}/requests/{entry['service_request_id']}.json", params={"jurisdiction_id": platform.b.slug}
    )
    assert errors(other, 404) == [f"service_request_id: no request {entry['service_request_id']} in this jurisdiction"]
    # a key of district b is no key in district a
    b_key = issue_key(platform, "乙区客户端", district="b")["apiKey"]
    assert errors(post(api_key=b_key), 403)


def test_keys_are_the_district_admins_and_a_revoked_key_stops_at_once(platform: RunningPlatform) -> None:
    clients = f"{platform.gateway}/api/dispatch/open311/clients"
    issued = issue_key(platform, "将撤销的客户端")
    key, client_id = issued["apiKey"], issued["client"]["id"]
    staff = token_of(platform, operator(platform))
    assert httpx.get(clients, headers=auth(staff)).status_code == 403
    assert httpx.post(clients, headers=auth(staff), json={"name": "未授权"}).status_code == 403
    short = httpx.post(clients, headers=auth(platform.a.token), json={"name": "x"})
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"].endswith("name")
    unknown = httpx.post(clients, headers=auth(platform.a.token), json={"name": "好名字", "apiKey": "mine"})
    assert unknown.status_code == 422
    assert httpx.post(f"{clients}/{client_id}/revocation", headers=auth(platform.b.token)).status_code == 404

    sent = httpx.post(
        f"{v2(platform)}/verifications.json",
        data={"jurisdiction_id": platform.a.slug, "api_key": key, "phone": new_phone()},
    )
    assert sent.status_code == 200, sent.text
    revoked = httpx.post(f"{clients}/{client_id}/revocation", headers=auth(platform.a.token))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revokedAt"] is not None
    after = httpx.post(
        f"{v2(platform)}/verifications.xml",
        data={"jurisdiction_id": platform.a.slug, "api_key": key, "phone": new_phone()},
    )
    assert errors(after, 403) == ["api_key: invalid api_key received -- can't proceed with send a verification code"]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_an_independent_open311_client_reads_the_endpoint(platform: RunningPlatform, output_format: str) -> None:
    """``georeport`` (PyPI) reads services, a definition and requests as any GeoReport v2 server's."""
    key = issue_key(platform, f"georeport-{output_format}")["apiKey"]
    answer = httpx.post(
        f"{v2(platform)}/requests.json", data=filing(platform, key, verified(platform, key, new_phone()))
    )
    assert answer.status_code == 200, answer.text
    number = answer.json()[0]["service_request_id"]

    client = GeoReport(v2(platform), jurisdiction=platform.a.slug, output_format=output_format)
    services = client.get_service_list()
    assert PROXY_SERVICE in [s["service_code"] for s in services]
    definition = client.get_service_definition(PROXY_SERVICE)
    assert definition["service_code"] == PROXY_SERVICE
    listed = client.get_service_requests(service_request_id=number)
    entries = listed if isinstance(listed, list) else [listed]  # xmltodict gives one entry as a dict
    assert [e["service_request_id"] for e in entries] == [number]
    one = client.get_service_request(number)
    assert one["status"] == "open"
    assert one["service_code"] == PROXY_SERVICE


def test_a_key_over_its_requests_a_minute_is_told_when_to_come_back_and_other_keys_are_not(
    platform: RunningPlatform,
) -> None:
    """60 requests a minute per key (the default); counted in fixed minutes, so the burst must fit in one."""
    lookup = f"{v2(platform)}/requests.json"
    for _ in range(3):
        if time.time() % 60 > 40:
            time.sleep(61 - time.time() % 60)
        key, minute = issue_key(platform, "频繁的客户端")["apiKey"], time.time() // 60
        query = {"jurisdiction_id": platform.a.slug, "api_key": key}
        statuses = [httpx.get(lookup, params=query).status_code for _ in range(60)]
        over = httpx.get(lookup.replace(".json", ".xml"), params=query)
        if time.time() // 60 == minute:
            break
    assert statuses == [200] * 60
    assert errors(over, 429) == ["api_key: more than 60 requests a minute with this key"]
    assert 1 <= int(over.headers["retry-after"]) <= 60
    other = {"jurisdiction_id": platform.a.slug, "api_key": issue_key(platform, "另一个客户端")["apiKey"]}
    assert httpx.get(lookup, params=other).status_code == 200
