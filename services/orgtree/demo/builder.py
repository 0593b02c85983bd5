"""Writes a demo district straight into the tables, in one transaction, with the rows the API would write.

Units, members, households and links are built as ORM rows (encrypted, masked, versioned) and flushed
in bulk; the events the API would have published go to the outbox too, so other services learn of
the demo members exactly as of real ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.households.rules import protect_household
from services.orgtree.members.rules import protect_member
from services.orgtree.models import (
    CadrePosting,
    GridLeader,
    Grouping,
    GroupingMember,
    Household,
    HouseholdLink,
    Member,
    MembershipTransfer,
    OrgNode,
    OrgNodeVersion,
    UnitBrand,
    UnitStaff,
    Venue,
    VenueCertification,
)
from services.orgtree.nodes.paths import ancestor_paths, child_path, new_segment
from shared.contracts.base import Event
from shared.contracts.orgtree import (
    CadrePostingChanged,
    CadreRole,
    GridCreated,
    GridLeaderChanged,
    HouseholdLinked,
    HouseholdPlaced,
    MemberCreated,
    UnitRef,
    VenueCertificationChanged,
)
from shared.db.base import uuid7
from shared.messaging.outbox import publish_many
from shared.privacy import id_card_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海燕春梅林峰文斌波辉亮晨宇佳欣怡浩然子轩"
SYNTHETIC = "（示例）"  # marks names the seeds do not give
FLUSH_ORDER = (
    OrgNode,
    OrgNodeVersion,
    Member,
    MembershipTransfer,
    Household,
    HouseholdLink,
    GridLeader,
    CadrePosting,
    Grouping,
    GroupingMember,
    UnitStaff,
    Venue,
    VenueCertification,
    UnitBrand,
)


@dataclass
class DemoBuilder:
    session: AsyncSession
    region_code: str  # first six digits of the district's resident ID numbers
    seed: int
    rng: random.Random = field(init=False)
    serial: int = 0
    events: list[Event] = field(default_factory=list)
    held: dict[UUID, list[CadreRole]] = field(default_factory=dict)  # postings per member, for their events
    pending: list[object] = field(default_factory=list)
    units: dict[str, OrgNode] = field(default_factory=dict)  # by path: a grid's chain for GridCreated

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # synthetic demo data, reproducible

    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def phone(self, block: int) -> str:
        return f"1{self.rng.choice('3578')}{self.serial + block:09d}"

    def unit(
        self, parent: OrgNode, level: str, name: str, *, linked: OrgNode | None = None, basis: str | None = None
    ) -> OrgNode:
        self.units.setdefault(parent.path, parent)
        node = OrgNode(
            id=uuid7(),
            tenant_id=parent.tenant_id,
            parent_id=parent.id,
            tree=parent.tree,
            level=level,
            name=name,
            path=child_path(parent.path, new_segment()),
            linked_node_id=linked.id if linked else None,
            formation_basis=basis,
            flags=[],
        )
        self.pending.append(node)
        self.pending.append(
            OrgNodeVersion(
                tenant_id=node.tenant_id,
                node_id=node.id,
                parent_id=parent.id,
                tree=node.tree,
                level=level,
                name=name,
                valid_from=datetime(2014, 1, 1, tzinfo=UTC),
            )
        )
        return node

    def grid(self, village: OrgNode, name: str, basis: str, party_group_of: OrgNode | None = None) -> OrgNode:
        grid = self.unit(village, "grid", name, basis=basis)
        group = self.unit(party_group_of, "party_group", f"{name}党小组", linked=grid) if party_group_of else None
        chain = [self.units[p] for p in ancestor_paths(village.path) if p in self.units]
        self.events.append(
            GridCreated(
                tenant_id=grid.tenant_id,
                grid_id=grid.id,
                parent_id=village.id,
                level="grid",
                party_group_id=group.id if group else None,
                name=grid.name,
                path=grid.path,
                ancestors=[UnitRef(id=unit.id, level=unit.level, name=unit.name) for unit in chain],
            )
        )
        return grid

    async def member(self, branch: OrgNode, grid: OrgNode | None, **fields: object) -> Member:
        self.serial += 1
        born = date(1945 + self.rng.randrange(55), 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))
        first17 = f"{self.region_code}{born:%Y%m%d}{self.serial % 1000:03d}"
        member = Member(
            id=uuid7(),
            tenant_id=branch.tenant_id,
            name=self.person_name(),
            classification=self.rng.choices(("self_managed", "in_service", "mobile"), (70, 25, 5))[0],
            flags=[],
            info_card={},
            grid_id=grid.id if grid else None,
            grid_path=grid.path if grid else None,
            branch_id=branch.id,
            branch_path=branch.path,
            joined_on=date(born.year + 25, 7, 1),
        )
        for name, value in fields.items():
            setattr(member, name, value)
        await protect_member(
            self.session, member, id_card=first17 + id_card_check_digit(first17), phone=self.phone(100_000_000)
        )
        self.pending.append(member)
        self.pending.append(
            MembershipTransfer(
                tenant_id=member.tenant_id,
                member_id=member.id,
                to_branch_id=branch.id,
                transferred_on=member.joined_on or born,
                reason="joined",
                recorded_at=datetime.now(UTC),
            )
        )
        self.events.append(
            MemberCreated(
                tenant_id=member.tenant_id,
                member_id=member.id,
                grid_id=member.grid_id,
                branch_id=branch.id,
                classification=member.classification,
                user_id=member.user_id,
                name=member.name,
                branch_path=member.branch_path,
                grid_path=member.grid_path,
                flags=list(member.flags or []),
                post_code=member.post_code,
            )
        )
        return member

    async def household(self, grid: OrgNode, label: str, **fields: object) -> Household:
        household = Household(
            id=uuid7(),
            tenant_id=grid.tenant_id,
            grid_id=grid.id,
            grid_path=grid.path,
            label=label,
            categories=[],
            is_member_hub=False,
        )
        for name, value in fields.items():
            setattr(household, name, value)
        self.serial += 1
        await protect_household(
            self.session,
            household,
            head_name=self.person_name(),
            address=f"{grid.name}{label}",
            phone=self.phone(200_000_000),
        )
        self.pending.append(household)
        self.events.append(HouseholdPlaced(tenant_id=household.tenant_id, household_id=household.id, grid_id=grid.id))
        return household

    def link(self, member: Member, household: Household) -> None:
        self.pending.append(
            HouseholdLink(
                id=uuid7(),
                tenant_id=member.tenant_id,
                member_id=member.id,
                household_id=household.id,
                since=date(2014, 3, 1),
            )
        )
        self.events.append(HouseholdLinked(tenant_id=member.tenant_id, household_id=household.id, member_id=member.id))

    def leader(self, grid: OrgNode, member: Member, kind: str = "red_collar_leader") -> None:
        self.pending.append(
            GridLeader(
                id=uuid7(),
                tenant_id=grid.tenant_id,
                grid_id=grid.id,
                grid_path=grid.path,
                member_id=member.id,
                kind=kind,
                since=date(2014, 3, 1),
            )
        )
        self.events.append(
            GridLeaderChanged(tenant_id=grid.tenant_id, grid_id=grid.id, member_id=member.id, previous_member_id=None)
        )

    def posting(self, kind: str, member: Member, village: OrgNode, **fields: object) -> None:
        row = CadrePosting(
            id=uuid7(),
            tenant_id=village.tenant_id,
            kind=kind,
            member_id=member.id,
            village_id=village.id,
            village_path=village.path,
            since=date(2014, 1, 1),
        )
        for name, value in fields.items():
            setattr(row, name, value)
        self.pending.append(row)
        self.held.setdefault(member.id, []).append(CadreRole(kind=kind, role=row.role, unit_level=village.level))
        self.events.append(
            CadrePostingChanged(
                tenant_id=village.tenant_id,
                posting_id=row.id,
                member_id=member.id,
                village_id=village.id,
                kind=kind,
                role=row.role,
                unit_level=village.level,
                active=True,
                postings=list(self.held[member.id]),
            )
        )

    def grouping(
        self,
        kind: str,
        name: str,
        anchor: OrgNode,
        *,
        contact: Member | None = None,
        hub: Household | None = None,
        members: Sequence[Member] = (),
        households: Sequence[Household] = (),
        chat: str | None = None,
    ) -> UUID:
        row = Grouping(
            id=uuid7(),
            tenant_id=anchor.tenant_id,
            kind=kind,
            name=name,
            anchor_id=anchor.id,
            anchor_path=anchor.path,
            contact_member_id=contact.id if contact else None,
            hub_household_id=hub.id if hub else None,
            chat_group_ref=chat,
        )
        self.pending.append(row)
        for member in members:
            self.pending.append(GroupingMember(tenant_id=row.tenant_id, grouping_id=row.id, member_id=member.id))
        for household in households:
            self.pending.append(GroupingMember(tenant_id=row.tenant_id, grouping_id=row.id, household_id=household.id))
        return row.id

    def staff(self, unit: OrgNode, member: Member, role: str) -> None:
        self.pending.append(
            UnitStaff(
                tenant_id=unit.tenant_id,
                unit_id=unit.id,
                unit_path=unit.path,
                member_id=member.id,
                role=role,
                since=date(2020, 1, 1),
                recorded_at=datetime.now(UTC),
            )
        )

    def venue(self, unit: OrgNode, kind: str, name: str, *, certified_on: date | None = None, **fields: object) -> None:
        """A venue; ``certified_on``: applied for a month before and certified that day with its sign hung."""
        row = Venue(id=uuid7(), tenant_id=unit.tenant_id, unit_id=unit.id, unit_path=unit.path, kind=kind, name=name)
        row.signage, row.created_at = False, datetime.now(UTC)
        for field_name, value in fields.items():
            setattr(row, field_name, value)
        self.pending.append(row)
        if certified_on is None:
            return
        row.status, row.status_on, row.signage = "certified", certified_on, True
        applied_on = certified_on.replace(day=1)
        for status, on in (("applied", applied_on), ("certified", certified_on)):
            at = datetime(on.year, on.month, on.day, 2, tzinfo=UTC)
            self.pending.append(
                VenueCertification(
                    tenant_id=row.tenant_id,
                    venue_id=row.id,
                    status=status,
                    changed_on=on,
                    signage=status == "certified",
                    recorded_at=at,
                )
            )
            self.events.append(
                VenueCertificationChanged(
                    tenant_id=row.tenant_id,
                    venue_id=row.id,
                    unit_id=unit.id,
                    unit_path=unit.path,
                    kind=kind,
                    name=name,
                    status=status,
                    changed_on=on,
                    signage=status == "certified",
                )
            )

    def brand(self, unit: OrgNode, name: str, description: str) -> None:
        self.pending.append(
            UnitBrand(
                tenant_id=unit.tenant_id,
                unit_id=unit.id,
                unit_path=unit.path,
                name=name,
                description=description,
                recorded_at=datetime.now(UTC),
            )
        )

    async def flush(self) -> None:
        """Write everything built so far, then its events, in the caller's transaction.

        Rows go table by table in foreign-key order (the models declare no relationships for the unit
        of work to order them by); within a table, in the order they were built (parents first).
        """
        for table in FLUSH_ORDER:
            self.session.add_all([row for row in self.pending if type(row) is table])
            await self.session.flush()
        await publish_many(self.session, self.events)
        self.pending, self.events = [], []
