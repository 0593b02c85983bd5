"""Chinese full-text search (DOC-06): the seeds' terms inside longer text, every word must match, ranks, access,
deleted documents, paging, and bad queries named."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document
from services.documents.search.indexing import forget
from services.documents.search.models import DocumentSearch
from services.documents.settings import get_documents_settings
from tests.documents.builders import District, admin, bearer, street_admin
from tests.documents.search_builders import delete, indexed
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
SEARCH = "/api/documents/search"


async def found(client: Client, token: str, q: str, **params: Any) -> list[dict[str, Any]]:
    answer = await client.get(SEARCH, params={"q": q, **params}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_the_seeds_terms_are_found_inside_longer_text(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    referral = await indexed(
        district_a, "市场监管事项处理情况", description="瑶溪街道向区市场监管局发出抄告单后的跟踪处理情况说明"
    )
    cells = await indexed(district_a, "南浦社区开展最美红色细胞评选活动总结")
    courtyard = await indexed(district_a, "议事协商记录", fields={"place": "南浦社区四和院议事厅", "attendees": 12})
    wishes = await indexed(district_a, "困难群众微心愿认领情况", description="通过96345热线收集的需求")
    token = admin(issuer, district_a)

    for word, document_id in (
        ("抄告单", referral),
        ("红色细胞", cells),
        ("四和院", courtyard),
        ("微心愿", wishes),
        ("96345", wishes),
    ):
        hits = await found(client, token, word)
        assert [hit["document"]["id"] for hit in hits] == [str(document_id)], word
        assert word in (hits[0]["snippet"] or ""), hits[0]
        assert hits[0]["rank"] > 0
    # a name jieba cuts differently in a sentence (由张 强磊) is found by its characters
    assigned = await indexed(district_a, "工作分工", description="经街道党工委研究，决定由张强磊同志负责网格走访")
    assert [hit["document"]["id"] for hit in await found(client, token, "张强磊")] == [str(assigned)]
    # a shorter word inside a longer term is found too, and so is a word of the type's name (会议纪要)
    assert [hit["document"]["id"] for hit in await found(client, token, "细胞")] == [str(cells)]
    assert len(await found(client, token, "会议纪要")) == 5


async def test_every_word_must_match_and_the_title_ranks_first(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    in_title = await indexed(district_a, "第三网格走访台账")
    in_text = await indexed(district_a, "社区走访记录", description="本月对第三网格的困难家庭逐户走访")
    elsewhere = await indexed(district_a, "楼道清理通知", description="第五网格楼道杂物清理")
    token = admin(issuer, district_a)

    hits = await found(client, token, "网格")
    assert hits[0]["document"]["id"] == str(in_title)  # weight A beats the descriptions' B
    assert {hit["document"]["id"] for hit in hits} == {str(in_title), str(in_text), str(elsewhere)}
    both = await found(client, token, "网格 走访")
    assert {hit["document"]["id"] for hit in both} == {str(in_title), str(in_text)}
    assert await found(client, token, "网格 抄告单") == []


async def test_a_street_admin_finds_only_their_streets_documents_and_no_other_district_finds_any(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    mine = await indexed(district_a, "瑶溪街道流动党员登记", street=0)
    theirs = await indexed(district_a, "南浦街道流动党员登记", street=1)

    district = await found(client, admin(issuer, district_a), "流动党员")
    assert {hit["document"]["id"] for hit in district} == {str(mine), str(theirs)}
    street = await found(client, street_admin(issuer, district_a, street=0), "流动党员")
    assert [hit["document"]["id"] for hit in street] == [str(mine)]
    assert await found(client, admin(issuer, district_b), "流动党员") == []
    # the unit filter narrows within what the caller may read
    narrowed = await found(client, admin(issuer, district_a), "流动党员", unitPath=district_a.streets[1])
    assert [hit["document"]["id"] for hit in narrowed] == [str(theirs)]


async def test_deleted_documents_are_not_found(client: Client, issuer: TestIssuer, district_a: District) -> None:
    kept = await indexed(district_a, "党员考绩月报表（十一月）")
    gone = await indexed(district_a, "党员考绩月报表（十月）")
    await delete(district_a, gone)

    hits = await found(client, admin(issuer, district_a), "党员考绩")
    assert [hit["document"]["id"] for hit in hits] == [str(kept)]

    # once its files are deleted, the text read from them goes too
    async def forget_it(session: AsyncSession) -> int | None:
        await forget(session, gone)
        left: int | None = await session.scalar(
            select(func.count()).select_from(DocumentSearch).where(DocumentSearch.document_id == gone)
        )
        return left

    assert await district_a.run(forget_it) == 0


async def test_hits_come_in_pages_and_filter_by_type(client: Client, issuer: TestIssuer, district_a: District) -> None:
    made = {str(await indexed(district_a, f"四和院议事记录第{n}期")) for n in range(3)}
    token = admin(issuer, district_a)

    first = await client.get(SEARCH, params={"q": "四和院", "limit": 2}, headers=bearer(token))
    assert first.status_code == 200, first.text
    assert len(first.json()["items"]) == 2
    assert first.json()["next"]
    second = await client.get(
        SEARCH, params={"q": "四和院", "limit": 2, "cursor": first.json()["next"]}, headers=bearer(token)
    )
    page_two = second.json()
    assert page_two["next"] is None
    ids = [hit["document"]["id"] for hit in first.json()["items"] + page_two["items"]]
    assert sorted(ids) == sorted(made)
    assert await found(client, token, "四和院", type="referral_notice") == []
    assert len(await found(client, token, "四和院", type="minutes")) == 3


async def test_a_bad_query_is_refused_naming_the_parameter(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(admin(issuer, district_a))
    for params, field in (
        ({}, "query.q"),
        ({"q": ""}, "query.q"),
        ({"q": "   "}, "query.q"),
        ({"q": "网" * 201}, "query.q"),
        ({"q": "，。！"}, "query.q"),
        ({"q": "网格", "cursor": "nonsense"}, "query.cursor"),
        ({"q": "网格", "limit": "0"}, "query.limit"),
    ):
        refused = await client.get(SEARCH, params=params, headers=headers)
        assert refused.status_code == 422, (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field in {error["field"] for error in refused.json()["errors"]}, (params, refused.text)


async def test_a_document_moved_to_another_street_is_found_there_only(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    moved = await indexed(district_a, "网格走访情况说明", street=0)

    async def move(session: AsyncSession) -> None:  # as a subject placed in another grid moves its documents
        row = await session.get(Document, moved)
        assert row is not None
        row.anchor_path = district_a.streets[1]
        await session.flush()

    await district_a.run(move)
    assert await found(client, street_admin(issuer, district_a, street=0), "网格走访") == []
    there = await found(client, street_admin(issuer, district_a, street=1), "网格走访")
    assert [hit["document"]["id"] for hit in there] == [str(moved)]
    by_unit = await found(client, admin(issuer, district_a), "网格走访", unitPath=district_a.streets[0])
    assert by_unit == []


async def test_a_word_in_more_documents_than_are_ranked_says_so_and_ranks_the_newest(
    client: Client, issuer: TestIssuer, district_a: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    oldest = await indexed(district_a, "红色细胞 红色细胞 红色细胞 工作台账")  # the best match, but the oldest
    newer = [await indexed(district_a, f"红色细胞活动记录第{n}期") for n in range(3)]
    monkeypatch.setenv("REDCELL_DOCUMENTS__SEARCH_CANDIDATES", "3")
    get_documents_settings.cache_clear()
    try:
        answer = await client.get(SEARCH, params={"q": "红色细胞"}, headers=bearer(admin(issuer, district_a)))
    finally:
        monkeypatch.delenv("REDCELL_DOCUMENTS__SEARCH_CANDIDATES")
        get_documents_settings.cache_clear()
    page = answer.json()
    assert page["limited"] is True
    assert sorted(hit["document"]["id"] for hit in page["items"]) == sorted(map(str, newer))
    everything = await client.get(SEARCH, params={"q": "红色细胞"}, headers=bearer(admin(issuer, district_a)))
    assert everything.json()["limited"] is False
    assert everything.json()["items"][0]["document"]["id"] == str(oldest)
