"""Fuzhou's secretary duty review and Pudong's rectification lists (seed 001, 瓯海区 in the demo), end to end
through the gateway: a village's secretary, posted in orgtree, reaches training; the district draws the month's
secretaries under their party committee at random; the review records the questionnaire, the report and a pointed
question, the branch's members vote anonymously (no tallies until three have voted, one vote each), the review is
finalised, and a problem it found becomes a rectification item that is ticked off. Another district sees none of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import jwt

from services.training.reviews.aspects import ASPECTS
from shared.clock import china_today
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, new_user
from tests.seeds.story import created, until, village

ALL_GOOD = dict.fromkeys(ASPECTS, "good")


def test_a_secretary_is_drawn_reviewed_polled_and_a_problem_found_is_ticked_off(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    where = village(platform, admin, "述职")
    body = {"name": "郑书记（示例）", "branchId": where.branch["id"], "gridId": where.grid["id"]}
    secretary = created(gateway, "/api/orgtree/members", body, admin)
    posting = {"kind": "village", "memberId": secretary["id"], "villageId": where.village["id"], "role": "secretary"}
    created(gateway, "/api/orgtree/cadre-postings", posting, admin)
    voters = []
    for number in range(3):
        token = login(gateway, new_user(gateway, platform.a.token, "voter", ["member"]), PASSWORD)["accessToken"]
        user_id = jwt.decode(token, options={"verify_signature": False})["sub"]
        body = {"name": f"测评党员{number}（示例）", "branchId": where.branch["id"], "gridId": where.grid["id"]}
        created(gateway, "/api/orgtree/members", body | {"userId": user_id}, admin)
        voters.append(auth(token))

    def on_record(name: str, duty: str | None = None) -> list[Any]:
        """Orgtree's members as training knows them (events cross services), under the village's committee."""
        people = httpx.get(f"{gateway}/api/training/people", params={"q": name}, headers=admin).json()["items"]
        under = [p for p in people if (p["branchPath"] or "").startswith(where.committee["path"])]
        return [p for p in under if duty is None or duty in p["duties"]]

    until("the secretary in training", lambda: on_record("郑书记", "secretary"))
    until("the voters in training", lambda: len(on_record("测评党员")) == len(voters))

    month = china_today().strftime("%Y-%m")
    round_body = {"month": month, "unitPath": where.committee["path"], "unitName": where.committee["name"]}
    drawn = created(gateway, "/api/training/duty-review-rounds", round_body, admin)
    [review] = drawn["reviews"]
    review_id = review["id"]
    report = {"questionnaireScore": 88.0, "questionnaireCount": 30, "reportNote": "述落实、述创新、述问题"}
    answer = httpx.patch(f"{gateway}/api/training/duty-reviews/{review_id}", json=report, headers=admin)
    assert answer.status_code == 200, answer.text
    question = {"kind": "challenge", "question": "村集体经济为何连续两年下滑？", "answer": "已制定增收计划"}
    created(gateway, f"/api/training/duty-reviews/{review_id}/questions", question, admin)
    created(gateway, f"/api/training/duty-reviews/{review_id}/poll", None, admin)

    ballots = [ALL_GOOD, {**ALL_GOOD, "innovation": "poor"}, ALL_GOOD]
    for count, (voter, grades) in enumerate(zip(voters, ballots, strict=True), start=1):
        polls = until(
            "the poll open to the branch",
            lambda v=voter: httpx.get(f"{gateway}/api/training/duty-polls", headers=v).json(),
        )
        assert [(p["reviewId"], p["voted"]) for p in polls] == [(review_id, False)]
        created(gateway, f"/api/training/duty-reviews/{review_id}/poll/votes", {"grades": grades}, voter)
        seen = httpx.get(f"{gateway}/api/training/duty-reviews/{review_id}", headers=admin).json()
        assert (seen["voters"], bool(seen["tallies"])) == (count, count >= 3)
    again = httpx.post(
        f"{gateway}/api/training/duty-reviews/{review_id}/poll/votes", json={"grades": ALL_GOOD}, headers=voters[0]
    )
    assert again.status_code == 422  # one vote each

    answer = httpx.patch(
        f"{gateway}/api/training/duty-reviews/{review_id}", json={"conclusion": "较好，需抓集体经济"}, headers=admin
    )
    assert answer.status_code == 200, answer.text
    finalised = created(gateway, f"/api/training/duty-reviews/{review_id}/finalise", None, admin)
    assert finalised["state"] == "finalised"
    innovation = next(t for t in finalised["tallies"] if t["aspect"] == "innovation")
    assert (innovation["good"], innovation["poor"]) == (2, 1)

    item = {
        "unitPath": where.branch["path"],
        "unitName": where.branch["name"],
        "problem": "村集体经济增收乏力",
        "measure": "制定增收计划，每月调度",
        "leader": "郑书记（示例）",
        "deadline": (china_today() + timedelta(days=60)).isoformat(),
        "reviewId": review_id,
    }
    listed = created(gateway, "/api/training/rectifications", item, admin)
    assert (listed["reviewId"], listed["secretaryName"]) == (review_id, "郑书记（示例）")
    done = created(gateway, f"/api/training/rectifications/{listed['id']}/done", {"note": "增收计划已落实"}, admin)
    assert done["doneAt"]

    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}/api/training/duty-reviews/{review_id}", headers=other).status_code == 404
    assert httpx.get(f"{gateway}/api/training/rectifications/{listed['id']}", headers=other).status_code == 404
