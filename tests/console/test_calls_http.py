"""Taking a call over plain HTTP: who may open it, CSRF, the number never shown back outside its field, the
item list that follows the category, the possible duplicates offered before anything is stored, another district's
ticket a 404 page."""

from __future__ import annotations

import re
import uuid

import httpx

from services.console.app import templates
from services.console.calls.card import LOOKUP
from services.console.desk.queue import STAGES
from services.console.settings import ConsoleSettings
from tests.console.support import (
    CSRF_FIELD,
    caller_household,
    categories,
    masked,
    new_phone,
    new_ticket,
    operator,
    signed_in_client,
    ticket_for,
    titled,
    token_of,
)
from tests.platform.platform import RunningPlatform, new_user

INPUT_WITH = 'value="{}"'


def form_token(client: httpx.Client, path: str = "/console/calls") -> str:
    found = CSRF_FIELD.search(client.get(path).text)
    assert found
    return found.group(1)


def test_the_number_typed_shows_again_only_in_its_form_field(platform: RunningPlatform) -> None:
    caller = caller_household(platform)
    client = signed_in_client(platform, operator(platform))
    token = form_token(client)
    answer = client.post("/console/calls", data={"_csrf_token": token, "phone": caller.phone})
    assert answer.status_code == 200
    assert answer.text.count(caller.phone) == 1
    assert INPUT_WITH.format(caller.phone) in answer.text
    assert masked(caller.phone) in answer.text
    assert "/console/calls?" not in answer.text  # the number never travels in an address

    # a refused form comes back with the number in its field only, too
    refused = client.post(
        "/console/calls/tickets",
        data={"_csrf_token": token, "channel": "phone", "priority": "normal", "title": "", "callerPhone": caller.phone},
    )
    assert refused.status_code == 422
    assert "请填写标题（不超过200字）。" in refused.text
    assert refused.text.count(caller.phone) == 1
    client.close()


def test_a_malformed_number_is_refused_before_anything_is_asked(platform: RunningPlatform) -> None:
    client = signed_in_client(platform, operator(platform))
    token = form_token(client)
    empty = client.post("/console/calls", data={"_csrf_token": token, "phone": ""})
    assert empty.status_code == 422
    assert "请输入来电号码。" in empty.text
    wrong = client.post("/console/calls", data={"_csrf_token": token, "phone": "12-34"})
    assert wrong.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-phone"' in wrong.text
    assert "号码格式不对" in wrong.text
    client.close()


def test_the_item_list_follows_the_category(platform: RunningPlatform) -> None:
    username = operator(platform)
    category = next(c for c in categories(platform, token_of(platform, username)) if c["items"])
    client = signed_in_client(platform, username)
    items = client.get("/console/calls/items", params={"categoryId": category["id"]}, headers={"hx-request": "true"})
    assert items.status_code == 200
    assert sorted(re.findall(r'<option value="([0-9a-f-]{36})"', items.text)) == sorted(
        i["id"] for i in category["items"]
    )
    assert "<html" not in items.text  # the field alone, for htmx to swap in
    unknown = client.get("/console/calls/items", params={"categoryId": "no-such"}, headers={"hx-request": "true"})
    assert re.findall(r'<option value="([^"]+)"', unknown.text) == []
    client.close()


def test_without_the_csrf_token_nothing_is_looked_up_or_saved(platform: RunningPlatform) -> None:
    client = signed_in_client(platform, operator(platform))
    client.get("/console/calls")
    assert client.post("/console/calls", data={"phone": new_phone()}).status_code == 403
    assert client.post("/console/calls/tickets", data={"channel": "phone", "title": "无令牌"}).status_code == 403
    client.close()


def test_only_the_hotline_opens_it(platform: RunningPlatform) -> None:
    cadre = new_user(platform.gateway, platform.a.token, "cadre", ["community_cadre"])
    client = signed_in_client(platform, cadre)
    page = client.get("/console/calls")
    assert page.status_code == 403
    assert "您无权打开此页面" in page.text
    assert 'href="/console/calls"' not in client.get("/console/").text  # and no entry leads there
    client.close()


