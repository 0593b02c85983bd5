"""System 5 of issue 16, Ouhai's "71" network [004], its 7171 lines walked through the gateway (DSP-02): 瓯海区's
administrator publishes a number for the district, for 潘桥街道 and for 潘北社区, each ending in 7171 (made up, as the
seed gives only the suffix, and marked so); a resident phones the community's line and the hotline operator takes
the call on it: the ticket is placed at 潘北社区, whose cadre finds it in their queue while a cadre of another
street does not; a number the district does not publish is refused by name. Another district sees none of it.

The second story is the courtyards' year: the administrator opens the district's four-season programmes
(春季调训, 夏送清凉, 金秋送学, 冬送温暖); the summer's free herbal-tea points, staffed by member volunteers, number
100 or more, read back from the API with the report per street; and the cadres' contacts with the members they
guide (two a month in Ouhai) show in the monthly report: the cadre who contacted one member only once is below the
minimum, the one who made both contacts is not. Another district finds none of it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx

from shared.clock import china_today
from tests.console.support import until
from tests.seeds.conftest import RunningPlatform, auth, login, new_user


def post(platform: RunningPlatform, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    response = httpx.post(f"{platform.gateway}{path}", json=body, headers=auth(token))
    assert response.status_code in (200, 201), (path, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def signed_in(
    platform: RunningPlatform, admin: str, prefix: str, roles: list[str], scope: str | None = None
) -> dict[str, str]:
    """A new login of the district with ``roles`` (and ``scope``), signed in: its headers."""
    username = new_user(platform.gateway, admin, prefix, roles, scope=scope)
    return auth(login(platform.gateway, username)["accessToken"])


def unit(platform: RunningPlatform, admin: str, parent: dict[str, Any], level: str, name: str) -> dict[str, Any]:
    return post(platform, "/api/orgtree/nodes", {"parentId": parent["id"], "level": level, "name": name}, admin)


def test_a_call_on_a_community_7171_line_is_placed_at_the_community(platform: RunningPlatform) -> None:
    ouhai, tag = platform.b, uuid.uuid4().hex[:4]
    admin = ouhai.token
    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(admin)).json()["items"]
    root = next(n for n in nodes if n["tree"] == "administrative")
    street = unit(platform, admin, root, "street", f"潘桥街道{tag}")
    panbei = unit(platform, admin, street, "community", f"潘北社区{tag}")
    unit(platform, admin, panbei, "grid", f"潘北社区{tag}一网格")
    other = unit(platform, admin, root, "street", f"景山街道{tag}")

    def units() -> list[str] | None:
        listed = httpx.get(f"{platform.gateway}/api/dispatch/numbers/units", headers=auth(admin))
        ids = [u["id"] for u in listed.json()] if listed.status_code == 200 else []
        return ids if panbei["id"] in ids else None

    assert street["id"] in until("潘北社区 in dispatch's directory", units)
    serial = int(tag, 16) % 1000
    lines = {
        "district": (f"05778{serial:03d}07171", root["id"], "瓯海区民生热线"),
        "street": (f"05778{serial:03d}17171", street["id"], "潘桥街道民生热线"),
        "community": (f"05778{serial:03d}27171", panbei["id"], "潘北社区民生热线"),
    }
    for number, owner, label in lines.values():
        body = {"number": number, "unitId": owner, "label": label, "synthetic": True}
        added = post(platform, "/api/dispatch/numbers", body, admin)
        assert added["number"].endswith("7171")
        assert added["synthetic"] is True
    listed = httpx.get(f"{platform.gateway}/api/dispatch/numbers", headers=auth(admin)).json()
    ours = {n["number"]: n for n in listed}
    assert ours[lines["community"][0]]["unitName"] == f"潘北社区{tag}"
    assert ours[lines["street"][0]]["unitLevel"] == "street"

    # a resident phones 潘北社区's line; the operator takes the call on it
    desk = signed_in(platform, admin, "ouhai-desk", ["hotline_operator"])
    dialled = lines["community"][0][:4] + "-" + lines["community"][0][4:]  # as the resident reads it: 0577-…7171
    call = {
        "channel": "phone",
        "title": f"小区门口路灯不亮{tag}",
        "dialledNumber": dialled,
        "callerPhone": "13957717171",
    }
    taken = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=call, headers=desk)
    assert taken.status_code == 201, taken.text
    ticket = taken.json()["ticket"]
    assert ticket["unitId"] == panbei["id"]
    assert ticket["dialledNumber"] == lines["community"][0]
    assert ticket["callerPhone"] != "13957717171"  # masked

    cadre = signed_in(platform, admin, "panbei", ["community_cadre"], scope=panbei["path"])
    queue = httpx.get(f"{platform.gateway}/api/dispatch/tickets", params={"status": "new"}, headers=cadre).json()
    assert ticket["id"] in [t["id"] for t in queue["items"]]
    outsider = signed_in(platform, admin, "jingshan", ["street_admin"], scope=other["path"])
    assert httpx.get(f"{platform.gateway}/api/dispatch/tickets/{ticket['id']}", headers=outsider).status_code == 404

    unknown = httpx.post(
        f"{platform.gateway}/api/dispatch/tickets", headers=desk, json={**call, "dialledNumber": "057700000000"}
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.dialledNumber"]

    # 龙湾区 sees none of Ouhai's lines, and its calls cannot be placed on them
    longwan = auth(platform.a.token)
    theirs = httpx.get(f"{platform.gateway}/api/dispatch/numbers", headers=longwan).json()
    assert all(n["number"] not in ours for n in theirs)
    moved = httpx.patch(
        f"{platform.gateway}/api/dispatch/numbers/{ours[lines['community'][0]]['id']}",
        json={"label": "改"},
        headers=longwan,
    )
    assert moved.status_code == 404
    elsewhere = httpx.post(f"{platform.gateway}/api/dispatch/tickets", json=call, headers=longwan)
    assert elsewhere.status_code == 422


def test_the_four_seasons_and_the_cadres_monthly_contacts(platform: RunningPlatform) -> None:
    ouhai, tag = platform.b, uuid.uuid4().hex[:4]
    admin = ouhai.token
    nodes = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(admin)).json()["items"]
    roots = {n["tree"]: n for n in nodes}
    streets, grids = [], []
    for name, village_name in ((f"潘桥街道{tag}", f"潘北社区{tag}"), (f"景山街道{tag}", f"西山社区{tag}")):
        street = unit(platform, admin, roots["administrative"], "street", name)
        village = unit(platform, admin, street, "community", village_name)
        streets.append(street)
        grids.append(unit(platform, admin, village, "grid", f"{village_name}一网格"))
    committee = unit(platform, admin, roots["party"], "street_working_committee", f"潘桥街道{tag}党工委")
    branch = unit(platform, admin, committee, "branch", f"潘北社区{tag}党支部")

    def member(name: str, grid: dict[str, Any]) -> dict[str, Any]:
        return post(
            platform, "/api/orgtree/members", {"name": name, "branchId": branch["id"], "gridId": grid["id"]}, admin
        )

    volunteers = [member(f"凉茶志愿者{k}{tag}", grids[k]) for k in range(2)]
    headers = auth(admin)

    def in_dispatch() -> bool:
        known = httpx.get(f"{platform.gateway}/api/dispatch/campaigns/members", headers=headers).json()
        units = httpx.get(f"{platform.gateway}/api/dispatch/campaigns/units", headers=headers).json()
        names = {m["name"] for m in known}
        return all(v["name"] in names for v in volunteers) and {g["parentId"] for g in grids} <= {
            u["id"] for u in units
        }

    until("the communities and volunteers in dispatch", in_dispatch)
    providers = {
        m["name"]: m["providerId"]
        for m in httpx.get(f"{platform.gateway}/api/dispatch/campaigns/members", headers=headers).json()
    }

    # the district's four programmes of the year
    year = china_today().year
    opened = {}
    for season in ("spring", "summer", "autumn", "winter"):
        response = httpx.post(
            f"{platform.gateway}/api/dispatch/seasons", json={"year": year, "season": season}, headers=headers
        )
        assert response.status_code == 201, response.text
        opened[season] = response.json()
    listed = httpx.get(f"{platform.gateway}/api/dispatch/seasons", params={"year": year}, headers=headers).json()
    assert [p["title"] for p in listed] == ["春季调训", "夏送清凉", "金秋送学", "冬送温暖"]
    for season, what in (
        ("spring", "村社党组织书记春季集中调训"),
        ("autumn", "送学送书送师资下村"),
        ("winter", "春节走访慰问困难党员"),
    ):
        activity = {
            "heldOn": opened[season]["startsOn"],
            "unitId": streets[0]["id"],
            "what": what,
            "members": 30,
            "served": 40,
        }
        path = f"/api/dispatch/seasons/{opened[season]['id']}/activities"
        post(platform, path, activity, admin)

    # summer: 104 free herbal-tea points over the two communities, each with a member volunteer on duty
    summer = opened["summer"]
    for n in range(104):
        k = n % 2
        point = {
            "place": f"{grids[k]['name'][:-3]}凉茶点{n + 1}（示例）",
            "unitId": grids[k]["parentId"],
            "opensOn": f"{year}-07-11",
            "closesOn": f"{year}-08-31",
            "opensAt": "08:00:00",
            "closesAt": "17:00:00",
            "onDuty": [providers[volunteers[k]["name"]]],
            "cups": 500,
            "served": 400,
        }
        post(platform, f"/api/dispatch/seasons/{summer['id']}/tea-points", point, admin)
    points = httpx.get(f"{platform.gateway}/api/dispatch/seasons/{summer['id']}/tea-points", headers=headers).json()
    assert len(points) >= 100
    assert {p["onDutyNames"][0] for p in points} == {v["name"] for v in volunteers}
    report = httpx.get(f"{platform.gateway}/api/dispatch/seasons/{summer['id']}/report", headers=headers).json()
    assert report["programme"]["teaPoints"] >= 100
    assert {(s["streetName"], s["teaPoints"], s["cups"]) for s in report["streets"]} == {
        (streets[0]["name"], 52, 26000),
        (streets[1]["name"], 52, 26000),
    }
    late = {**point, "closesOn": f"{year}-09-15"}  # after the summer's programme ends: refused by name
    refused = httpx.post(
        f"{platform.gateway}/api/dispatch/seasons/{summer['id']}/tea-points", json=late, headers=headers
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.closesOn"]

    # the cadres' contacts with the members they guide: two a month each
    guided = [member(f"四和院联系人{k}{tag}", grids[0]) for k in range(3)]
    short, steady = member(f"街道干部甲{tag}", grids[0]), member(f"街道干部乙{tag}", grids[0])
    today = china_today()
    contacts = {
        (short["id"], guided[0]["id"]): 2,
        (short["id"], guided[1]["id"]): 1,
        (steady["id"], guided[2]["id"]): 2,
    }
    for (cadre, guided_member), times in contacts.items():
        link = post(platform, "/api/orgtree/guidance-links", {"cadreId": cadre, "memberId": guided_member}, admin)
        for k in range(times):
            day = max(today - timedelta(days=k), today.replace(day=1))
            body = {"contactedOn": day.isoformat(), "channel": "visit"}
            post(platform, f"/api/orgtree/guidance-links/{link['id']}/contacts", body, admin)
    month = httpx.get(
        f"{platform.gateway}/api/orgtree/reports/guidance",
        params={"month": f"{today:%Y-%m}", "within": streets[0]["id"]},
        headers=headers,
    ).json()
    assert month["contactsRequired"] == 2
    below = {c["name"]: c["linksBelowMinimum"] for c in month["cadresBelowMinimum"]}
    assert below[f"街道干部甲{tag}"] == 1  # one of the two guided members was contacted once only
    assert below.get(f"街道干部乙{tag}", 0) == 0  # listed at most for guiding fewer than the range, not for contacts

    # 龙湾区 finds none of Ouhai's programmes
    longwan = auth(platform.a.token)
    assert (
        httpx.get(f"{platform.gateway}/api/dispatch/seasons/{summer['id']}/report", headers=longwan).status_code == 404
    )
    theirs = httpx.get(f"{platform.gateway}/api/dispatch/seasons", params={"year": year}, headers=longwan).json()
    assert summer["id"] not in [p["id"] for p in theirs]
