"""The staffing compliance report as an .xlsx workbook, in Chinese as the console shows it."""

from __future__ import annotations

from typing import IO

from services.orgtree.bulk.formats import SheetWriter
from services.orgtree.redflag.schemas import ComplianceView
from services.orgtree.redflag.staffing import STAFF_ROLES

HEADERS = ("单位", "层级", "人员类别", "应配", "实配", "缺额", "是否达标")


def compliance_workbook(report: ComplianceView) -> IO[bytes]:
    writer = SheetWriter("xlsx", f"人员配备（{report.as_of.isoformat()}）", HEADERS)
    for row in report.rows:
        writer.append(
            [
                row.unit_name,
                row.level_label,
                STAFF_ROLES.get(row.role, row.role),
                row.required,
                row.actual,
                row.short_by,
                "达标" if row.met else "未达标",
            ]
        )
    return writer.finish()
