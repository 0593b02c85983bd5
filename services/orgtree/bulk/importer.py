"""Imports: check every row, report every problem by row and column, and store only a file without any.

The flow is the same for each kind: match the header row to the kind's columns, check each row on
its own (formats, enumerations, ID check characters, units by name path inside the caller's view),
then check the rows against each other and against what is stored (duplicates through the blind
index, link ranges). Any problem: a 422 listing them, nothing written. Otherwise the rows go in with
bulk INSERTs in the request's transaction (units through ``NodeService.create_child``, so the same
rules apply as for one unit added through the API), followed by one audit entry holding only counts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import uuid_utils.compat
from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.bulk.columns import (
    COLUMNS,
    LABELS,
    RESTRICTED,
    SHEET_TITLES,
    TREE_LABELS,
    BulkKind,
    CellError,
    Column,
    choice,
    choices,
    identity_text,
    limited,
    parse_bool,
    parse_date,
    text,
)
from services.orgtree.bulk.formats import open_table
from services.orgtree.bulk.protect import is_masked
from services.orgtree.bulk.tree import Unit, UnitIndex, name_key
from services.orgtree.households.rules import HOUSEHOLD_PERSONAL_COLUMNS, household_personal_columns
from services.orgtree.households.services import check_household_fields
from services.orgtree.levels.services import LevelSchema, district_settings, load_schema
from services.orgtree.members.rules import MEMBER_PERSONAL_COLUMNS, check_member_fields, member_personal_columns
from services.orgtree.models import (
    Household,
    HouseholdLink,
    Member,
    MembershipTransfer,
    OrgNode,
    Post,
    TreeKind,
)
from services.orgtree.nodes.services import FORMATION_BASES, NodeService
from shared import audit
from shared.auth.principal import Principal
from shared.context import require_tenant
from shared.contracts.orgtree import HouseholdLinked, HouseholdPlaced, MemberCreated
from shared.http.problems import FieldErrors, ProblemError
from shared.messaging.outbox import publish_many
from shared.privacy import TenantKeys, blind_index, data_key, normalize_id_card

T = TypeVar("T")
MAX_ROWS = 200_000
LISTED_ERRORS = 1_000  # the report lists this many; the detail says how many there are
KEPT_ERRORS = 100_000
BATCH = 2_000  # rows per INSERT statement group
LOOKUP_CHUNK = 5_000


@dataclass
class ImportResult:
    kind: BulkKind
    dry_run: bool
    file_format: str
    rows: int
    created: dict[str, int]
    unchanged: int = 0


@dataclass
class RowErrors:
    """Problems as ``{row, column, message}``, row numbers as Excel shows them (the header is row 1)."""

    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        self.rows.add(row)
        if len(self.items) < KEPT_ERRORS:
            self.items.append({"row": row, "column": column, "message": message})

    def problem(self) -> ProblemError:
        listed = sorted(self.items, key=lambda e: e["row"])[:LISTED_ERRORS]
        shown = "" if self.count <= LISTED_ERRORS else f"; the first {LISTED_ERRORS} are listed"
        detail = f"{self.count} problem(s) in {len(self.rows)} row(s); nothing was stored{shown}"
        return ProblemError(422, detail, errors=listed, title="Invalid rows")


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

    def __init__(self, session: AsyncSession, principal: Principal, units: UnitIndex, errors: RowErrors) -> None:
        self.session = session
        self.principal = principal
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


def table_of(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _text(max_length: int) -> Callable[[object], str | None]:
    def parse(raw: object) -> str | None:
        value = text(raw)
        return None if value is None else limited(value, max_length)

    return parse


def _choice(labels: dict[str, str] | Any) -> Callable[[object], str | None]:
    def parse(raw: object) -> str | None:
        value = text(raw)
        return None if value is None else choice(value, labels)

    return parse


def _api_field(name: str) -> str:
    """``body.idCard`` -> ``idCard``: the rules name API fields, the report names the sheet's columns."""
    return name.rsplit(".", 1)[-1]


def _level_kind(schema: LevelSchema, want: str, test: Callable[[Any], bool]) -> Callable[[Unit], str | None]:
    def check(unit: Unit) -> str | None:
        level = schema.levels.get(unit.level)
        if level is None or not test(level):
            shown = level.label if level is not None else unit.level
            return f"'{unit.name}' is a {shown} ({unit.level}), not {want}"
        return None

    return check


