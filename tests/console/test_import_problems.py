"""Every problem orgtree's import reports about a file's rows reads in Chinese on the console (bulk/problems.py).

Sheets built here trigger each kind of problem through orgtree's real import (its API, checking only: dryRun), so
the messages are orgtree's own, not copies; each one that comes back must match a pattern of the console's, and
a few are read word for word as a cadre sees them, the sheet's values in place."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.console.bulk.problems import PATTERNS, Problem, explain
from services.console.bulk.report import write_report
from services.console.i18n import translations
from services.orgtree.app import MIGRATIONS, create_app
from services.orgtree.bulk import stalls
from services.orgtree.bulk.formats import open_table
from services.orgtree.bulk.importers import frame
from services.orgtree.bulk.jobs import REPORT_HEADERS, REPORT_TITLE
from services.orgtree.models import OrgNode
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.http.problems import ProblemError
from shared.settings import Settings
from tests.orgtree.conftest import District, bearer, make_district
from tests.orgtree.test_bulk import (
    HOUSEHOLD_HEADER,
    LINK_HEADER,
    MEMBER_HEADER,
    UNIT_HEADER,
    UNITS,
    YAOXI_GRID,
    csv_bytes,
    household_row,
    id_number,
    member_row,
    post_file,
    xlsx,
)
from tests.orgtree.test_import_jobs import cut_short
from tests.platform.plugin import prepare_database
from tests.platform.tokens import TestIssuer

ADMIN = ["district_admin"]
# Patterns no import can reach today: the post's catalogue is checked by the cell's parser first (its
# "is not one of" message), so the member rules' own message about it never reaches a row.
UNREACHABLE = {"'%(value)s' is not in this district's post catalogue: %(allowed)s"}
gettext = translations("zh_CN").gettext
Orgtree = tuple[AsyncTestClient[Litestar], AsyncEngine]


@pytest.fixture(scope="module")
async def orgtree(settings: Settings, issuer: TestIssuer) -> AsyncIterator[Orgtree]:
    """orgtree's app on its migrated database, as tests/orgtree's fixtures make it."""
    await prepare_database(settings, "orgtree", MIGRATIONS)
    engine = make_engine(settings, "orgtree", "app")
    async with AsyncTestClient(create_app(settings, verifier=issuer.verifier())) as client:
        yield client, engine
    await engine.dispose()


class Sheets:
    """A district with the units of tests/orgtree/test_bulk.py; files sent to its import, the problems collected."""

    def __init__(self, client: AsyncTestClient[Litestar], issuer: TestIssuer, district: District) -> None:
        self.client = client
        self.issuer = issuer
        self.district = district
        self.headers = bearer(issuer, district.id, ADMIN)
        self.messages: list[str] = []

    async def stored(self, kind: str, body: bytes) -> None:
        answer = await post_file(self.client, self.headers, kind, body)
        assert answer.status_code == 200, answer.text

    async def problems(
        self, kind: str, body: bytes, headers: dict[str, str] | None = None
    ) -> dict[tuple[int, str], str]:
        """The problems of a checked file by (row, column); every message is also kept for the coverage check."""
        answer = await post_file(self.client, headers or self.headers, kind, body, dry_run=True)
        assert answer.status_code == 422, answer.text
        errors = answer.json()["errors"]
        self.messages += [e["message"] for e in errors]
        return {(e.get("row", 0), e.get("column") or e.get("field", "")): e["message"] for e in errors}


def words(message: str) -> Problem:
    return explain(message, gettext)


@pytest.fixture
async def sheets(orgtree: Orgtree, issuer: TestIssuer) -> Sheets:
    client, engine = orgtree
    district = await make_district(engine, "龙湾区")
    made = Sheets(client, issuer, district)
    await made.stored("units", xlsx(UNIT_HEADER, UNITS, "单位"))
    return made


async def node(engine: AsyncEngine, tenant: uuid.UUID, name: str) -> OrgNode:
    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            found = await session.scalar(select(OrgNode).where(OrgNode.name == name))
    assert found is not None
    return found


def members(rows: list[list[Any]], header: list[str] = MEMBER_HEADER) -> bytes:
    return xlsx(header, rows, "党员")


async def test_every_problem_an_import_reports_reads_in_chinese(
    sheets: Sheets, orgtree: Orgtree, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, engine = orgtree
    tenant = sheets.district.id
    village = await node(engine, tenant, "上河村")

    # units: cells, levels, parents, names; a scoped caller at the trees' roots; an ambiguous name path
    for _ in range(2):  # the API adds a second unit of the same name beside the first
        added = await client.post(
            "/api/orgtree/nodes/",
            json={"parentId": str(village.id), "level": "grid", "name": "重名网格"},
            headers=sheets.headers,
        )
        assert added.status_code == 201, added.text
    units = await sheets.problems(
        "units",
        xlsx(
            UNIT_HEADER,
            [
                ["行政", "瑶溪街道", "", "村", "", ""],  # row 2: no name
                ["行政", "瑶溪街道", "长" * 201, "村", "", ""],
                ["树林", "", "某单位", "街道", "", ""],  # row 4: no such tree
                ["行政", "瑶溪街道", "下河村", "大村", "", ""],  # no such level
                ["行政", "瑶溪街道", "西河村", "村", "瑶溪街道", ""],  # row 6: only party units name a counterpart
                ["行政", "瑶溪街道", "第二网格", "网格", "", ""],  # a grid under a street
                ["行政", "瑶溪街道", "东河村", "村", "", "村民小组"],  # row 8: only grids have a formation basis
                ["行政", "瑶溪街道", "北河村", "村", "", ""],
                ["行政", "瑶溪街道", "北河村", "村", "", ""],  # row 10: the same unit as row 9
                ["行政", "瑶溪街道", "上河村", "社区", "", ""],  # already there as a village
                ["行政", "不存在街道", "南河村", "村", "", ""],  # row 12
                ["党组织", "不存在党工委", "南河村党支部", "党支部", "", ""],
                ["行政", "瑶溪街道/上河村/重名网格", "小组", "村民小组", "", ""],  # row 14: two units of that name
                ["行政", "瑶溪街道", "中河村", "村", "瑶溪街道/上河村/第一网格/无", ""],
            ],
            "单位",
        ),
    )
    street = (await node(engine, tenant, "瑶溪街道")).path
    scoped = bearer(sheets.issuer, tenant, ["street_admin"], street)
    await sheets.problems(
        "units",
        xlsx(UNIT_HEADER, [["行政", "", "新街道", "街道", "", ""], ["党组织", "", "新党工委", "街道党工委", "", ""]]),
        scoped,
    )

    # members: identity cells, dates, choices, units of the wrong level, rules, duplicates in the file and stored
    stored_id = id_number(1)
    await sheets.stored("members", members([member_row(1, id_card=stored_id)]))
    bad_check = id_number(2)[:-1] + ("0" if id_number(2)[-1] != "0" else "1")
    rows = [member_row(n) for n in range(10, 24)]
    rows[0][1] = 1.5  # row 2: an ID number with decimals
    rows[1][1] = 330303198001011234.0  # rounded by Excel
    rows[2][7] = "昨天"  # row 4: not a date
    rows[3][7] = "2024-13-01"
    rows[4][7] = "2099-01-01"  # row 6: in the future
    rows[5][6] = "好党员"  # an unknown flag
    rows[6][1] = bad_check  # row 8: a wrong check character
    rows[7][2] = "12345"  # not a mobile number
    rows[8][9] = ""  # row 10: a post without how it was claimed
    rows[9][1] = stored_id  # already registered
    rows[11][1] = rows[10][1]  # row 13: the same ID number as row 12
    rows[12][4] = "瑶溪街道/上河村"  # row 14: a village, not a grid
    rows[13][3] = "瑶溪街道党工委"  # row 15: holds no members
    member_problems = await sheets.problems("members", members(rows))
    await sheets.problems("members", members([member_row(30)], [*MEMBER_HEADER, "备注", "姓名"]))
    await sheets.problems("members", members([member_row(31)[1:]], MEMBER_HEADER[1:]))
    await sheets.problems("members", members([]))
    monkeypatch.setattr(frame, "MAX_ROWS", 1)
    await sheets.problems("members", members([member_row(32), member_row(33)]))
    monkeypatch.undo()
    long_field = [[*member_row(34)[:-1], "个" * 140_000]]  # over the csv module's field limit
    await sheets.problems("members", csv_bytes(MEMBER_HEADER, long_field))

    # households: a yes/no cell, a plaque date without a plaque, duplicates in the file and stored
    labels = [f"{n}号" for n in range(1, 12)]
    await sheets.stored("households", xlsx(HOUSEHOLD_HEADER, [household_row(label) for label in labels], "户"))
    households = [household_row(label) for label in ("20号", "21号", "22号", "22号", "1号")]
    households[0][6] = "也许"
    households[1][8] = "2020-05-01"
    await sheets.problems("households", xlsx(HOUSEHOLD_HEADER, households, "户"))

    # links: members not found or named wrongly, households not found, the district's range (5-10) both ways
    serving, busy, idle = id_number(40), id_number(41), id_number(42)
    await sheets.stored(
        "members", members([member_row(n, id_card=i) for n, i in ((40, serving), (41, busy), (42, idle))])
    )
    served = [[serving, "党员40", YAOXI_GRID, label, ""] for label in labels[:5]]  # the least of the range
    await sheets.stored("links", xlsx(LINK_HEADER, served))
    links = [
        [serving, "党员40", YAOXI_GRID, "1号", ""],  # row 2: already serves it
        [id_number(43), "", YAOXI_GRID, "1号", ""],  # no such member
        [idle, "别人", YAOXI_GRID, "1号", ""],  # row 4: not the member's name
        [idle, "党员42", YAOXI_GRID, "99号", ""],  # no such household
        [idle, "党员42", YAOXI_GRID, "2号", ""],  # row 6: the member would serve only this one
        *([busy, "党员41", YAOXI_GRID, label, ""] for label in labels),  # rows 7-17: eleven households
        [busy, "党员41", YAOXI_GRID, "1号", ""],  # row 18: the same link as row 7
    ]
    link_problems = await sheets.problems("links", xlsx(LINK_HEADER, links))

    untranslated = sorted({m for m in sheets.messages if not words(m).known})
    assert untranslated == []
    matched = {catalogue_id for m in sheets.messages for p, catalogue_id in PATTERNS if p.fullmatch(m)}
    assert {catalogue_id for _, catalogue_id in PATTERNS} - matched == UNREACHABLE

    # a few as a cadre reads them, the sheet's values in place
    assert words(units[(4, "树")]).words == "「树林」不是可选的值，可选：行政、党组织"
    assert words(units[(12, "上级单位")]).words == "行政架构中没有单位「不存在街道」，或它不在您的管辖范围内"
    assert words(units[(10, "名称")]).words == "第 9 行已添加同一单位"
    assert words(units[(14, "上级单位")]).words == (
        "「瑶溪街道/上河村/重名网格」不明确：该处有 2 个名为「重名网格」的单位"
    )
    assert words(member_problems[(5, "入党日期")]).words == "「2024-13-01」不是真实存在的日期"
    assert words(member_problems[(6, "入党日期")]).words == "日期晚于今天"
    assert words(member_problems[(13, "身份证号")]).words == "与第 12 行的身份证号相同"
    assert words(member_problems[(14, "所在网格")]).words == "「上河村」是村（village），不是网格"
    assert words(link_problems[(5, "户号")]).words == "该网格中没有户号「99号」"
    assert words(link_problems[(17, "党员身份证号")]).words == (
        "该党员联系的户数将超过 10 户（本区规定每名党员联系 5–10 户）"
    )
    assert words(link_problems[(6, "党员身份证号")]).words == "该党员将只联系 1 户（本区规定每名党员联系 5–10 户）"


def test_a_message_without_a_pattern_is_shown_as_it_came() -> None:
    assert words("something orgtree says one day") == Problem("something orgtree says one day", known=False)
    # a value quoted from the sheet is put in as it was, even when it looks like a placeholder
    assert words("'%(x)s 100%' is not a real date").words == "「%(x)s 100%」不是真实存在的日期"


def test_the_report_names_each_row_and_column_with_the_problems_translated() -> None:
    problems = {  # as orgtree's GET .../problems answers for a failed job
        "errors": [
            {"row": 3, "column": "入党日期", "message": "'2024-13-01' is not a real date"},
            {"row": 4, "column": "姓名", "message": "=SUM(A1) is what orgtree may say one day"},
        ],
        "detail": "2 problem(s) in 2 row(s); nothing was stored",
    }
    with write_report(problems, gettext) as written:
        book = load_workbook(io.BytesIO(written.read()))
    sheet = book.worksheets[0]
    assert sheet.title == REPORT_TITLE
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        list(REPORT_HEADERS),
        [3, "入党日期", "「2024-13-01」不是真实存在的日期"],
        [4, "姓名", "=SUM(A1) is what orgtree may say one day"],
    ]
    assert sheet["C3"].data_type == "s"  # text, never run as a formula

    whole = {"errors": [], "detail": stalls.STALLED}  # no row to blame: the reason is the report's one line
    with write_report(whole, gettext) as written:
        lines = [
            list(row) for row in load_workbook(io.BytesIO(written.read())).worksheets[0].iter_rows(values_only=True)
        ]
    assert lines[1] == [None, None, "导入已中断：进度已 15 分钟没有变化，请重新导入该文件"]


def test_a_jobs_outcome_as_a_whole_reads_in_chinese() -> None:
    """orgtree's own words for a job no row is to blame for: a sheet damaged after its header, an import that
    stopped (the scheduler's sweep)."""
    table = open_table(cut_short(xlsx(MEMBER_HEADER, [member_row(n) for n in range(1, 200)], "党员")), "党员")
    with pytest.raises(ProblemError) as damaged:
        list(table.rows)
    row = re.fullmatch(r"the sheet cannot be read after row (\d+) \(ParseError\)", str(damaged.value.detail))
    assert row is not None
    assert words(str(damaged.value.detail)).words == (
        f"工作表第 {row[1]} 行之后无法读取（ParseError）：文件可能已损坏，请重新另存为 .xlsx"
    )
    assert words(stalls.STALLED).words == "导入已中断：进度已 15 分钟没有变化，请重新导入该文件"
