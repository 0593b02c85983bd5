"""The archive's lists (DOC-09, DOC-04): documents past their retention and not held, for a disposal decision
(nothing is deleted by itself), and documents whose type asks for a refresh that is now due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import now
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.retention_support import DOCUMENTS, Client, days_from_today, filed, set_document
from tests.platform.tokens import TestIssuer

DUE = "/api/documents/retention/due"
REFRESH = "/api/documents/retention/refresh-due"


@pytest.fixture
def store(settings: Settings) -> ObjectStore:
    return ObjectStore(settings)


async def test_documents_past_their_retention_and_not_held_are_due_for_a_decision(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    expired, _ = await filed(district_a, store, "过期纪要", retain_until=days_from_today(-30))
    expired_immutable, _ = await filed(district_a, store, "过期台账", immutable=True, retain_until=days_from_today(-1))
    await filed(district_a, store, "未到期纪要", retain_until=days_from_today(30))
    await filed(district_a, store, "永久保存", retention_class="permanent", immutable=True)
    held, _ = await filed(district_a, store, "保全纪要", retain_until=days_from_today(-30))
    gone, _ = await filed(district_a, store, "已删纪要", retain_until=days_from_today(-30))
    elsewhere, _ = await filed(
        district_a, store, "第二街道过期纪要", anchor_path=district_a.streets[1], retain_until=days_from_today(-5)
    )
    registrar = bearer(admin(issuer, district_a))
    assert (
        await client.post(f"{DOCUMENTS}/{held.id}/hold", json={"reason": "保全"}, headers=registrar)
    ).status_code == 201
    assert (
        await client.post(f"{DOCUMENTS}/{gone.id}/deletion", json={"reason": "x"}, headers=registrar)
    ).status_code == 201

    street = await client.get(DUE, headers=bearer(street_admin(issuer, district_a, 0)))
    assert street.status_code == 200, street.text
    assert [item["id"] for item in street.json()["items"]] == [str(expired.id), str(expired_immutable.id)]
    assert street.json()["items"][0]["retainUntil"] == days_from_today(-30).isoformat()

    whole = await client.get(DUE, headers=registrar)
    assert {item["id"] for item in whole.json()["items"]} == {
        str(expired.id),
        str(expired_immutable.id),
        str(elsewhere.id),
    }
    one_street = await client.get(DUE, params={"unitPath": district_a.streets[1]}, headers=registrar)
    assert [item["id"] for item in one_street.json()["items"]] == [str(elsewhere.id)]
    paged = await client.get(DUE, params={"limit": 1}, headers=registrar)
    assert len(paged.json()["items"]) == 1
    following = await client.get(DUE, params={"limit": 5, "cursor": paged.json()["next"]}, headers=registrar)
    assert len(following.json()["items"]) == 2

    assert (await client.get(DUE, headers=bearer(admin(issuer, district_b)))).json()["items"] == []
    # nothing was disposed of by listing it
    assert (await client.get(f"{DOCUMENTS}/{expired.id}", headers=registrar)).json()["state"] == "active"
    member = bearer(issuer.token(tenant=district_a.id, roles=["member"]))
    assert (await client.get(DUE, headers=member)).status_code == 403
    bad = await client.get(DUE, params={"unitPath": "street"}, headers=registrar)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.unitPath"


async def test_household_archives_not_refreshed_for_six_months_are_due_for_a_refresh(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District, store: ObjectStore
) -> None:
    stale_at = now() - timedelta(days=200)
    stale, _ = await filed(district_a, store, "张家户表", type_code="household_archive", stored_at=stale_at)
    await filed(district_a, store, "李家户表", type_code="household_archive", stored_at=now() - timedelta(days=20))
    await filed(district_a, store, "旧纪要", type_code="minutes", stored_at=stale_at)
    gone, _ = await filed(district_a, store, "已删户表", type_code="household_archive", stored_at=stale_at)
    await set_document(district_a, gone, state="deleted")
    await filed(district_b, store, "另一区户表", type_code="household_archive", stored_at=stale_at)

    answer = await client.get(REFRESH, headers=bearer(street_admin(issuer, district_a, 0)))
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [item["document"]["id"] for item in items] == [str(stale.id)]
    assert items[0]["refreshMonths"] == 6
    due_on = items[0]["refreshDueOn"]
    assert due_on < now().date().isoformat()
    assert items[0]["document"]["version"]["number"] == 2

    other_street = await client.get(REFRESH, headers=bearer(street_admin(issuer, district_a, 1)))
    assert other_street.json()["items"] == []