def _level_code(schema: LevelSchema, value: str) -> str:
    if value in schema.levels:
        return value
    for code, level in schema.levels.items():
        if level.label == value:
            return code
    raise CellError(f"'{value}' is not one of: {'、'.join(level.label for level in schema.levels.values())}")


# -- units -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class PlannedUnit:
    row: int
    unit: Unit
    linked: Unit | None


class UnitImporter(Importer):
    """Units in the order given: a unit may hang under one an earlier row adds. An existing unit of the
    same name and level under the same parent is left as it is (so an edited export can be re-imported)."""

    kind = BulkKind.UNITS

    async def prepare(self) -> None:
        self.schemas: dict[str, LevelSchema] = {tree: await load_schema(self.session, tree) for tree in TreeKind}
        self.planned: list[PlannedUnit] = []

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        tree = self.take(row, view, "tree", _choice(TREE_LABELS))
        name = self.take(row, view, "name", _text(200))
        level_text = self.take(row, view, "level", text)
        basis = self.take(row, view, "formation_basis", _choice(FORMATION_BASES))
        if tree is None or name is None or level_text is None:
            return
        schema = self.schemas[tree]
        # Walk past units outside the caller's view: re-importing its own export names the top unit of its
        # scope under a parent it cannot see. Adding under such a parent is refused below as "not found".
        parent = self.take(row, view, "parent", lambda raw: self.units.find(tree, text(raw), visible=False))
        level = self.take(row, view, "level", lambda _: _level_code(schema, level_text))
        linked = self.take(row, view, "linked", self.unit(TreeKind.ADMINISTRATIVE, lambda _: None))
        if linked is not None and tree != TreeKind.PARTY:
            self.fail(row, "linked", "only party units name an administrative counterpart")
        if parent is None or level is None or self.errors.count > before:
            return
        try:
            spec = schema.check_child(parent.level, level)
        except ProblemError as exc:
            self.fail(row, "level", str(exc.detail))
            return
        if basis is not None and not spec.is_grid:
            self.fail(row, "formation_basis", f"only grids record how they were formed; '{level}' is not a grid")
            return
        existing_units = [u for u in parent.children.get(name_key(name), []) if self.units.visible(u)]
        if not self.units.visible(parent) and not existing_units:
            self.fail(row, "parent", self.units.missing(tree, text(view.raw("parent")) or ""))
            return
        for existing in existing_units:
            if existing.planned_row is not None:
                self.fail(row, "name", f"row {existing.planned_row} adds the same unit")
            elif existing.level != level:
                self.fail(row, "name", f"a unit of this name already hangs there as a {existing.level}")
            else:
                self.unchanged += 1
            return
        unit = self.units.plan(parent, level, name_key(name), row=row, linked=linked, basis=basis)
        self.planned.append(PlannedUnit(row, unit, linked))

    async def write(self) -> dict[str, int]:
        service = NodeService(self.session, self.principal)
        stored: dict[uuid.UUID, uuid.UUID] = {}  # planned id -> stored id
        created = 0
        for item in self.planned:
            unit = item.unit
            assert unit.parent is not None
            parent_id = stored.get(unit.parent.id, unit.parent.id)
            # A grid added above may have brought its party group along (dual-network fusion).
            existing = await self.session.scalar(
                select(OrgNode).where(OrgNode.parent_id == parent_id, OrgNode.name == unit.name)
            )
            if existing is not None and existing.level == unit.level:
                stored[unit.id] = existing.id
                self.unchanged += 1
                continue
            linked_id = stored.get(item.linked.id, item.linked.id) if item.linked else None
            node = await service.create_child(
                parent_id, unit.level, unit.name, linked_node_id=linked_id, formation_basis=unit.formation_basis
            )
            stored[unit.id] = node.id
            created += 1
        return {"units": created}


# -- members -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class MemberRow:
    row: int
    name: str
    id_card: str
    id_index: bytes
    phone: str | None
    branch: Unit
    grid: Unit | None
    classification: str
    flags: list[str]
    joined_on: date | None
    post_code: str | None
    post_method: str | None
    info_card: dict[str, str]


# check_member_fields speaks the API's field names; the report names the sheet's columns.
_MEMBER_FIELDS = {"idCard": "id_card", "phone": "phone", "classification": "classification", "flags": "flags",
                  "infoCard": "basic_situation", "postCode": "post", "postMethod": "post_method"}  # fmt: skip
