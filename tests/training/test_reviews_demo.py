"""The demo (瓯海区): last month's finished duty review round with its poll tallies, and a rectification list from
it with one item overdue; sample names marked 「（示例）」; a second load adds nothing."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from services.training.demo.loader import load_demo
from shared.settings import Settings
from tests.platform.tokens import TestIssuer
from tests.training.builders import District, bearer, organiser

API = "/api/training"


async def test_the_demo_has_a_finished_review_round_and_an_overdue_rectification_item(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ouhai = {"id": str(district_a.id), "slug": "wenzhou-ouhai", "name": "瓯海区"}
    [first] = await load_demo(settings, [ouhai])
    [again] = await load_demo(settings, [ouhai])
    assert first.endswith("a duty review round and rectification list")
    assert not again.endswith("rectification list")
    admin = organiser(issuer, district_a)
    (round_,) = (await client.get(f"{API}/duty-review-rounds", headers=bearer(admin))).json()["items"]
    assert round_["finished"] is True
    assert [r["secretaryName"] for r in round_["reviews"]] == ["林晓燕（示例）", "陈建国（示例）"]
    review = (await client.get(f"{API}/duty-reviews/{round_['reviews'][1]['id']}", headers=bearer(admin))).json()
    assert review["voters"] == 23
    assert all(t["good"] + t["fairlyGood"] + t["average"] + t["poor"] == 23 for t in review["tallies"])
    assert review["conclusion"].endswith("（示例）")
    assert review["questions"][1]["kind"] == "challenge"
    items = (await client.get(f"{API}/rectifications", headers=bearer(admin))).json()["items"]
    assert (items[0]["overdue"], items[0]["secretaryName"]) == (True, "林晓燕（示例）")
    assert [i["overdue"] for i in items] == [True, False, False]
    assert all(i["problem"].endswith("（示例）") and i["leader"].endswith("（示例）") for i in items)
    done = (await client.get(f"{API}/rectifications", params={"state": "done"}, headers=bearer(admin))).json()
    assert [i["doneNote"] for i in done["items"]] == ["台账已建立，材料已归档。（示例）"]