def test_duplicates_are_offered_before_saving_and_one_found_meanwhile_is_offered_too(platform: RunningPlatform) -> None:
    username = operator(platform)
    token = token_of(platform, username)
    caller = caller_household(platform)
    category = categories(platform, token)[0]
    first = ticket_for(platform, token, caller, category)
    client = signed_in_client(platform, username)
    title = f"又漏水了 {uuid.uuid4().hex[:4]}"
    form = {
        "_csrf_token": form_token(client),
        "channel": "phone",
        "priority": "normal",
        "categoryId": category["id"],
        "place": caller.household["id"],
        "title": title,
        "callerPhone": caller.phone,
    }

    offered = client.post("/console/calls/tickets", data=form)
    assert offered.status_code == 200
    assert f'id="duplicate-{first["id"]}"' in offered.text
    assert f'name="offered" value="{first["id"]}"' in offered.text
    assert titled(platform, token, title) == []

    # a ticket alike recorded while the operator decided is offered as well: still nothing stored
    second = ticket_for(platform, token, caller, category)
    again = client.post("/console/calls/tickets", data={**form, "offered": first["id"]})
    assert again.status_code == 200
    assert f'id="duplicate-{second["id"]}"' in again.text
    assert titled(platform, token, title) == []

    # 「仍然新建」 once every ticket alike was offered: exactly one ticket
    both = ",".join(sorted((first["id"], second["id"])))
    saved = client.post("/console/calls/tickets", data={**form, "offered": both})
    assert saved.status_code == 303
    [ticket] = titled(platform, token, title)
    assert saved.headers["location"] == f"/console/tickets/{ticket['id']}"
    client.close()


def test_the_dry_runs_refusal_is_named_beside_its_field(platform: RunningPlatform) -> None:
    username = operator(platform)
    client = signed_in_client(platform, username)
    title = f"地址太短 {uuid.uuid4().hex[:4]}"
    form = {"_csrf_token": form_token(client), "channel": "phone", "priority": "normal", "title": title}
    refused = client.post("/console/calls/tickets", data={**form, "place": "other", "address": "x"})
    assert refused.status_code == 422
    assert 'aria-describedby="e-address"' in refused.text
    assert "地址应为2至200字，或留空。" in refused.text
    assert titled(platform, token_of(platform, username), title) == []
    client.close()


def test_adding_a_call_to_another_districts_ticket_is_a_404_page(platform: RunningPlatform) -> None:
    theirs = new_ticket(platform, token_of(platform, operator(platform, "b")))
    client = signed_in_client(platform, operator(platform, "a"))
    added = client.post(f"/console/calls/{theirs['id']}/supplement", data={"_csrf_token": form_token(client)})
    assert added.status_code == 404
    assert "未找到" in added.text
    client.close()


def test_the_card_tells_a_refused_lookup_from_an_unavailable_one() -> None:
    """Dispatch reports orgtree's answer as found, not_found, refused or unavailable: the card says which, so
    a missing permission never reads as an outage (rendered as the console renders it)."""
    card = templates(ConsoleSettings()).get_template("calls/card.html")

    def shown(status: str) -> str:
        answer = {"phone": "139****0101", "earlierTickets": [], "households": {"status": status, "items": []}}
        return card.render(card=answer, lookup=LOOKUP, stages=STAGES, category_names={})

    refused, unavailable, not_found = shown("refused"), shown("unavailable"), shown("not_found")
    assert "组织架构拒绝了本账号查询住户（权限问题，不是故障）" in refused
    assert "暂时无法查询住户信息" not in refused
    assert "暂时无法查询住户信息（组织架构服务无响应）" in unavailable
    assert "组织架构中没有登记这个号码的住户。" in not_found
    assert 'class="alert"' not in not_found


def test_the_card_names_each_earlier_tickets_category() -> None:
    card = templates(ConsoleSettings()).get_template("calls/card.html")
    earlier = {"id": str(uuid.uuid4()), "number": "20261205-0007", "title": "楼道灯不亮", "status": "routing"}
    answer = {
        "phone": "139****0101",
        "earlierTickets": [
            {**earlier, "createdAt": "2026-12-05T06:03:00+00:00", "same": [], "categoryId": "c-life"},
            {**earlier, "createdAt": "2026-12-04T06:03:00+00:00", "same": [], "categoryId": None},
        ],
        "households": {"status": "not_found", "items": []},
    }
    shown = card.render(card=answer, lookup=LOOKUP, stages=STAGES, category_names={"c-life": "市民生活"})
    assert shown.count("市民生活") == 1
    assert "2026-12-05 14:03" in shown  # in the district's zone