_INFO_CARD_KEYS = ("basic_situation", "development_capacity", "technical_specialties", "service_willingness")


class MemberImporter(Importer):
    kind = BulkKind.MEMBERS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        self.posts = {p.code: p.label for p in await self.session.scalars(select(Post))}
        party = await load_schema(self.session, TreeKind.PARTY)
        administrative = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        # As MemberService.create: the branch is not scope-confined (a street's organ branch hangs outside its
        # communities), but a member without a grid must have its branch inside the caller's scope.
        self.branch = self.unit(
            TreeKind.PARTY, _level_kind(party, "a unit that holds members", lambda lv: lv.holds_members), visible=False
        )
        self.grid = self.unit(TreeKind.ADMINISTRATIVE, _level_kind(administrative, "a grid", lambda lv: lv.is_grid))
        self.accepted: list[MemberRow] = []
        self.seen: dict[bytes, int] = {}

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        name = self.take(row, view, "name", _text(100))
        id_card = self.take(row, view, "id_card", identity_text)
        phone = self.take(row, view, "phone", identity_text)
        branch = self.take(row, view, "branch", self.branch)
        grid = self.take(row, view, "grid", self.grid)
        classification = self.take(row, view, "classification", _choice(LABELS["classification"]))
        flags = self.take(row, view, "flags", lambda raw: choices(text(raw), LABELS["flags"]))
        joined_on = self.take(row, view, "joined_on", parse_date)
        post = self.take(row, view, "post", _choice(self.posts))
        post_method = self.take(row, view, "post_method", _choice(LABELS["post_method"]))
        info_card: dict[str, str] = {}
        for key in _INFO_CARD_KEYS:
            value = self.take(row, view, key, _text(2000))
            if value is not None:
                info_card[key] = value
        if branch is not None and grid is None and not self.units.visible(branch):
            self.fail(row, "branch", self.units.missing(TreeKind.PARTY, text(view.raw("branch")) or ""))
        if self.errors.count > before:
            return
        assert name is not None
        assert id_card is not None
        assert branch is not None
        assert classification is not None
        problems = FieldErrors()
        check_member_fields(
            problems, id_card=id_card, phone=phone, classification=classification, flags=flags or [],
            info_card=info_card, post_code=post, post_method=post_method, posts=set(self.posts),
        )  # fmt: skip
        for item in problems.items:
            self.fail(row, _MEMBER_FIELDS.get(_api_field(item["field"]), "basic_situation"), item["message"])
        if problems:
            return
        number = normalize_id_card(id_card)
        index = blind_index(self.keys, "member.id_card", number, normalize_id_card)
        first = self.seen.setdefault(index, row)
        if first != row:
            self.fail(row, "id_card", f"the same ID number as row {first}")
            return
        self.accepted.append(MemberRow(row, name, number, index, phone, branch, grid, classification, flags or [],
                                       joined_on, post, post_method, info_card))  # fmt: skip

    async def check_stored(self) -> None:
        rows = {m.id_index: m.row for m in self.accepted}
        indexes = list(rows)
        for start in range(0, len(indexes), LOOKUP_CHUNK):
            chunk = indexes[start : start + LOOKUP_CHUNK]
            for found in await self.session.scalars(
                select(Member.id_card_index).where(Member.id_card_index.in_(chunk))
            ):
                assert found is not None
                self.fail(rows[found], "id_card", "a member with this ID number is already registered in this district")

    async def write(self) -> dict[str, int]:
        tenant = require_tenant()
        now = datetime.now(UTC)
        today = now.date()
        for start in range(0, len(self.accepted), BATCH):
            members: list[dict[str, Any]] = []
            transfers: list[dict[str, Any]] = []
            for m in self.accepted[start : start + BATCH]:
                member_id = uuid_utils.compat.uuid7()
                members.append({
                    "id": member_id, "tenant_id": tenant, "name": m.name, "classification": m.classification,
                    "flags": m.flags, "info_card": m.info_card, "grid_id": m.grid.id if m.grid else None,
                    "grid_path": m.grid.path if m.grid else None, "branch_id": m.branch.id,
                    "branch_path": m.branch.path, "post_code": m.post_code, "post_method": m.post_method,
                    "joined_on": m.joined_on, "user_id": None,
                    **dict.fromkeys(MEMBER_PERSONAL_COLUMNS),
                    **member_personal_columns(self.keys, id_card=m.id_card, phone=m.phone),
                })  # fmt: skip
                transfers.append({
                    "id": uuid_utils.compat.uuid7(), "tenant_id": tenant, "member_id": member_id,
                    "from_branch_id": None, "to_branch_id": m.branch.id, "transferred_on": m.joined_on or today,
                    "reason": "joined", "note": None, "recorded_at": now,
                })  # fmt: skip
            await self.session.execute(insert(table_of(Member)), members)
            await self.session.execute(insert(table_of(MembershipTransfer)), transfers)
            await publish_many(self.session, [
                MemberCreated(tenant_id=tenant, member_id=m["id"], grid_id=m["grid_id"], branch_id=m["branch_id"],
                              classification=m["classification"])
                for m in members
            ])  # fmt: skip
        return {"members": len(self.accepted), "membershipTransfers": len(self.accepted)}


