"""Bulk import and export through the orgtree API, against real PostgreSQL.

Files are built here with openpyxl and csv; nothing binary is checked in.
"""

from __future__ import annotations

import csv
import html
import io
import uuid
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Any

from litestar.testing import AsyncTestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.members.rules import id_card_lookup_key
from services.orgtree.models import Household, HouseholdLink, Member, MembershipTransfer, OrgNode
from shared.db.engine import make_sessionmaker
from shared.privacy import id_card_check_digit
from shared.settings import Settings
from tests.orgtree.builders import outbox
from tests.orgtree.conftest import District, bearer, make_district
from tests.platform.tokens import TestIssuer

ADMIN = ["district_admin"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UNIT_HEADER = ["树", "上级单位", "名称", "层级", "对应行政单位", "组建依据"]
UNITS = [
    ["行政", "", "瑶溪街道", "街道", "", ""],
    ["行政", "瑶溪街道", "上河村", "村", "", ""],
    ["行政", "瑶溪街道/上河村", "第一网格", "网格", "", "村民小组"],
    ["行政", "瑶溪街道/上河村", "第二网格", "网格", "", ""],
    ["行政", "", "状元街道", "街道", "", ""],
    ["行政", "状元街道", "横街社区", "社区", "", ""],
    ["行政", "状元街道/横街社区", "横街一网格", "grid", "", ""],
    ["党组织", "", "瑶溪街道党工委", "街道党工委", "瑶溪街道", ""],
    ["党组织", "瑶溪街道党工委", "上河村党支部", "党支部", "瑶溪街道/上河村", ""],
    ["党组织", "", "状元街道党工委", "街道党工委", "状元街道", ""],
    ["党组织", "状元街道党工委", "横街社区党支部", "branch", "状元街道/横街社区", ""],
]
MEMBER_HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "所在党组织",
    "所在网格",
    "党员类别",
    "标记",
    "入党日期",
    "岗位",
    "认岗方式",
]
HOUSEHOLD_HEADER = ["所在网格", "户号", "户主姓名", "地址", "联系电话", "户类别", "党员中心户", "挂牌", "挂牌日期"]
LINK_HEADER = ["党员身份证号", "党员姓名", "所在网格", "户号", "联系开始日期"]
YAOXI_GRID = "瑶溪街道/上河村/第一网格"
YAOXI_BRANCH = "瑶溪街道党工委/上河村党支部"
ZHUANGYUAN_GRID = "状元街道/横街社区/横街一网格"


def id_number(seq: int, born: str = "19800101") -> str:
    first17 = f"330303{born}{seq % 1000:03d}"
    return first17 + id_card_check_digit(first17)


def phone(seq: int) -> str:
    return f"138{seq:08d}"


