"""What every import shares: the row report, the header's column positions, the cell parsers, and the frame
that checks a whole file and then stores it in the caller's transaction (or stores nothing)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.columns import COLUMNS, SHEET_TITLES, BulkKind, CellError, Column, choice, limited, text
from services.orgtree.bulk.formats import open_table
from services.orgtree.bulk.tree import Unit, UnitIndex
from services.orgtree.levels.services import LevelSchema, load_schema
from services.orgtree.models import TreeKind
from services.orgtree.nodes.services import NodeService
from shared import audit
from shared.auth.principal import Principal
from shared.http.problems import FieldErrors, ProblemError

T = TypeVar("T")
MAX_ROWS = 200_000
LISTED_ERRORS = 1_000  # the report lists this many; the detail says how many there are
KEPT_ERRORS = 100_000
BATCH = 500  # rows per INSERT statement group, and per progress report of an import job (2,000 took 1.5 s loaded)
LOOKUP_CHUNK = 5_000


@dataclass
class ImportResult:
    kind: BulkKind
    dry_run: bool
    format: str  # xlsx | csv, as read from the file's bytes
    rows: int
    created: dict[str, int]
    unchanged: int = 0


@dataclass
class RowErrors:
    """Problems as ``{row, column, message}``, row numbers as Excel shows them (the header is row 1).

    Not the kernel's ``FieldErrors``: those name one input's fields, these a file's rows and columns, and
    a file may hold many more of them than a report lists. The rules' ``FieldErrors`` of one row are
    reported here against the columns holding those fields (``Importer.fail_fields``).
    """

    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        self.rows.add(row)
        if len(self.items) < KEPT_ERRORS:
            self.items.append({"row": row, "column": column, "message": message})

    def sorted_items(self) -> list[dict[str, Any]]:
        return sorted(self.items, key=lambda e: e["row"])

    def problem(self) -> RejectedRowsError:
        listed = self.sorted_items()[:LISTED_ERRORS]
        shown = "" if self.count <= LISTED_ERRORS else f"; the first {LISTED_ERRORS} are listed"
        detail = f"{self.count} problem(s) in {len(self.rows)} row(s); nothing was stored{shown}"
        return RejectedRowsError(self, detail, listed)


class RejectedRowsError(ProblemError):
    """The 422 of a file with bad rows; an import job keeps every kept problem for its report (``report``)."""

    def __init__(self, report: RowErrors, detail: str, listed: list[dict[str, Any]]) -> None:
        super().__init__(422, detail, errors=listed, title="Invalid rows")
        self.report = report


class Progress:
    """Where an import has got. This one tells nobody; an import job's reporter writes it for the page to read."""

    async def checking(self, checked: int, total: int | None) -> None:
        """``checked`` data rows have been read and checked of about ``total`` (None: not known yet)."""

    async def storing(self, stored: int, total: int) -> None:
        """``stored`` of the ``total`` checked rows have been written (in the import's open transaction)."""


NO_PROGRESS = Progress()
PROGRESS_EVERY = 100  # rows checked between two calls of ``Progress.checking`` (which throttles itself by time)


class RowView:
    __slots__ = ("cells", "positions")

    def __init__(self, positions: dict[str, int], cells: Sequence[object]) -> None:
        self.positions = positions
        self.cells = cells

    def raw(self, key: str) -> object:
        at = self.positions.get(key)
        return self.cells[at] if at is not None and at < len(self.cells) else None


class Importer:
    """One kind's checks and writes; subclasses fill ``check_row``, ``check_stored`` and ``write``."""

    kind: ClassVar[BulkKind]
    progress: Progress = NO_PROGRESS  # the write loops report each batch stored

    def __init__(
        self, session: AsyncSession, principal: Principal, nodes: NodeService, units: UnitIndex, errors: RowErrors
    ) -> None:
        self.session = session
        self.principal = principal
        self.nodes = nodes
        self.units = units
        self.errors = errors
        self.columns = {c.key: c for c in COLUMNS[self.kind]}
        self.unchanged = 0

    async def prepare(self) -> None:
        """Load what the row checks need (level schemas, catalogues, keys)."""

    def check_row(self, row: int, view: RowView) -> None:
        raise NotImplementedError

    async def check_stored(self) -> None:
        """Checks across rows and against stored data, after every row was checked on its own."""

    async def write(self) -> dict[str, int]:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------------

    def take(self, row: int, view: RowView, key: str, parse: Callable[[object], T]) -> T | None:
        """Parse one cell; a problem is recorded against the row and column and None returned."""
        column = self.columns[key]
        raw = view.raw(key)
        try:
            if column.required and text(raw) is None:
                raise CellError("required")
            return parse(raw)
        except CellError as exc:
            self.errors.add(row, column.header, str(exc))
            return None

    def fail(self, row: int, key: str, message: str) -> None:
        self.errors.add(row, self.columns[key].header, message)

    def fail_fields(self, row: int, problems: FieldErrors, keys: Mapping[str, str], other: str) -> None:
        """The rules' problems (named by API field) against the columns ``keys`` maps them to, else ``other``."""
        for item in problems.items:
            self.fail(row, keys.get(api_field(item["field"]), other), item["message"])

    def unit(
        self, tree: str, kind: Callable[[Unit], str | None], *, visible: bool = True
    ) -> Callable[[object], Unit | None]:
        """A parser of a unit name path of ``tree`` whose level passes ``kind`` (None: fine, else why not)."""

        def parse(raw: object) -> Unit | None:
            value = text(raw)
            if value is None:
                return None
            unit = self.units.find(tree, value, visible=visible)
            wrong = kind(unit)
            if wrong is not None:
                raise CellError(wrong)
            return unit

        return parse

    async def grid_parser(self) -> Callable[[object], Unit | None]:
        """A parser of a visible grid's name path."""
        administrative = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        return self.unit(TreeKind.ADMINISTRATIVE, level_kind(administrative, "a grid", lambda lv: lv.is_grid))