# -- households --------------------------------------------------------------------------------------


@dataclass(slots=True)
class HouseholdRow:
    row: int
    grid: Unit
    label: str
    head_name: str | None
    address: str | None
    phone: str | None
    categories: list[str]
    is_member_hub: bool
    plaque: str | None
    plaque_issued_on: date | None


_HOUSEHOLD_FIELDS = {"phone": "phone", "categories": "categories", "plaque": "plaque",
                     "plaqueIssuedOn": "plaque_issued_on"}  # fmt: skip


class HouseholdImporter(Importer):
    """Households by grid and label (``3组12号``). Masked values (an export's ``张*``, ``138****5678``) and the
    ``受限`` placeholder for restricted categories are read as "not given", so an export re-imports."""

    kind = BulkKind.HOUSEHOLDS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        administrative = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        self.grid = self.unit(TreeKind.ADMINISTRATIVE, _level_kind(administrative, "a grid", lambda lv: lv.is_grid))
        self.accepted: list[HouseholdRow] = []
        self.seen: dict[tuple[uuid.UUID, str], int] = {}

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        grid = self.take(row, view, "grid", self.grid)
        label = self.take(row, view, "label", _text(100))
        head_name = self.take(row, view, "head_name", _unmasked(_text(100)))
        address = self.take(row, view, "address", _unmasked(_text(500)))
        phone = self.take(row, view, "phone", _unmasked(identity_text))
        categories = self.take(
            row,
            view,
            "categories",
            lambda raw: choices(text(raw), LABELS["categories"], ignore=frozenset({RESTRICTED})),
        )
        hub = self.take(row, view, "is_member_hub", lambda raw: parse_bool(text(raw)))
        plaque = self.take(row, view, "plaque", _choice(LABELS["plaque"]))
        issued = self.take(row, view, "plaque_issued_on", parse_date)
        if self.errors.count > before:
            return
        problems = FieldErrors()
        check_household_fields(problems, phone=phone, categories=categories or [], plaque=plaque,
                               plaque_issued_on=issued)  # fmt: skip
        for item in problems.items:
            self.fail(row, _HOUSEHOLD_FIELDS.get(_api_field(item["field"]), "label"), item["message"])
        if problems:
            return
        assert grid is not None
        assert label is not None
        first = self.seen.setdefault((grid.id, label), row)
        if first != row:
            self.fail(row, "label", f"row {first} has the same household in the same grid")
            return
        self.accepted.append(HouseholdRow(row, grid, label, head_name, address, phone, categories or [], bool(hub),
                                          plaque, issued))  # fmt: skip

    async def check_stored(self) -> None:
        grids = list({h.grid.id for h in self.accepted if h.grid.planned_row is None})
        stored: set[tuple[uuid.UUID, str]] = set()
        for start in range(0, len(grids), LOOKUP_CHUNK):
            found = await self.session.execute(
                select(Household.grid_id, Household.label).where(
                    Household.grid_id.in_(grids[start : start + LOOKUP_CHUNK])
                )
            )
            stored.update((row.grid_id, row.label) for row in found)
        for h in self.accepted:
            if (h.grid.id, h.label) in stored:
                self.fail(h.row, "label", "this grid already has a household with this label")

    async def write(self) -> dict[str, int]:
        tenant = require_tenant()
        for start in range(0, len(self.accepted), BATCH):
            rows = [
                {
                    "id": uuid_utils.compat.uuid7(), "tenant_id": tenant, "grid_id": h.grid.id,
                    "grid_path": h.grid.path, "label": h.label, "categories": h.categories,
                    "is_member_hub": h.is_member_hub, "plaque": h.plaque, "plaque_issued_on": h.plaque_issued_on,
                    **dict.fromkeys(HOUSEHOLD_PERSONAL_COLUMNS),
                    **household_personal_columns(self.keys, head_name=h.head_name, address=h.address, phone=h.phone),
                }
                for h in self.accepted[start : start + BATCH]
            ]  # fmt: skip
            await self.session.execute(insert(table_of(Household)), rows)
            # dispatch places tickets by household: it learns each household's grid from this event
            await publish_many(self.session, [
                HouseholdPlaced(tenant_id=tenant, household_id=r["id"], grid_id=r["grid_id"]) for r in rows
            ])  # fmt: skip
        return {"households": len(self.accepted)}