def xlsx(header: Sequence[object], rows: Sequence[Sequence[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(header: Sequence[object], rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def member_row(
    seq: int, *, branch: str = YAOXI_BRANCH, grid: str = YAOXI_GRID, id_card: str | None = None
) -> list[Any]:
    return [
        f"党员{seq}",
        id_card or id_number(seq),
        phone(seq),
        branch,
        grid,
        "在职党员",
        "入党积极分子",
        "2001-07-01",
        "信息收集员",
        "个人自荐",
    ]


def household_row(label: str, *, grid: str = YAOXI_GRID, categories: str = "种植户") -> list[Any]:
    return [grid, label, "王小明", "浙江省温州市龙湾区瑶溪街道上河村3组12号", "13900001111", categories, "否", "", ""]


async def post_file(
    client: AsyncTestClient, headers: dict[str, str], kind: str, body: bytes, *, dry_run: bool = False
) -> Any:
    content_type = XLSX if body.startswith(b"PK") else "text/csv"
    return await client.post(
        f"/api/orgtree/imports/{kind}?dryRun={'true' if dry_run else 'false'}",
        content=body,
        headers={**headers, "Content-Type": content_type},
    )


async def count(engine: AsyncEngine, tenant: uuid.UUID, model: type[Any]) -> int:
    from shared.context import tenant_scope

    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def node_path(engine: AsyncEngine, tenant: uuid.UUID, name: str) -> str:
    from shared.context import tenant_scope

    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            path = await session.scalar(select(OrgNode.path).where(OrgNode.name == name))
    assert path is not None
    return path


async def setup_units(client: AsyncTestClient, issuer: TestIssuer, district: District) -> None:
    response = await post_file(client, bearer(issuer, district.id, ADMIN), "units", xlsx(UNIT_HEADER, UNITS, "单位"))
    assert response.status_code == 200, response.text


def sheet_rows(body: bytes) -> list[list[Any]]:
    if body.startswith(b"PK"):
        sheet = load_workbook(io.BytesIO(body), read_only=True, data_only=True).worksheets[0]  # formulas read None
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return [list(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]


def all_text(body: bytes) -> str:
    """The file's bytes, and for an .xlsx every part of the ZIP unpacked: what a reader could get at."""
    if not body.startswith(b"PK"):
        return body.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        # character references unescaped: openpyxl writes non-ASCII as &#21463; when lxml is installed
        return "".join(html.unescape(archive.read(name).decode("utf-8", "replace")) for name in archive.namelist())


# -- units -------------------------------------------------------------------------------------------


async def test_units_import_builds_both_trees_and_is_idempotent(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    headers = bearer(issuer, district_a.id, ADMIN)
    dry = await post_file(client, headers, "units", xlsx(UNIT_HEADER, UNITS), dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"kind": "units", "dryRun": True, "format": "xlsx", "rows": 11, "created": {}, "unchanged": 0}
    assert await count(orgtree_db, district_a.id, OrgNode) == 2

    first = await post_file(client, headers, "units", xlsx(UNIT_HEADER, UNITS))
    assert first.status_code == 200, first.text
    assert first.json()["created"] == {"units": 11}
    assert await count(orgtree_db, district_a.id, OrgNode) == 13
    again = await post_file(client, headers, "units", csv_bytes(UNIT_HEADER, UNITS))
    assert again.status_code == 200, again.text
    assert again.json()["created"] == {"units": 0}
    assert again.json()["unchanged"] == 11
    assert await count(orgtree_db, district_a.id, OrgNode) == 13

    from shared.context import tenant_scope

    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            nodes = {n.name: n for n in await session.scalars(select(OrgNode))}
    assert nodes["第一网格"].formation_basis == "villager_group"
    assert nodes["第一网格"].path.startswith(nodes["上河村"].path)
    assert nodes["上河村党支部"].linked_node_id == nodes["上河村"].id
    assert nodes["横街社区党支部"].level == "branch"


async def test_units_import_reports_bad_levels_and_unknown_parents(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    rows = [
        ["行政", "", "瑶溪街道", "街道", "", ""],
        ["行政", "瑶溪街道", "第一网格", "网格", "", ""],  # a grid cannot hang under a street
        ["行政", "不存在街道", "上河村", "村", "", ""],
        ["树林", "", "某单位", "街道", "", ""],
        ["行政", "瑶溪街道", "下河村", "村", "瑶溪街道", ""],  # only party units name a counterpart
    ]
    response = await post_file(client, bearer(issuer, district_a.id, ADMIN), "units", csv_bytes(UNIT_HEADER, rows))
    assert response.status_code == 422
    body = response.json()
    where = {(e["row"], e["column"]) for e in body["errors"]}
    assert {(3, "层级"), (4, "上级单位"), (5, "树"), (6, "对应行政单位")} <= where
    assert "nothing was stored" in body["detail"]
    assert await count(orgtree_db, district_a.id, OrgNode) == 2


# -- members -----------------------------------------------------------------------------------------


async def test_members_import_from_csv_and_xlsx(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    from_csv = await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, [member_row(i) for i in range(3)]))
    assert from_csv.status_code == 200, from_csv.text
    assert from_csv.json()["created"] == {"members": 3, "membershipTransfers": 3}
    # GB18030, as Excel on a Chinese Windows saves "CSV", and .xlsx
    gbk = await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, [member_row(3)], "gb18030"))
    assert gbk.status_code == 200, gbk.text
    rows = [member_row(i) for i in range(4, 6)]
    rows[1][4] = ""  # no grid: the branch alone places the member
    from_xlsx = await post_file(client, headers, "members", xlsx(MEMBER_HEADER, rows, "党员"))
    assert from_xlsx.status_code == 200, from_xlsx.text
    assert await count(orgtree_db, district_a.id, Member) == 6
    assert await count(orgtree_db, district_a.id, MembershipTransfer) == 6

    from shared.context import tenant_scope

    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            key = await id_card_lookup_key(session, id_number(4))  # the API's lookup finds an imported member
            member = await session.scalar(select(Member).where(Member.id_card_index == key))
            assert member is not None
            assert member.name == "党员4"
            assert member.classification == "in_service"
            assert member.flags == ["activist"]
            assert member.post_code == "info_collector"
            assert member.post_method == "self_nomination"
            assert member.joined_on == date(2001, 7, 1)
            assert member.birth_date == date(1980, 1, 1)
            assert member.phone_masked == "138****0004"
            assert member.id_card_cipher is not None
            assert id_number(4).encode() not in member.id_card_cipher
            transfer = await session.scalar(select(MembershipTransfer).where(MembershipTransfer.member_id == member.id))
            assert transfer is not None
            assert (transfer.reason, transfer.from_branch_id, transfer.to_branch_id) == (
                "joined",
                None,
                member.branch_id,
            )


async def test_one_bad_row_rejects_the_whole_file(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    rows = [member_row(i) for i in range(10, 15)]
    bad = id_number(12)
    rows[2][1] = bad[:17] + ("0" if bad[17] != "0" else "1")  # wrong check character, row 4 in Excel
    rows[4][5] = "老党员"  # not a classification, row 6
    before = await count(orgtree_db, district_a.id, Member)
    response = await post_file(client, headers, "members", xlsx(MEMBER_HEADER, rows))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert {"row": 4, "column": "身份证号"} in [{"row": e["row"], "column": e["column"]} for e in errors]
    assert any(e["row"] == 4 and "check character" in e["message"] for e in errors)
    assert any(e["row"] == 6 and e["column"] == "党员类别" for e in errors)
    assert {e["row"] for e in errors} == {4, 6}
    assert await count(orgtree_db, district_a.id, Member) == before
    assert await count(orgtree_db, district_a.id, MembershipTransfer) == before


async def test_duplicate_id_numbers_in_the_file_and_in_the_district(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    twice = [member_row(20), member_row(21), member_row(22, id_card=id_number(20).lower())]
    response = await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, twice))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"row": 4, "column": "身份证号", "message": "the same ID number as row 2"}]
    assert (await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, [member_row(20)]))).status_code == 200
    again = await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, [member_row(23), member_row(20)]))
    assert again.status_code == 422
    (error,) = again.json()["errors"]
    assert (error["row"], error["column"]) == (3, "身份证号")
    assert "already registered" in error["message"]
    assert await count(orgtree_db, district_a.id, Member) == 1


