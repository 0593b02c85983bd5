"""The requester scores per department as an .xlsx (``reports/workbook.py``): a line per department, then the total."""

from __future__ import annotations

from typing import Any

from services.console.i18n import N_
from services.console.reports.figures import Line, Say, Table
from services.console.reports.workbook import workbook

TITLE, DEPARTMENT = N_("Scores per department"), N_("Department")
RATED, SATISFIED = N_("Tickets scored"), N_("Satisfied")
HANDLER, STATION, PROCESS, RESULT = N_("Handler"), N_("Studio or station"), N_("Process"), N_("Result")
OVERALL, TOTAL, OWN_CASES = N_("Overall"), N_("Total"), N_("Handled by the unit itself")
FILE_NAME = N_("Requester scores")
COLUMNS = ("rated", "satisfied", "handler", "station", "process", "result", "overall")


def cell(value: Any) -> str:
    """A figure as the page writes it: averages with two decimals, nothing as a dash."""
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def cells(d: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(d[c] for c in COLUMNS)


def scores_table(report: dict[str, Any], words: Say) -> Table:
    """The report's departments in the words of the page (and of the workbook)."""
    headers = (DEPARTMENT, RATED, SATISFIED, HANDLER, STATION, PROCESS, RESULT, OVERALL)
    return Table(
        title=words(TITLE),
        headers=tuple(words(h) for h in headers),
        lines=[Line(d["name"] or words(OWN_CASES), cells(d)) for d in report["departments"]],
        total=Line(words(TOTAL), cells(report["total"])),
    )


def scores_workbook(report: dict[str, Any], words: Say) -> bytes:
    return workbook([scores_table(report, words)])