def _unmasked(parse: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def read(raw: object) -> str | None:
        value = text(raw)
        return None if value is None or is_masked(value) else parse(value)

    return read


# -- links -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class LinkRow:
    row: int
    id_index: bytes
    member_name: str | None
    grid: Unit
    label: str
    since: date | None
    member_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None


class LinkImporter(Importer):
    """Member → household service links (ORG-08): every member named ends within the district's range."""

    kind = BulkKind.LINKS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        administrative = await load_schema(self.session, TreeKind.ADMINISTRATIVE)
        self.grid = self.unit(TreeKind.ADMINISTRATIVE, _level_kind(administrative, "a grid", lambda lv: lv.is_grid))
        self.settings = await district_settings(self.session)
        self.accepted: list[LinkRow] = []

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        id_card = self.take(row, view, "id_card", identity_text)
        member_name = self.take(row, view, "member_name", _text(100))
        grid = self.take(row, view, "grid", self.grid)
        label = self.take(row, view, "label", _text(100))
        since = self.take(row, view, "since", parse_date)
        if self.errors.count > before:
            return
        assert id_card is not None
        assert grid is not None
        assert label is not None
        problems = FieldErrors()
        check_member_fields(problems, id_card=id_card, phone=None, classification="self_managed", flags=[],
                            info_card={}, post_code=None, post_method=None, posts=set())  # fmt: skip
        if problems:
            self.fail(row, "id_card", problems.items[0]["message"])
            return
        index = blind_index(self.keys, "member.id_card", normalize_id_card(id_card), normalize_id_card)
        self.accepted.append(LinkRow(row, index, member_name, grid, label, since))

    async def check_stored(self) -> None:
        members = await self._members()
        households = await self._households()
        for link in self.accepted:
            found = members.get(link.id_index)
            if found is None:
                self.fail(link.row, "id_card", "no member with this ID number")
            elif link.member_name is not None and link.member_name != found[1]:
                self.fail(link.row, "member_name", "does not match the name of the member with this ID number")
            else:
                link.member_id = found[0]
            link.household_id = households.get((link.grid.id, link.label))
            if link.household_id is None:
                self.fail(link.row, "label", f"no household '{link.label}' in this grid")
        linked = [link for link in self.accepted if link.member_id and link.household_id]
        stored = await self._stored_links({link.member_id for link in linked if link.member_id})
        counts: Counter[uuid.UUID] = Counter(member for member, _ in stored)
        seen: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        last_row: dict[uuid.UUID, int] = {}
        low, high = self.settings.household_links_min, self.settings.household_links_max
        for link in linked:
            assert link.member_id is not None
            assert link.household_id is not None
            pair = (link.member_id, link.household_id)
            if pair in stored:
                self.fail(link.row, "label", "this member already serves this household")
                continue
            first = seen.setdefault(pair, link.row)
            if first != link.row:
                self.fail(link.row, "label", f"the same link as row {first}")
                continue
            counts[link.member_id] += 1
            last_row[link.member_id] = link.row
            if counts[link.member_id] == high + 1:
                self.fail(link.row, "id_card", f"this member would serve more than {high} households "
                                               f"(this district's range is {low}-{high})")  # fmt: skip
        for member, row in last_row.items():
            if counts[member] < low:
                self.fail(row, "id_card", f"this member would serve only {counts[member]} households "
                                          f"(this district's range is {low}-{high})")  # fmt: skip

    async def _members(self) -> dict[bytes, tuple[uuid.UUID, str]]:
        """The members named, if the caller may see them (by grid or by branch, as MemberService); others are
        not found. Row-locked, as a single claim through the API does, so concurrent claims count in turn."""
        indexes = list({link.id_index for link in self.accepted})
        found: dict[bytes, tuple[uuid.UUID, str]] = {}
        see = self.principal.may_see_path
        for start in range(0, len(indexes), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(Member.id, Member.name, Member.id_card_index, Member.grid_path, Member.branch_path)
                .where(Member.id_card_index.in_(indexes[start : start + LOOKUP_CHUNK]))
                .order_by(Member.id)
                .with_for_update()
            )
            for row in rows:
                if row.id_card_index is not None and (see(row.branch_path) or (row.grid_path and see(row.grid_path))):
                    found[row.id_card_index] = (row.id, row.name)
        return found

    async def _households(self) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
        grids = list({link.grid.id for link in self.accepted})
        found: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        for start in range(0, len(grids), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(Household.id, Household.grid_id, Household.label).where(
                    Household.grid_id.in_(grids[start : start + LOOKUP_CHUNK])
                )
            )
            found.update({(row.grid_id, row.label): row.id for row in rows})
        return found

    async def _stored_links(self, members: set[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
        ids = list(members)
        pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            rows = await self.session.execute(
                select(HouseholdLink.member_id, HouseholdLink.household_id).where(
                    HouseholdLink.member_id.in_(ids[start : start + LOOKUP_CHUNK])
                )
            )
            pairs.update((row.member_id, row.household_id) for row in rows)
        return pairs

    async def write(self) -> dict[str, int]:
        tenant = require_tenant()
        today = date.today()
        for start in range(0, len(self.accepted), BATCH):
            batch = self.accepted[start : start + BATCH]
            await self.session.execute(insert(table_of(HouseholdLink)), [
                {"id": uuid_utils.compat.uuid7(), "tenant_id": tenant, "member_id": link.member_id,
                 "household_id": link.household_id, "since": link.since or today}
                for link in batch
            ])  # fmt: skip
            await publish_many(self.session, [
                HouseholdLinked(tenant_id=tenant, household_id=link.household_id, member_id=link.member_id)
                for link in batch
                if link.household_id is not None and link.member_id is not None
            ])  # fmt: skip
        return {"links": len(self.accepted)}


IMPORTERS: dict[BulkKind, type[Importer]] = {
    BulkKind.UNITS: UnitImporter,
    BulkKind.MEMBERS: MemberImporter,
    BulkKind.HOUSEHOLDS: HouseholdImporter,
    BulkKind.LINKS: LinkImporter,
}


def _positions(headers: list[str | None], columns: tuple[Column, ...], errors: RowErrors) -> dict[str, int]:
    by_header = {c.header: c for c in columns}
    positions: dict[str, int] = {}
    for at, header in enumerate(headers):
        if header is None:
            continue
        column = by_header.get(header)
        if column is None:
            errors.add(1, header, f"unknown column; this sheet's columns are: {'、'.join(by_header)}")
        elif column.key in positions:
            errors.add(1, header, "the column appears twice")
        else:
            positions[column.key] = at
    for column in columns:
        if column.required and column.key not in positions:
            errors.add(1, column.header, "required column is missing")
    return positions


async def run_import(
    session: AsyncSession, principal: Principal, kind: BulkKind, body: bytes, *, dry_run: bool
) -> ImportResult:
    """Check the whole file, then (unless ``dry_run``) store it in ``session``'s transaction."""
    table = open_table(body, SHEET_TITLES[kind])
    errors = RowErrors()
    units = await UnitIndex.load(session, principal)
    importer = IMPORTERS[kind](session, principal, units, errors)
    await importer.prepare()
    positions = _positions(table.headers, COLUMNS[kind], errors)
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
        importer.check_row(row, RowView(positions, cells))
    if rows == 0:
        errors.add(2, "", "the file has a header row but no data rows")
    await importer.check_stored()  # on the rows that passed, so one report names every problem
    if errors.count:
        raise errors.problem()
    created: dict[str, int] = {}
    if not dry_run:
        created = await importer.write()
        await audit.record(
            session, f"orgtree.import.{kind.value}", subject_type="bulk_import",
            detail={"kind": kind.value, "format": table.file_format, "rows": rows, "created": created,
                    "unchanged": importer.unchanged},
        )  # fmt: skip
    return ImportResult(kind, dry_run, table.file_format, rows, created, importer.unchanged)
