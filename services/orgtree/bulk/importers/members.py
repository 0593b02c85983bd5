"""Members, by ID number: each with its branch, its membership's first transfer and its MemberCreated event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import uuid_utils.compat
from sqlalchemy import insert, select

from services.orgtree.bulk.columns import LABELS, BulkKind, choices, identity_text, parse_date, text
from services.orgtree.bulk.importers.frame import (
    BATCH,
    LOOKUP_CHUNK,
    Importer,
    RowView,
    coded,
    level_kind,
    short_text,
    table_of,
)
from services.orgtree.bulk.tree import Unit
from services.orgtree.levels.services import load_schema
from services.orgtree.members.rules import MEMBER_PERSONAL_COLUMNS, check_member_fields, member_personal_columns
from services.orgtree.models import Member, MembershipTransfer, Post, TreeKind
from shared.context import require_tenant
from shared.contracts.orgtree import MemberCreated
from shared.http.problems import FieldErrors
from shared.messaging.outbox import publish_many
from shared.privacy import TenantKeys, blind_index, data_key, normalize_id_card


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
MEMBER_FIELDS = {
    "idCard": "id_card",
    "phone": "phone",
    "classification": "classification",
    "flags": "flags",
    "infoCard": "basic_situation",
    "postCode": "post",
    "postMethod": "post_method",
}
INFO_CARD_KEYS = ("basic_situation", "development_capacity", "technical_specialties", "service_willingness")


class MemberImporter(Importer):
    kind = BulkKind.MEMBERS

    async def prepare(self) -> None:
        self.keys: TenantKeys = await data_key(self.session, require_tenant())
        self.posts = {p.code: p.label for p in await self.session.scalars(select(Post))}
        party = await load_schema(self.session, TreeKind.PARTY)
        # As MemberService.create: the branch is not scope-confined (a street's organ branch hangs outside its
        # communities), but a member without a grid must have its branch inside the caller's scope.
        self.branch = self.unit(
            TreeKind.PARTY, level_kind(party, "a unit that holds members", lambda lv: lv.holds_members), visible=False
        )
        self.grid = await self.grid_parser()
        self.accepted: list[MemberRow] = []
        self.seen: dict[bytes, int] = {}

    def check_row(self, row: int, view: RowView) -> None:
        before = self.errors.count
        name = self.take(row, view, "name", short_text(100))
        id_card = self.take(row, view, "id_card", identity_text)
        phone = self.take(row, view, "phone", identity_text)
        branch = self.take(row, view, "branch", self.branch)
        grid = self.take(row, view, "grid", self.grid)
        classification = self.take(row, view, "classification", coded(LABELS["classification"]))
        flags = self.take(row, view, "flags", lambda raw: choices(text(raw), LABELS["flags"]))
        joined_on = self.take(row, view, "joined_on", parse_date)
        post = self.take(row, view, "post", coded(self.posts))
        post_method = self.take(row, view, "post_method", coded(LABELS["post_method"]))
        info_card: dict[str, str] = {}
        for key in INFO_CARD_KEYS:
            value = self.take(row, view, key, short_text(2000))
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
            problems,
            id_card=id_card,
            phone=phone,
            classification=classification,
            flags=flags or [],
            info_card=info_card,
            post_code=post,
            post_method=post_method,
            posts=set(self.posts),
        )
        self.fail_fields(row, problems, MEMBER_FIELDS, "basic_situation")
        if problems:
            return
        number = normalize_id_card(id_card)
        index = blind_index(self.keys, "member.id_card", number, normalize_id_card)
        first = self.seen.setdefault(index, row)
        if first != row:
            self.fail(row, "id_card", f"the same ID number as row {first}")
            return
        self.accepted.append(
            MemberRow(
                row,
                name,
                number,
                index,
                phone,
                branch,
                grid,
                classification,
                flags or [],
                joined_on,
                post,
                post_method,
                info_card,
            )
        )

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
                members.append(
                    {
                        "id": member_id,
                        "tenant_id": tenant,
                        "name": m.name,
                        "classification": m.classification,
                        "flags": m.flags,
                        "info_card": m.info_card,
                        "grid_id": m.grid.id if m.grid else None,
                        "grid_path": m.grid.path if m.grid else None,
                        "branch_id": m.branch.id,
                        "branch_path": m.branch.path,
                        "post_code": m.post_code,
                        "post_method": m.post_method,
                        "joined_on": m.joined_on,
                        "user_id": None,
                        **dict.fromkeys(MEMBER_PERSONAL_COLUMNS),
                        **member_personal_columns(self.keys, id_card=m.id_card, phone=m.phone),
                    }
                )
                transfers.append(
                    {
                        "id": uuid_utils.compat.uuid7(),
                        "tenant_id": tenant,
                        "member_id": member_id,
                        "from_branch_id": None,
                        "to_branch_id": m.branch.id,
                        "transferred_on": m.joined_on or today,
                        "reason": "joined",
                        "note": None,
                        "recorded_at": now,
                    }
                )
            await self.session.execute(insert(table_of(Member)), members)
            await self.session.execute(insert(table_of(MembershipTransfer)), transfers)
            created = [
                MemberCreated(
                    tenant_id=tenant,
                    member_id=m["id"],
                    grid_id=m["grid_id"],
                    branch_id=m["branch_id"],
                    classification=m["classification"],
                    name=m["name"],
                    branch_path=m["branch_path"],
                    grid_path=m["grid_path"],
                    flags=m["flags"],
                    post_code=m["post_code"],
                )
                for m in members
            ]
            await publish_many(self.session, created)
            await self.progress.storing(min(start + BATCH, len(self.accepted)), len(self.accepted))
        return {"members": len(self.accepted), "membershipTransfers": len(self.accepted)}
