"""What the console's people forms rely on orgtree to refuse: an ID number whose check digit, length or birth date
is wrong, on creation and on change, and a household's phone that is not a mainland mobile, each a 422 naming the
field with nothing stored; and the member list filtered by a party unit, a name and a classification."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.orgtree.builders import build_slice, id_card, mobile
from tests.orgtree.conftest import District
from tests.platform.tokens import TestIssuer


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


async def test_a_wrong_id_number_is_refused_on_creation_and_on_change_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    for typed in (wrong_check_digit(id_card(41)), id_card(41)[:17], id_card(41, born="19801332")[:17] + "X"):
        refused = await s.admin.post("/members", {"name": "核对", "branchId": s.branch["id"], "idCard": typed}, 422)
        assert [e["field"] for e in refused["errors"]] == ["body.idCard"], typed
    assert (await s.admin.get("/members", within=s.branch["id"], name="核对"))["items"] == []  # nothing stored

    member = await s.member(42)
    refused = await s.admin.call(
        "PATCH", f"/members/{member['id']}", 422, json={"idCard": wrong_check_digit(id_card(43)), "name": "改名"}
    )
    assert [e["field"] for e in refused["errors"]] == ["body.idCard"]
    kept = await s.admin.get(f"/members/{member['id']}")
    assert (kept["name"], kept["idCard"]) == (member["name"], member["idCard"])  # the name did not change either
    changed = await s.admin.call("PATCH", f"/members/{member['id']}", 200, json={"idCard": id_card(43).lower()})
    assert changed["idCard"] == id_card(43)[:3] + "*" * 11 + id_card(43)[-4:]


async def test_a_households_phone_must_be_a_mainland_mobile_on_creation_and_on_change(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    refused = await s.admin.post("/households", {"gridId": s.grid["id"], "label": "9组1号", "phone": "1234567"}, 422)
    assert [e["field"] for e in refused["errors"]] == ["body.phone"]
    assert (await s.admin.get("/households", within=s.grid["id"]))["items"] == []  # nothing stored
    household = await s.household("9组1号", phone=mobile(44))
    refused = await s.admin.call("PATCH", f"/households/{household['id']}", 422, json={"phone": "12812345678"})
    assert [e["field"] for e in refused["errors"]] == ["body.phone"]
    assert (await s.admin.get(f"/households/{household['id']}"))["phone"] == "138****0044"


async def test_the_member_list_filters_by_party_unit_name_and_classification(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    s = await build_slice(client, issuer, district_a)
    kept = await s.member(45, classification="mobile")
    await s.member(46)
    organ = await s.admin.post("/members", {"name": "机关党员", "branchId": s.organ_branch["id"]})
    in_branch = await s.admin.get("/members", within=s.branch["id"])
    assert {m["id"] for m in in_branch["items"]} == {kept["id"], s.members[1]["id"]}
    assert organ["id"] not in {m["id"] for m in in_branch["items"]}
    by_name = await s.admin.get("/members", within=s.branch["id"], name="45")
    assert [m["id"] for m in by_name["items"]] == [kept["id"]]
    by_class = await s.admin.get("/members", within=s.branch["id"], classification="mobile")
    assert [m["id"] for m in by_class["items"]] == [kept["id"]]
    first = await s.admin.get("/members", within=s.branch["id"], limit=1)
    second = await s.admin.get("/members", within=s.branch["id"], limit=1, after=first["nextAfter"])
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {kept["id"], s.members[1]["id"]}