async def test_header_problems_are_named(client: AsyncTestClient, issuer: TestIssuer, district_a: District) -> None:
    header = [h for h in MEMBER_HEADER if h != "所在党组织"] + ["备注"]
    response = await post_file(client, bearer(issuer, district_a.id, ADMIN), "members", csv_bytes(header, [["x"]]))
    assert response.status_code == 422
    columns = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert columns == {(1, "所在党组织"), (1, "备注")}
    garbage = await post_file(client, bearer(issuer, district_a.id, ADMIN), "members", b"PK\x03\x04not a zip")
    assert garbage.status_code == 422
    assert garbage.json()["errors"][0]["field"] == "file"


# -- scope -------------------------------------------------------------------------------------------


async def test_units_outside_the_callers_scope_are_not_found(
    client: AsyncTestClient,
    issuer: TestIssuer,
    district_a: District,
    district_b: District,
    orgtree_db: AsyncEngine,
) -> None:
    await setup_units(client, issuer, district_a)
    street = bearer(issuer, district_a.id, ["street_admin"], await node_path(orgtree_db, district_a.id, "瑶溪街道"))
    rows = [
        household_row("1号"),
        household_row("2号", grid=ZHUANGYUAN_GRID),
        household_row("3号", grid="瑶溪街道/无此村/网格"),
    ]
    response = await post_file(client, street, "households", xlsx(HOUSEHOLD_HEADER, rows))
    assert response.status_code == 422
    errors = {e["row"]: e for e in response.json()["errors"]}
    assert set(errors) == {3, 4}
    assert errors[3]["column"] == "所在网格"
    # outside the scope reads exactly like missing
    assert errors[3]["message"] == f"no unit '{ZHUANGYUAN_GRID}' in the administrative tree"
    assert errors[4]["message"] == "no unit '瑶溪街道/无此村/网格' in the administrative tree"
    assert await count(orgtree_db, district_a.id, Household) == 0

    inside = await post_file(client, street, "households", xlsx(HOUSEHOLD_HEADER, rows[:1]))
    assert inside.status_code == 200, inside.text

    # the street's own units export re-imports unchanged, though its top unit hangs under the root it cannot see
    own_units = await client.get("/api/orgtree/exports/units?format=csv", headers=street)
    assert [row[2] for row in sheet_rows(own_units.content)[1:]] == ["瑶溪街道", "上河村", "第一网格", "第二网格"]
    again = await post_file(client, street, "units", own_units.content)
    assert again.status_code == 200, again.text
    assert again.json()["unchanged"] == 4
    new_street = await post_file(
        client, street, "units", csv_bytes(UNIT_HEADER, [["行政", "", "新街道", "街道", "", ""]])
    )
    assert new_street.status_code == 422
    assert new_street.json()["errors"][0]["column"] == "上级单位"

    # another district's unit path is simply not there
    other = await post_file(
        client, bearer(issuer, district_b.id, ADMIN), "households", csv_bytes(HOUSEHOLD_HEADER, rows[:1])
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["message"] == f"no unit '{YAOXI_GRID}' in the administrative tree"
    assert await count(orgtree_db, district_b.id, Household) == 0


async def test_roles(client: AsyncTestClient, issuer: TestIssuer, district_a: District) -> None:
    body = csv_bytes(HOUSEHOLD_HEADER, [household_row("1号")])
    assert (
        await post_file(client, bearer(issuer, district_a.id, ["grid_leader"]), "households", body)
    ).status_code == 403
    assert (await post_file(client, bearer(issuer, district_a.id, ["member"]), "households", body)).status_code == 403
    grid_leader = bearer(issuer, district_a.id, ["grid_leader"], district_a.root.path)
    assert (await client.get("/api/orgtree/exports/households", headers=grid_leader)).status_code == 200
    assert (
        await client.get("/api/orgtree/exports/households", headers=bearer(issuer, district_a.id, ["member"]))
    ).status_code == 403
    assert (
        await client.get("/api/orgtree/exports/nothing", headers=bearer(issuer, district_a.id, ADMIN))
    ).status_code in (404, 422)


# -- households and links ----------------------------------------------------------------------------


async def test_households_and_links_within_the_districts_range(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine, settings: Settings
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    households = [household_row(f"{i}号", categories="种植户、低保户") for i in range(1, 13)]
    response = await post_file(client, headers, "households", csv_bytes(HOUSEHOLD_HEADER, households))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == {"households": 12}
    placed = await outbox(settings, district_a.id, "orgtree.HouseholdPlaced")  # dispatch learns their grid
    assert len(placed) == 12
    assert len({p["household_id"] for p in placed}) == 12
    members = await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, [member_row(i) for i in (1, 2)]))
    assert members.status_code == 200, members.text

    # defaults: 5-10 households per member
    too_many = [[id_number(1), "党员1", YAOXI_GRID, f"{i}号", "2024-01-01"] for i in range(1, 12)]
    too_few = [[id_number(2), "党员2", YAOXI_GRID, f"{i}号", ""] for i in (1, 2)]
    response = await post_file(client, headers, "links", xlsx(LINK_HEADER, too_many + too_few))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(12, "党员身份证号"), (14, "党员身份证号")]
    assert "more than 10" in errors[0]["message"]
    assert "only 2" in errors[1]["message"]

    unknown = [[id_number(99), "", YAOXI_GRID, "1号", ""], [id_number(1), "别人", YAOXI_GRID, "99号", ""]]
    response = await post_file(client, headers, "links", csv_bytes(LINK_HEADER, unknown))
    assert response.status_code == 422
    where = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert where == {(2, "党员身份证号"), (3, "党员姓名"), (3, "户号")}
    assert await count(orgtree_db, district_a.id, HouseholdLink) == 0

    fine = [[id_number(1), "党员1", YAOXI_GRID, f"{i}号", "2024-01-01"] for i in range(1, 6)]
    response = await post_file(client, headers, "links", xlsx(LINK_HEADER, fine))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == {"links": 5}
    assert await count(orgtree_db, district_a.id, HouseholdLink) == 5
    again = await post_file(client, headers, "links", xlsx(LINK_HEADER, fine[:1]))
    assert again.status_code == 422
    assert "already serves" in again.json()["errors"][0]["message"]


