"""The boards as anyone reads them, without signing in, by the district's slug: only what is on show, only public
fields, no personal data or internal ids; a withdrawn publication disappears; a file only while it is posted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

import services.documents.tenants.actors  # noqa: F401 - registers the handler on the consumer
from services.documents.boards.catalogue import BOARDS
from shared.contracts.tenants import TenantProvisioned
from shared.settings import Settings
from shared.storage import ObjectStore, tenant_key
from tests.documents.boards_support import Client, open_boards, publish, regulation, staff
from tests.documents.builders import District, admin, bearer
from tests.documents.generated_support import deliver
from tests.platform.tokens import TestIssuer

POSTING_KEYS = {"id", "title", "fields", "unitPath", "unitName", "note", "publishedAt", "hasFile"}


async def _bytes(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def test_the_public_reads_a_districts_board_by_its_slug_with_public_fields_only(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    slug = await open_boards(district_a)
    other_slug = await open_boards(district_b)
    headers = bearer(admin(issuer, district_a))
    first = (await publish(client, headers, await regulation(district_a, "第一街道制度"), note="欢迎监督")).json()
    second = (await publish(client, headers, await regulation(district_a, "第二街道制度", street=1))).json()
    await publish(client, bearer(admin(issuer, district_b)), await regulation(district_b, "另一个区的制度"))

    board = await client.get(f"/api/documents/public/{slug}/boards/three_affairs")  # no token
    assert board.status_code == 200, board.text
    body = board.json()
    assert (body["district"], body["board"]["name"]) == (district_a.name, "三务公开栏")
    assert [row["id"] for row in body["items"]] == [second["id"], first["id"]]
    posting = body["items"][1]
    assert set(posting) == POSTING_KEYS  # no document, unit or user ids, no names of who posted it
    assert posting["fields"] == {"effectiveFrom": "2026-01-01", "trial": True}
    assert (posting["title"], posting["note"], posting["unitName"]) == ("第一街道制度", "欢迎监督", "瑶溪街道")
    assert "张三" not in board.text

    one_street = await client.get(
        f"/api/documents/public/{slug}/boards/three_affairs", params={"unitPath": district_a.streets[1]}
    )
    assert [row["id"] for row in one_street.json()["items"]] == [second["id"]]
    listed = await client.get(f"/api/documents/public/{slug}/boards")
    assert [b["code"] for b in listed.json()["boards"]] == [code for code, _, _ in BOARDS]

    withdrawn = await client.post(
        f"/api/documents/publications/{second['id']}/withdraw", json={"reason": "公示期满"}, headers=headers
    )
    assert withdrawn.status_code == 200
    after = await client.get(f"/api/documents/public/{slug}/boards/three_affairs")
    assert [row["id"] for row in after.json()["items"]] == [first["id"]]

    theirs = (await client.get(f"/api/documents/public/{other_slug}/boards/three_affairs")).json()
    assert [row["title"] for row in theirs["items"]] == ["另一个区的制度"]
    assert theirs["district"] == district_b.name
    assert (await client.get("/api/documents/public/no-such-district/boards/three_affairs")).status_code == 404
    assert (await client.get(f"/api/documents/public/{slug}/boards/no_such_board")).status_code == 404
    bad = await client.get(f"/api/documents/public/{slug}/boards/three_affairs", params={"unitPath": "x"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.unitPath"


async def test_a_type_the_district_stops_making_public_leaves_the_board_and_so_does_a_field(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    slug = await open_boards(district_a)
    headers = bearer(admin(issuer, district_a))
    posted = (await publish(client, headers, await regulation(district_a))).json()
    page = f"/api/documents/public/{slug}/boards/three_affairs"
    narrowed = await client.patch(
        "/api/documents/types/regulation", json={"publicFields": ["effectiveFrom"]}, headers=headers
    )
    assert narrowed.status_code == 200, narrowed.text
    assert (await client.get(page)).json()["items"][0]["fields"] == {"effectiveFrom": "2026-01-01"}
    await client.patch("/api/documents/types/regulation", json={"visibility": "internal"}, headers=headers)
    assert (await client.get(page)).json()["items"] == []
    record = await client.get(f"/api/documents/publications/{posted['id']}", headers=headers)
    assert (record.json()["state"], record.json()["shown"], record.json()["fields"]) == ("published", False, {})


async def test_the_public_downloads_a_posted_file_only_while_it_is_posted(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District, district_b: District
) -> None:
    slug = await open_boards(district_a)
    other_slug = await open_boards(district_b)
    document = await regulation(district_a)
    key = tenant_key(district_a.id, "documents", document.id, 1)  # the builder's stored version
    await ObjectStore(settings).put_stream(key, _bytes(b"%PDF-1.4 regulation"), max_bytes=1024)
    headers = staff(issuer, district_a, "street_admin", district_a.streets[0])
    posted = (await publish(client, headers, document)).json()
    link = f"/api/documents/public/{slug}/boards/three_affairs/publications/{posted['id']}/file"

    answer = await client.get(link)
    assert answer.status_code == 200, answer.text
    assert answer.json()["filename"] == "minutes.pdf"
    async with httpx.AsyncClient() as http:
        fetched = await http.get(answer.json()["url"])
    assert fetched.status_code == 200
    assert fetched.content == b"%PDF-1.4 regulation"
    assert "attachment" in fetched.headers["content-disposition"]

    assert (await client.get(link.replace(slug, other_slug))).status_code == 404
    assert (await client.get(link.replace("three_affairs", "supervision_board"))).status_code == 404
    await client.post(f"/api/documents/publications/{posted['id']}/withdraw", json={"reason": "撤下"}, headers=headers)
    assert (await client.get(link)).status_code == 404


async def test_a_provisioned_district_gets_its_boards_and_its_slug_once(
    client: Client, settings: Settings, district_a: District
) -> None:
    slug = f"p-{district_a.id.hex[:12]}"
    provisioned = TenantProvisioned(tenant_id=district_a.id, slug=slug, name="新建区")
    await deliver(settings, provisioned)
    await deliver(settings, provisioned)  # redelivered under a new envelope: nothing changes
    listed = await client.get(f"/api/documents/public/{slug}/boards")
    assert listed.status_code == 200, listed.text
    assert listed.json()["district"] == "新建区"
    assert [b["code"] for b in listed.json()["boards"]] == [code for code, _, _ in BOARDS]
