"""What the boards' and archive's browser tests share: streets made in orgtree, documents filed through the
documents API as a browser does (POST /uploads, PUT the bytes to the grant's URL, confirm), the boards once the
documents worker has seeded them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.support import until
from tests.platform.platform import RunningPlatform, auth

UPLOADS = "/api/documents/uploads"


def pdf(size: int = 2048) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + b"0" * (size - len(head))


def filed(
    platform: RunningPlatform,
    token: str,
    type_code: str,
    title: str,
    unit: dict[str, Any],
    *,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A document of ``type_code`` on ``unit`` with a small PDF, stored; its view."""
    data = pdf()
    body = {
        "typeCode": type_code,
        "title": title,
        "filename": f"{title}.pdf",
        "contentType": "application/pdf",
        "sizeBytes": len(data),
        "fields": fields or {},
        "unitId": unit["id"],
        "unitPath": unit["path"],
        "unitName": unit["name"],
    }
    started = httpx.post(f"{platform.gateway}{UPLOADS}", json=body, headers=auth(token))
    assert started.status_code == 201, started.text
    grant = started.json()["upload"]
    sent = httpx.put(grant["url"], content=data, headers=grant["headers"])
    assert sent.status_code == 200, sent.text
    confirmed = httpx.post(
        f"{platform.gateway}{UPLOADS}/{started.json()['versionId']}/confirm", json={}, headers=auth(token)
    )
    assert confirmed.status_code == 200, confirmed.text
    document: dict[str, Any] = confirmed.json()["document"]
    return document


def boards_ready(platform: RunningPlatform, token: str) -> list[dict[str, Any]]:
    """The district's boards, once the documents worker has seeded them from the district's provisioning."""

    def seeded() -> list[dict[str, Any]] | None:
        answer = httpx.get(f"{platform.gateway}/api/documents/boards", headers=auth(token))
        items: list[dict[str, Any]] = answer.json()["items"] if answer.status_code == 200 else []
        return items if len(items) >= 4 else None

    found: list[dict[str, Any]] = until("the district's boards", seeded)
    return found