def table_of(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def short_text(max_length: int) -> Callable[[object], str | None]:
    def parse(raw: object) -> str | None:
        value = text(raw)
        return None if value is None else limited(value, max_length)

    return parse


def coded(labels: Mapping[str, str]) -> Callable[[object], str | None]:
    """A parser of one label (or code) of ``labels`` to its code."""

    def parse(raw: object) -> str | None:
        value = text(raw)
        return None if value is None else choice(value, labels)

    return parse


def api_field(name: str) -> str:
    """``body.idCard`` -> ``idCard``: the rules name API fields, the report names the sheet's columns."""
    return name.rsplit(".", 1)[-1]


def level_kind(schema: LevelSchema, want: str, test: Callable[[Any], bool]) -> Callable[[Unit], str | None]:
    def check(unit: Unit) -> str | None:
        level = schema.levels.get(unit.level)
        if level is None or not test(level):
            shown = level.label if level is not None else unit.level
            return f"'{unit.name}' is a {shown} ({unit.level}), not {want}"
        return None

    return check


def level_code(schema: LevelSchema, value: str) -> str:
    if value in schema.levels:
        return value
    for code, level in schema.levels.items():
        if level.label == value:
            return code
    raise CellError(f"'{value}' is not one of: {'、'.join(level.label for level in schema.levels.values())}")


def positions(headers: list[str | None], columns: tuple[Column, ...], errors: RowErrors) -> dict[str, int]:
    """Where each of the kind's columns is in the header row; unknown, doubled and missing ones are problems."""
    by_header = {c.header: c for c in columns}
    found: dict[str, int] = {}
    for at, header in enumerate(headers):
        if header is None:
            continue
        column = by_header.get(header)
        if column is None:
            errors.add(1, header, f"unknown column; this sheet's columns are: {'、'.join(by_header)}")
        elif column.key in found:
            errors.add(1, header, "the column appears twice")
        else:
            found[column.key] = at
    for column in columns:
        if column.required and column.key not in found:
            errors.add(1, column.header, "required column is missing")
    return found


async def check_and_store(
    importer_type: type[Importer],
    session: AsyncSession,
    principal: Principal,
    nodes: NodeService,
    body: bytes,
    *,
    dry_run: bool,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Check the whole file, then (unless ``dry_run``) store it in ``session``'s transaction."""
    kind = importer_type.kind
    table = open_table(body, SHEET_TITLES[kind])
    await progress.checking(0, table.estimated_rows)
    errors = RowErrors()
    units = await UnitIndex.load(session, principal)
    importer = importer_type(session, principal, nodes, units, errors)
    importer.progress = progress
    await importer.prepare()
    at = positions(table.headers, COLUMNS[kind], errors)
    if errors.count:
        raise errors.problem()
    rows = 0
    for row, cells in table.rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue  # blank lines between or after the data
        rows += 1
        if rows > MAX_ROWS:
            errors.add(row, "", f"a file holds at most {MAX_ROWS} rows; split it")
            break
        importer.check_row(row, RowView(at, cells))
        if rows % PROGRESS_EVERY == 0:
            await progress.checking(rows, max(rows, table.estimated_rows or 0))
    await progress.checking(rows, rows)
    if rows == 0:
        errors.add(2, "", "the file has a header row but no data rows")
    await importer.check_stored()  # on the rows that passed, so one report names every problem
    if errors.count:
        raise errors.problem()
    created: dict[str, int] = {}
    if not dry_run:
        await progress.storing(0, rows)
        created = await importer.write()
        await progress.storing(rows, rows)
        detail = {
            "kind": kind.value,
            "format": table.file_format,
            "rows": rows,
            "created": created,
            "unchanged": importer.unchanged,
        }
        await audit.record(session, f"orgtree.import.{kind.value}", subject_type="bulk_import", detail=detail)
    return ImportResult(kind, dry_run, table.file_format, rows, created, importer.unchanged)