# -- exports -----------------------------------------------------------------------------------------


async def test_exports_mask_personal_data_and_keep_to_the_scope(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    members = [member_row(1), member_row(2, branch="状元街道党工委/横街社区党支部", grid=ZHUANGYUAN_GRID)]
    assert (await post_file(client, headers, "members", csv_bytes(MEMBER_HEADER, members))).status_code == 200
    households = [household_row("瑶溪1号", categories="低保户、种植户"), household_row("状元1号", grid=ZHUANGYUAN_GRID)]
    assert (await post_file(client, headers, "households", csv_bytes(HOUSEHOLD_HEADER, households))).status_code == 200

    for file_format in ("xlsx", "csv"):
        response = await client.get(f"/api/orgtree/exports/members?format={file_format}", headers=headers)
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        content = all_text(response.content)
        for seq in (1, 2):
            assert id_number(seq) not in content
            assert phone(seq) not in content
            assert id_number(seq).encode() not in response.content
        rows = sheet_rows(response.content)
        assert rows[0] == [*MEMBER_HEADER, "基本情况", "发展能力", "技术特长", "服务意愿"]
        assert {row[1] for row in rows[1:]} == {"330***********" + id_number(s)[-4:] for s in (1, 2)}
        assert {row[2] for row in rows[1:]} == {"138****0001", "138****0002"}
        if file_format == "csv":
            assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM

        households_export = await client.get(f"/api/orgtree/exports/households?format={file_format}", headers=headers)
        content = all_text(households_export.content)
        assert "13900001111" not in content
        assert "王小明" not in content
        assert "低保户" not in content
        assert "受限" in content

    street = bearer(issuer, district_a.id, ["street_admin"], await node_path(orgtree_db, district_a.id, "瑶溪街道"))
    for kind in ("members", "households", "units"):
        response = await client.get(f"/api/orgtree/exports/{kind}?format=csv", headers=street)
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        assert "瑶溪街道" in text
        assert "状元" not in text
        assert "横街" not in text
    zhuangyuan = await node_path(orgtree_db, district_a.id, "横街社区")
    from shared.context import tenant_scope

    with tenant_scope(district_a.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            zhuangyuan_id = await session.scalar(select(OrgNode.id).where(OrgNode.path == zhuangyuan))
    outside = await client.get(f"/api/orgtree/exports/households?within={zhuangyuan_id}", headers=street)
    assert outside.status_code == 404
    within = await client.get(f"/api/orgtree/exports/households?within={zhuangyuan_id}&format=csv", headers=headers)
    assert [row[1] for row in sheet_rows(within.content)[1:]] == ["状元1号"]


async def test_export_then_import_into_a_fresh_district(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, orgtree_db: AsyncEngine
) -> None:
    await setup_units(client, issuer, district_a)
    headers = bearer(issuer, district_a.id, ADMIN)
    households = [household_row(f"{i}号", categories="种植户、五保户") for i in range(1, 4)]
    households[0][7:9] = ["党员之家", "2023-06-01"]
    households.append(household_row("=1+1号", grid=ZHUANGYUAN_GRID))  # never a formula in the export
    assert (await post_file(client, headers, "households", csv_bytes(HOUSEHOLD_HEADER, households))).status_code == 200

    units = await client.get("/api/orgtree/exports/units", headers=headers)
    exported = await client.get("/api/orgtree/exports/households", headers=headers)
    exported_csv = await client.get("/api/orgtree/exports/households?format=csv", headers=headers)
    by_label = {row[1]: row for row in sheet_rows(exported.content)[1:]}
    masked = ["王**", "浙江省温州市龙湾区****", "139****1111", "种植户、受限"]
    assert by_label["1号"][:8] == [YAOXI_GRID, "1号", *masked, "否", "党员之家"]
    assert set(by_label) == {"1号", "2号", "3号", "=1+1号"}  # read with data_only: a formula would read as None
    assert "=1+1号" in [row[1] for row in sheet_rows(exported.content)]

    fresh = await make_district(orgtree_db, "平阳县")
    fresh_headers = bearer(issuer, fresh.id, ADMIN)
    imported_units = await post_file(client, fresh_headers, "units", units.content)
    assert imported_units.status_code == 200, imported_units.text
    assert imported_units.json()["created"] == {"units": len(UNITS)}
    dry = await post_file(client, fresh_headers, "households", exported_csv.content, dry_run=True)
    assert dry.status_code == 200, dry.text
    imported = await post_file(client, fresh_headers, "households", exported.content)
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == {"households": 4}

    from shared.context import tenant_scope

    with tenant_scope(fresh.id):
        async with make_sessionmaker(orgtree_db)() as session, session.begin():
            rows = {h.label: h for h in await session.scalars(select(Household))}
    assert rows["1号"].categories == ["planting"]  # the restricted category stayed behind
    assert rows["1号"].plaque == "party_member_home"
    assert rows["1号"].plaque_issued_on == date(2023, 6, 1)
    assert rows["1号"].head_name_cipher is None  # masked values read as "not given"
    assert rows["=1+1号"].grid_path.startswith(await node_path(orgtree_db, fresh.id, "横街一网格"))

    # the same file again into the district it came from: every household is there already
    back = await post_file(client, headers, "households", exported.content)
    assert back.status_code == 422
    assert len(back.json()["errors"]) == 4


async def test_imports_take_bodies_larger_than_the_apps_default_limit(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    big = csv_bytes(["无此列"], [["x" * 1000] for _ in range(3000)])  # about 3 MB, over the app's 1 MiB default
    response = await post_file(client, bearer(issuer, district_a.id, ADMIN), "members", big)
    assert response.status_code == 422  # read and judged, not refused as too large
    assert response.json()["errors"][0] == {
        "row": 1,
        "column": "无此列",
        "message": response.json()["errors"][0]["message"],
    }
    nodes = await client.post(
        "/api/orgtree/nodes", content=big, headers={**bearer(issuer, district_a.id, ADMIN), "Content-Type": "text/csv"}
    )
    assert nodes.status_code == 413  # other routes keep the small limit


async def test_an_import_over_its_own_limit_is_413_and_stores_nothing(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(issuer, district_a.id, ADMIN)
    too_big = b"\xef\xbb\xbf" + b"x" * (64 * 1024 * 1024)  # one byte over the import limit with the BOM
    response = await post_file(client, headers, "members", too_big)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    listed = await client.get("/api/orgtree/members", headers=headers)
    assert listed.json()["items"] == []
