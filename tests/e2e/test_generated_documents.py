"""A referral notice end to end, every process real: the street supervision meeting issues it through dispatch's API,
the event crosses dispatch's outbox, relay and documents' queue, and documents' worker renders and files the PDF,
which the library then lists under the referral."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

from tests.platform.platform import RunningPlatform, auth


def until(what: str, probe: Callable[[], Any], timeout_s: float = 60) -> Any:
    """Poll ``probe`` until it returns something truthy (events cross processes); a generous wait, not a timing."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.3)
    msg = f"{what} never happened"
    raise TimeoutError(msg)


def test_a_referral_issued_through_dispatch_becomes_a_filed_pdf(platform: RunningPlatform) -> None:
    gateway, admin = platform.gateway, auth(platform.a.token)
    catalogue = until("the hotline's setup", lambda: httpx.get(f"{gateway}/api/dispatch/catalogue", headers=admin))
    life = next(c for c in catalogue.json() if c["code"] == "citizen_life")
    call = {"channel": "phone", "title": "瑶溪小区路灯损坏", "categoryId": life["id"], "address": "瑶溪小区3幢"}
    filed = httpx.post(f"{gateway}/api/dispatch/tickets", json=call, headers=admin)
    assert filed.status_code == 201, filed.text
    ticket = filed.json()["ticket"]
    for level in (1, 2, 3):
        climbed = httpx.post(
            f"{gateway}/api/dispatch/tickets/{ticket['id']}/escalations",
            json={"toLevel": level, "reason": "本级无法化解"},
            headers=admin,
        )
        assert climbed.status_code == 200, climbed.text
    body = {
        "meeting": "瑶溪街道红色细胞督办会",
        "responsibleUnit": "瑶溪街道城管中队",
        "responsiblePerson": "王队长",
        "dueOn": (date.today() + timedelta(days=10)).isoformat(),
    }
    issued = httpx.post(f"{gateway}/api/dispatch/tickets/{ticket['id']}/referrals", json=body, headers=admin)
    assert issued.status_code in {200, 201}, issued.text
    referral = issued.json()

    def listed() -> list[dict[str, Any]]:
        query = {"subjectKind": "referral", "subjectId": referral["id"]}
        answer = httpx.get(f"{gateway}/api/documents/documents", params=query, headers=admin)
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    [notice] = until("the referral notice in the library", listed)
    assert notice["typeCode"] == "referral_notice"
    assert notice["title"] == f"抄告单 {referral['number']}"
    assert notice["version"]["contentType"] == "application/pdf"
    assert notice["version"]["sizeBytes"] > 1000
    other = auth(platform.b.token)
    assert httpx.get(f"{gateway}/api/documents/documents/{notice['id']}", headers=other).status_code == 404
