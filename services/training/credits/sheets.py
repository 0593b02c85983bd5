"""The below-target list as an .xlsx workbook (openpyxl's write-only mode, spooled to disk past a few MiB and
streamed from there, so a district-wide list never sits in memory whole)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from services.training.credits.schemas import BelowTarget

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
SHEET_TITLE = "未达标人员"
HEADERS = (
    "姓名",
    "人员类别",
    "职责",
    "年度学时",
    "培训班（期）",
    "滚动两年培训天数",
    "岗前培训",
    "未达标项",
    "人员编号",
)
KINDS = {"member": "党员", "resident": "群众"}
DUTIES = {
    "secretary": "支部书记",
    "committee_member": "支委委员",
    "village_secretary": "村党组织书记",
    "rural_cadre": "农村干部",
    "volunteer": "志愿者",
}


def amount(value: float) -> float | int:
    return int(value) if value == int(value) else value


def shortfalls(row: BelowTarget) -> str:
    return "；".join(
        f"{m.name}：{amount(m.achieved)}/{amount(m.required)}，差{amount(m.short_by)}" for m in row.missing
    )


def text(sheet: object, value: str) -> Any:
    """A cell a spreadsheet shows as text, never runs as a formula (names are typed by people)."""
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    cell.data_type = "s"
    return cell


async def below_target_workbook(rows: AsyncIterator[BelowTarget], year: int) -> tuple[IO[bytes], int]:
    """The workbook in a spooled file positioned at its start, and how many people it lists."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - streamed, then closed
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{SHEET_TITLE}（{year}年）")
    sheet.append(list(HEADERS))
    count = 0
    async for row in rows:
        count += 1
        sheet.append(
            [
                text(sheet, row.name),
                KINDS.get(row.kind, row.kind),
                "、".join(DUTIES.get(d, d) for d in row.duties),
                amount(row.credit_hours),
                row.classes,
                amount(row.training_days) if row.training_days is not None else None,
                None if row.pre_service_done is None else "已完成" if row.pre_service_done else "未完成",
                shortfalls(row),
                str(row.person_id),
            ]
        )
    workbook.save(spool)
    spool.seek(0)
    return spool, count


def chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
